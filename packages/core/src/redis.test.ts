// Redis resolution (configured, local default, managed child, none), connections, and the server policy check.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../../../test/support/redis-server.js';
import { testRedisUrl } from '../../../test/support/redis.js';
import { configSchema, type Config, type ConfigInput } from './config-schema.js';
import { EXIT, RedisNotFoundError, RedisUnavailableError } from './errors.js';
import { createLogger, type LogOutput } from './logger.js';
import { checkRedisServer, createRedisConnection, pingRedis, resolveRedis, type RedisHandle } from './redis.js';
import { findFreePort } from './redis-server.js';

/** A logger whose JSON lines are kept for assertions. */
function capturingLogger(): { logger: ReturnType<typeof createLogger>; entries: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const output: LogOutput = { write: (chunk: string) => lines.push(chunk) };
  const logger = createLogger({ level: 'info', pretty: false }, { service: 'test' }, output);
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function redisConfig(redis: ConfigInput['redis']): Config {
  return configSchema.parse({ redis });
}

async function closedPortUrl(): Promise<string> {
  return `redis://127.0.0.1:${await findFreePort()}`;
}

const handles: RedisHandle[] = [];
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'finops-redis-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('pingRedis', () => {
  it('answers true for a live Redis and false for a closed port', async () => {
    expect(await pingRedis(testRedisUrl())).toBe(true);
    expect(await pingRedis(await closedPortUrl(), 500)).toBe(false);
  });
});

