// Finds the Redis to use (configured, local default, or a managed child), and opens connections suited to BullMQ.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from './config-schema.js';
import { RedisNotFoundError, RedisUnavailableError } from './errors.js';
import { redactUrl } from './config-redact.js';
import type { Logger } from './logger.js';
import { probeRedis } from './redis-ping.js';
import { startRedisServer } from './redis-server.js';

export { pingRedis } from './redis-ping.js';

export interface RedisHandle {
  url: string;
  /** `configured`: redis.url or REDIS_URL; `local-default`: 127.0.0.1:6379; `managed`: a child we started. */
  origin: 'configured' | 'local-default' | 'managed';
  /** Stops a managed child (SIGTERM, then waits); does nothing for a Redis we did not start. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ResolveRedisOptions {
  /** Base of a relative `redis.managed.dataDir`. Default: `process.cwd()`. */
  cwd?: string;
  /** Whose PATH is searched for `redis-server`. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The Redis tried when none is configured. Default: `redis://127.0.0.1:6379`. */
  localDefaultUrl?: string;
}

const LOCAL_DEFAULT_URL = 'redis://127.0.0.1:6379';
const CONFIGURED_PING_TIMEOUT_MS = 3000;
const LOCAL_PING_TIMEOUT_MS = 500;

/**
 * The Redis for this process: `redis.url` if set (it must answer), else 127.0.0.1:6379 if it answers and
 * `redis.managed.useLocalDefault`, else a `redis-server` child with append-only files in `redis.managed.dataDir`.
 *
 * @throws RedisUnavailableError when the configured URL does not answer (exit 3).
 * @throws RedisNotFoundError when no Redis is configured, found or startable (exit 2), listing the ways to get one.
 */
export async function resolveRedis(config: Config, logger: Logger, options: ResolveRedisOptions = {}): Promise<RedisHandle> {
  const { url, managed } = config.redis;
  const unmanaged = (found: string, origin: RedisHandle['origin']): RedisHandle => ({
    url: found,
    origin,
    stop: async () => {},
  });

  if (url) {
    const probe = await probeRedis(url, CONFIGURED_PING_TIMEOUT_MS);
    if (!probe.ok) {
      throw new RedisUnavailableError(`Redis at ${redactUrl(url)} (redis.url / REDIS_URL) does not answer: ${probe.reason}`, {
        hint: 'start that Redis, or correct redis.url, FINOPS_REDIS_URL or REDIS_URL',
      });
    }
    logger.info({ url, origin: 'configured' }, 'using the configured Redis');
    return unmanaged(url, 'configured');
  }

  const localUrl = options.localDefaultUrl ?? LOCAL_DEFAULT_URL;
  if (managed.useLocalDefault && (await probeRedis(localUrl, LOCAL_PING_TIMEOUT_MS)).ok) {
    logger.info({ url: localUrl, origin: 'local-default' }, 'using the Redis answering on the local default port');
    return unmanaged(localUrl, 'local-default');
  }

  const binary = managed.enabled ? findOnPath('redis-server', options.env ?? process.env) : undefined;
  if (!binary) {
    const tried = [
      'no redis.url, FINOPS_REDIS_URL or REDIS_URL is set',
      managed.useLocalDefault ? `nothing answers on ${localUrl}` : undefined,
      managed.enabled ? 'redis-server is not on PATH' : 'the managed redis-server is disabled (redis.managed.enabled: false)',
    ].filter((part) => part !== undefined);
    throw new RedisNotFoundError(
      `No Redis available (${tried.join('; ')}). Do one of: install redis-server (apt-get install redis-server) ` +
        'and it is started for you; run `docker compose up -d redis`; or set REDIS_URL=redis://host:6379 to use an ' +
        'existing Redis.',
    );
  }

  const dir = resolve(options.cwd ?? process.cwd(), managed.dataDir);
  const server = await (async () => {
    mkdirSync(dir, { recursive: true });
    return startRedisServer({ binary, dir, appendonly: true });
  })().catch((error: unknown) => {
    throw new RedisNotFoundError(`Could not start a managed Redis (${binary}, data in ${dir}): ${(error as Error).message}`, {
      hint: 'fix the problem above, or start a Redis yourself and set REDIS_URL',
      cause: error,
    });
  });
  logger.info({ url: server.url, origin: 'managed', pid: server.pid, dataDir: dir }, 'started a managed redis-server');
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    origin: 'managed',
    stop: () => {
      stopping ??= server.stop().then(() => logger.info({ pid: server.pid }, 'managed redis-server stopped'));
      return stopping;
    },
  };
}

