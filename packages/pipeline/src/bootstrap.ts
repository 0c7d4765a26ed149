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
  type Logger,
  type RedisHandle,
} from '@finops/core';
import { validateChecksConfig } from '@finops/checks';
import { loadPriceTable, type PriceTable } from '@finops/pricing';
import { QueueSet, ScanStore } from '@finops/queues';
import type { Redis } from 'ioredis';
import { createAwsRuntime, servedRegions, type AwsRuntime } from './aws-runtime.js';
import type { PipelineDeps } from './handlers/index.js';

export interface BootstrapOptions {
  service: string;
  /** Command-line arguments: `--config FILE`, `--regions a,b` (pins regional workers). */
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Only the CLI may start a managed redis-server; services are given a Redis. */
  allowManagedRedis?: boolean;
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
  const { config, source } = loadConfig({
    configFile: args.configFile,
    env,
    validate: (c) => validateChecksConfig(c.checks),
    overrides: {
      ...(workerRegions?.length ? { workers: { regions: workerRegions } } : {}),
      ...(options.allowManagedRedis ? {} : { redis: { managed: { enabled: false } } }),
    },
  });
  const logger = createLogger(config.logging, { service: options.service });
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
  const aws = createAwsRuntime(config, logger);
  const prices = loadPriceTable();
  const deps: PipelineDeps = { config, store, aws, prices, now: () => new Date() };
  let closing: Promise<void> | undefined;
  return {
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
    close: () =>
      (closing ??= (async () => {
        await queues.close().catch((e) => logger.warn({ err: e }, 'closing queues failed'));
        aws.close();
        await redis.quit().catch(() => redis.disconnect());
        await redisHandle.stop();
      })()),
  };
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