describe('resolveRedis', () => {
  it('uses the configured URL when it answers', async () => {
    const { logger } = capturingLogger();
    const handle = await resolveRedis(redisConfig({ url: testRedisUrl() }), logger);
    expect(handle).toMatchObject({ url: testRedisUrl(), origin: 'configured' });
    await handle.stop();
    expect(await pingRedis(testRedisUrl())).toBe(true);
  });

  it('fails with the URL, password hidden, when the configured Redis does not answer (exit 3)', async () => {
    const url = (await closedPortUrl()).replace('redis://', 'redis://app:hunter2@');
    const error = await resolveRedis(redisConfig({ url }), capturingLogger().logger).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error).not.toBeInstanceOf(RedisNotFoundError);
    expect((error as RedisUnavailableError).exitCode).toBe(EXIT.unreachable);
    expect((error as Error).message).toContain(url.replace('hunter2', '***'));
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('uses the local default when nothing is configured and it answers', async () => {
    const handle = await resolveRedis(redisConfig({}), capturingLogger().logger, { localDefaultUrl: testRedisUrl() });
    expect(handle).toMatchObject({ url: testRedisUrl(), origin: 'local-default' });
  });

  it('starts a managed redis-server with append-only files in dataDir and stops it', async () => {
    const cwd = tempDir();
    const { logger, entries } = capturingLogger();
    const handle = await resolveRedis(
      redisConfig({ managed: { enabled: true, useLocalDefault: false, dataDir: 'state/redis' } }),
      logger,
      { cwd },
    );
    handles.push(handle);
    expect(handle.origin).toBe('managed');
    expect(handle.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);

    const client = new Redis(handle.url);
    await client.set('greeting', 'hello');
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    await client.quit();
    const aofDir = join(cwd, 'state', 'redis', 'appendonlydir');
    expect(readdirSync(aofDir).some((name) => name.endsWith('.aof'))).toBe(true);
    expect(entries().some((entry) => entry.msg === 'started a managed redis-server')).toBe(true);

    await handle.stop();
    expect(await pingRedis(handle.url, 500)).toBe(false);
    await handle.stop();
  });

  it('does not leave the managed redis-server running when its parent crashes', async () => {
    const dir = tempDir();
    const script = join(dir, 'parent.mts');
    const module = fileURLToPath(new URL('./redis-server.ts', import.meta.url));
    writeFileSync(
      script,
      `import { startRedisServer } from ${JSON.stringify(module)};\n` +
        `const server = await startRedisServer({ dir: ${JSON.stringify(dir)}, appendonly: true });\n` +
        'console.log(server.url);\n' +
        "throw new Error('parent crashed');\n",
    );
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const parent = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(parent.stderr).toContain('parent crashed');
    const url = parent.stdout.trim();
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);

    let alive = true;
    for (let attempt = 0; attempt < 50 && alive; attempt++) {
      alive = await pingRedis(url, 200);
      if (alive) await sleep(100);
    }
    expect(alive).toBe(false);
  });

  it('includes the output of a redis-server that fails to start (exit 2)', async () => {
    const bin = tempDir();
    const fake = join(bin, 'redis-server');
    writeFileSync(fake, '#!/bin/sh\necho "FATAL: cannot open the AOF directory" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const error = await resolveRedis(
      redisConfig({ managed: { enabled: true, useLocalDefault: false, dataDir: join(tempDir(), 'data') } }),
      capturingLogger().logger,
      { env: { PATH: bin } },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisNotFoundError);
    expect((error as RedisNotFoundError).exitCode).toBe(EXIT.usage);
    expect((error as Error).message).toMatch(/redis-server exited \(code 1\) before answering:\nFATAL: cannot open the AOF directory/);
  });

  it.each([
    ['redis-server is not on PATH', { enabled: true, useLocalDefault: false }],
    ['the managed redis-server is disabled', { enabled: false, useLocalDefault: false }],
  ])('fails with the three ways to get a Redis when %s (exit 2)', async (reason, managed) => {
    const cwd = tempDir();
    const error = await resolveRedis(redisConfig({ managed: { ...managed, dataDir: 'data' } }), capturingLogger().logger, {
      cwd,
      env: { PATH: join(cwd, 'empty-bin') },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisNotFoundError);
    expect((error as RedisNotFoundError).exitCode).toBe(EXIT.usage);
    const message = (error as Error).message;
    expect(message).toContain(reason);
    expect(message).toContain('apt-get install redis-server');
    expect(message).toContain('docker compose up -d redis');
    expect(message).toContain('REDIS_URL');
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });
});

describe('createRedisConnection', () => {
  it('waits forever for workers, fails fast for producers, and names the client', async () => {
    const worker = createRedisConnection(testRedisUrl(), { role: 'worker', name: 'finops-discovery' });
    const producer = createRedisConnection(testRedisUrl(), { role: 'producer' });
    try {
      expect(worker.options.maxRetriesPerRequest).toBeNull();
      expect(producer.options.maxRetriesPerRequest).toBe(1);
      expect(await worker.client('GETNAME')).toBe('finops-discovery');
      expect(await producer.client('GETNAME')).toBe('finops-producer');
    } finally {
      worker.disconnect();
      producer.disconnect();
    }
  });
});

describe('checkRedisServer', () => {
  let server: TestRedisServer;
  let admin: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    await admin.quit();
    await server.stop();
  });

  it('reports version and policy, and warns when the policy is not noeviction', async () => {
    const { logger, entries } = capturingLogger();
    expect(await checkRedisServer(admin, logger)).toEqual({ version: expect.stringMatching(/^\d+\.\d+/), maxmemoryPolicy: 'noeviction' });
    expect(entries().filter((entry) => entry.level === 'warn')).toEqual([]);

    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      expect((await checkRedisServer(admin, logger)).maxmemoryPolicy).toBe('allkeys-lru');
      const [warning] = entries().filter((entry) => entry.level === 'warn');
      expect(warning).toMatchObject({ maxmemoryPolicy: 'allkeys-lru' });
      expect(warning.msg).toMatch(/evict BullMQ keys.*noeviction/);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  it('falls back to INFO when CONFIG is refused, and warns when it cannot check at all', async () => {
    await admin.acl('SETUSER', 'noconfig', 'on', '>pw', '~*', '&*', '+@all', '-config');
    await admin.acl('SETUSER', 'blind', 'on', '>pw', '~*', '&*', '+@all', '-config', '-info');
    await admin.config('SET', 'maxmemory-policy', 'volatile-ttl');
    const noConfig = new Redis(server.url.replace('redis://', 'redis://noconfig:pw@'));
    const blind = new Redis(server.url.replace('redis://', 'redis://blind:pw@'), { enableReadyCheck: false });
    try {
      const { logger, entries } = capturingLogger();
      expect(await checkRedisServer(noConfig, logger)).toMatchObject({ maxmemoryPolicy: 'volatile-ttl' });
      expect(await checkRedisServer(blind, logger)).toEqual({ version: 'unknown', maxmemoryPolicy: 'unknown' });
      const warnings = entries().filter((entry) => entry.level === 'warn');
      expect(warnings.map((entry) => entry.maxmemoryPolicy)).toEqual(['volatile-ttl', undefined]);
      expect(warnings[1].msg).toMatch(/^could not read Redis maxmemory-policy/);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      await noConfig.quit();
      await blind.quit();
    }
  });
});