/** The absolute path of an executable found on `env.PATH`. */
function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

export interface RedisConnectionOptions {
  /**
   * `worker`: commands wait through any outage (`maxRetriesPerRequest: null`, which BullMQ workers require).
   * `producer` (queues, the API): a command fails after one reconnection attempt, so a request reports the outage
   * instead of hanging; commands issued before the first connect are queued (`enableOfflineQueue`).
   */
  role: 'worker' | 'producer';
  /** Client name shown by CLIENT LIST. Default: `finops-<role>`. */
  name?: string;
}

/** Reconnect delay: 100 ms doubling to 10 s, with jitter so a fleet of workers does not reconnect in lockstep. */
function reconnectDelay(times: number): number {
  const base = Math.min(100 * 2 ** Math.min(times - 1, 10), 10_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * An ioredis connection for BullMQ. It connects at once and reconnects forever with capped backoff.
 *
 * @example const connection = createRedisConnection(handle.url, { role: 'worker', name: 'discovery' });
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions): Redis {
  return new Redis(url, {
    // CLIENT SETNAME refuses spaces.
    connectionName: (options.name ?? `finops-${options.role}`).replace(/\s/g, '-'),
    maxRetriesPerRequest: options.role === 'worker' ? null : 1,
    enableOfflineQueue: true,
    lazyConnect: false,
    connectTimeout: 10_000,
    retryStrategy: reconnectDelay,
  });
}

/**
 * Reads the server's version and maxmemory-policy and warns when the policy would let Redis evict BullMQ's keys.
 * CONFIG may be disabled (managed Redis services): then INFO is used, and if that fails too, it warns that it
 * could not check.
 */
export async function checkRedisServer(redis: Redis, logger: Logger): Promise<{ version: string; maxmemoryPolicy: string }> {
  const version = (await refusable(async () => parseInfo(await redis.info('server')).get('redis_version'))) ?? 'unknown';
  const policy =
    (await refusable(async () => {
      const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown;
      return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
    })) ??
    // CONFIG is often renamed or disabled on hosted Redis; INFO memory carries the same setting.
    (await refusable(async () => parseInfo(await redis.info('memory')).get('maxmemory_policy')));

  if (policy === undefined) {
    logger.warn(
      { redisVersion: version },
      'could not read Redis maxmemory-policy (CONFIG and INFO refused): make sure it is noeviction, or BullMQ may lose jobs',
    );
    return { version, maxmemoryPolicy: 'unknown' };
  }
  if (policy !== 'noeviction') {
    logger.warn(
      { redisVersion: version, maxmemoryPolicy: policy },
      `Redis maxmemory-policy is ${policy}: under memory pressure Redis will evict BullMQ keys and jobs will be lost; ` +
        'set it to noeviction (CONFIG SET maxmemory-policy noeviction, or the parameter group of a hosted Redis)',
    );
  }
  return { version, maxmemoryPolicy: policy };
}

/**
 * The result of `read`, or undefined when the server refused the command (disabled, renamed, ACL). Connection
 * failures still throw: they are not a matter of permissions.
 */
async function refusable<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof Error && error.name === 'ReplyError') return undefined;
    throw error;
  }
}

/** `key:value` lines of an INFO reply. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}
