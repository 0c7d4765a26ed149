// Test support for handler tests: real Redis, the simulated account and the deps a handler gets, closed after the file.
import { configSchema, type ConfigInput, type Logger } from '@finops/core';
import { loadPriceTable } from '@finops/pricing';
import { QueueSet, ScanStore, newScanId, type ScanPlan } from '@finops/queues';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../../test/support/redis.js';
import { createAwsRuntime, redisSharedAws, type AwsRuntime } from '../aws-runtime.js';
import type { PipelineDeps } from './shared.js';

export const silentLogger = pino({ level: 'silent' }) as unknown as Logger;

/** A dry-run plan of the simulated provider started now, with a new id: the partitions and kinds a test names. */
export function testPlan(plan: Pick<ScanPlan, 'accounts' | 'regions' | 'kinds'> & Partial<ScanPlan>): ScanPlan {
  return { scanId: newScanId(), startedAt: new Date().toISOString(), provider: 'simulated', dryRun: true, trigger: 'test', ...plan };
}

export interface HandlerEnv {
  config: PipelineDeps['config'];
  runtime: AwsRuntime;
  store: ScanStore;
  deps: PipelineDeps;
}

/**
 * Registers beforeAll/afterAll for one test file and returns `setup(config)`: deps on the file's Redis prefix (or
 * `prefixOf(config)` when a test needs its own), with the simulated provider. Everything set up is closed after.
 */
export function handlerTestKit(name: string) {
  const prefix = uniquePrefix(name);
  const prefixes = new Set([prefix]);
  const runtimes: AwsRuntime[] = [];
  const queueSets: QueueSet[] = [];
  const state: { redis?: Redis } = {};

  beforeAll(() => {
    state.redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    for (const runtime of runtimes) runtime.close();
    for (const queues of queueSets) await queues.close();
    for (const p of prefixes) await cleanupPrefix(state.redis!, p);
    await state.redis?.quit();
  });

  /** A prefix of its own, cleaned up with the file's (e.g. a cache the other tests must not see). */
  const ownPrefix = (suffix: string) => {
    const own = uniquePrefix(`${name}-${suffix}`);
    prefixes.add(own);
    return own;
  };

  const setup = (input: ConfigInput = {}): HandlerEnv => {
    const redis = state.redis!;
    const config = configSchema.parse({ redis: { prefix }, ...input });
    const runtime = createAwsRuntime(config, silentLogger, redisSharedAws(config, redis, silentLogger));
    runtimes.push(runtime);
    const store = new ScanStore(redis, { prefix: config.redis.prefix, ttlSeconds: 600 });
    const queues = new QueueSet({ connection: redis, prefix: config.redis.prefix, regions: [] });
    queueSets.push(queues);
    const deps: PipelineDeps = { config, store, aws: runtime, prices: loadPriceTable(), now: () => new Date(), queues, redis };
    return { config, runtime, store, deps };
  };

  return { setup, ownPrefix, prefix };
}
