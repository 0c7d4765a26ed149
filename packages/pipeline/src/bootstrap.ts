// Service start-up: config → logger → Redis → queues, store and AWS access. Every entrypoint starts here.
import { parseArgs } from 'node:util';
import {
  EXIT,
  FinopsError,
  UsageError,
  createLogger,
  createRedisConnection,
  checkRedisServer,
  describeError,
  loadConfig,
  resolveRedis,
  type Config,
  type ConfigInput,
  type DeepPartial,
  type LoadedConfig,
  type Logger,
  type LogOutput,
  type RedisHandle,
} from '@finops/core';
import { validateChecksConfig } from '@finops/checks';
import { loadPriceTableFile, type PriceTable } from '@finops/pricing';
import { QueueSet, ScanStore } from '@finops/queues';
import type { Redis } from 'ioredis';
import { createAwsRuntime, redisSharedAws, servedRegions, type AwsRuntime } from './aws-runtime.js';
import type { PipelineDeps } from './handlers/index.js';
import { checkScheduleOptions } from './schedules/schedule-definitions.js';

export interface BootstrapOptions {
  service: string;
  /** Command-line arguments: `--config FILE`, `--regions a,b` (pins regional workers). */
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Only the CLI may start a managed redis-server; services are given a Redis. */
  allowManagedRedis?: boolean;
  /** Values over the file and environment, e.g. the CLI's --dry-run/--live, --log-file, --debug. */
  overrides?: DeepPartial<ConfigInput>;
  /** Where log lines go (default stdout). The CLI logs to stderr, keeping stdout for results and --json. */
  logOutput?: LogOutput;
}

export interface ServiceContext {
  config: Config;
  configSource: string;
  logger: Logger;
  redisHandle: RedisHandle;
  /** Shared connection for queues, workers and the store (BullMQ duplicates it for blocking calls). */
  redis: Redis;
  queues: QueueSet;
  store: ScanStore;
  aws: AwsRuntime;
  prices: PriceTable;
  deps: PipelineDeps;
  /** Regions whose regional queues this process serves. */
  regions: string[];
  /** Loads the configuration again exactly as at start-up (same file, environment and overrides): for reloads. */
  loadConfig(): LoadedConfig;
  /** Puts a reloaded configuration in place for the next job, request and scan; the log level follows. */
  applyConfig(config: Config): void;
  /** Closes queues, AWS clients and Redis, in that order. Idempotent. */
  close(): Promise<void>;
}

function parseServiceArgs(argv: string[]): { configFile?: string; regions?: string[] } {
  try {
    const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, regions: { type: 'string' } }, strict: true });
    return { configFile: values.config, regions: values.regions?.split(',').map((r) => r.trim()).filter(Boolean) };
  } catch (error) {
    throw new UsageError((error as Error).message, { hint: 'services take --config FILE and --regions r1,r2' });
  }
}

export async function bootstrap(options: BootstrapOptions): Promise<ServiceContext> {
  const env = options.env ?? process.env;
  const args = parseServiceArgs(options.argv ?? process.argv.slice(2));
  const workerRegions = args.regions ?? env.FINOPS_WORKER_REGIONS?.split(',').map((r) => r.trim()).filter(Boolean);
  const load = () =>
    loadConfig({
      configFile: args.configFile,
      env,
      validate: (c) => [...validateChecksConfig(c.checks), ...checkScheduleOptions(c.schedules)],
      overrides: mergeOverrides(options.overrides ?? {}, {
        ...(workerRegions?.length ? { workers: { regions: workerRegions } } : {}),
        ...(options.allowManagedRedis ? {} : { redis: { managed: { enabled: false } } }),
      }),
    });
  const { config, source } = load();
  const logger = createLogger(config.logging, { service: options.service }, options.logOutput);
  logger.info({ config: source, provider: config.aws.provider, dryRun: config.safety.dryRun }, 'starting');
  const redisHandle = await resolveRedis(config, logger);
  const redis = createRedisConnection(redisHandle.url, { role: 'worker', name: `finops-${options.service}` });
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  await checkRedisServer(redis, logger);
  const regions = servedRegions(config);
  const queues = new QueueSet({
    connection: redis,
    prefix: config.redis.prefix,
    regions,
    onError: (error, queue) => logger.warn({ err: error.message, queue }, 'queue error'),
  });
  const store = new ScanStore(redis, { prefix: config.redis.prefix, ttlSeconds: config.workers.retention.scanDataDays * 86_400 });
  const aws = createAwsRuntime(config, logger, redisSharedAws(config, redis, logger));
  const prices = loadPriceTableFile(config.pricing.overrideFile).table;
  const deps: PipelineDeps = { config, store, aws, prices, now: () => new Date(), queues, redis };
  let closing: Promise<void> | undefined;
  const ctx: ServiceContext = {
    config,
    configSource: source,
    logger,
    redisHandle,
    redis,
    queues,
    store,
    aws,
    prices,
    deps,
    regions,
    loadConfig: load,
    applyConfig: (next) => {
      ctx.config = next;
      ctx.deps.config = next;
      logger.level = next.logging.levels[options.service] ?? next.logging.level;
    },
    close: () =>
      (closing ??= (async () => {
        await queues.close().catch((e) => logger.warn({ err: e }, 'closing queues failed'));
        aws.close();
        await redis.quit().catch(() => redis.disconnect());
        await redisHandle.stop();
      })()),
  };
  return ctx;
}

/** `a` with `b` laid over it, objects merged key by key (the CLI's flags and the service's own settings). */
function mergeOverrides(a: DeepPartial<ConfigInput>, b: DeepPartial<ConfigInput>): DeepPartial<ConfigInput> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? mergeOverrides(current as DeepPartial<ConfigInput>, value as DeepPartial<ConfigInput>)
        : value;
  }
  return out as DeepPartial<ConfigInput>;
}

/**
 * Runs an entrypoint: a known error prints one readable line plus the fix and exits with its code (2 for
 * configuration, 3 for an unreachable Redis or AWS); anything else prints the stack and exits 1.
 */
export function main(run: () => Promise<unknown>): void {
  run().catch((error: unknown) => {
    if (error instanceof FinopsError) {
      process.stderr.write(`finops: ${describeError(error)}\n`);
      process.exit(error.exitCode);
    }
    process.stderr.write(`finops: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(EXIT.partial);
  });
}
