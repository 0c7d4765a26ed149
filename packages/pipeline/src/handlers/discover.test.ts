// The discovery job on a real Redis against the simulated account: the calls of an attempt that fails are counted,
// a permanent failure is recorded with what to fix, and a retryable one reaches BullMQ with its calls counted too.
import { configSchema, type Logger } from '@finops/core';
import { loadPriceTable } from '@finops/pricing';
import { QueueSet, ScanStore, newScanId, type HandlerContext } from '@finops/queues';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../../test/support/redis.js';
import { createAwsRuntime, redisSharedAws, type AwsRuntime } from '../aws-runtime.js';
import { discoverHandler } from './discover.js';
import type { PipelineDeps } from './shared.js';

const logger = pino({ level: 'silent' }) as unknown as Logger;
const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

describe('discovery job', () => {
  let redis: Redis;
  const prefix = uniquePrefix('discover');
  const runtimes: AwsRuntime[] = [];
  const queueSets: QueueSet[] = [];

  const setup = (simulation: Record<string, unknown>, aws: Record<string, unknown> = {}) => {
    const config = configSchema.parse({
      aws: { provider: 'simulated', regions: [REGION], ...aws },
      simulation: { seed: 5, accounts: [ACCOUNT], resourcesPerRegion: 40, ...simulation },
      redis: { prefix },
    });
    const runtime = createAwsRuntime(config, logger, redisSharedAws(config, redis, logger));
    runtimes.push(runtime);
    const store = new ScanStore(redis, { prefix: config.redis.prefix, ttlSeconds: 600 });
    const queues = new QueueSet({ connection: redis, prefix: config.redis.prefix, regions: [] });
    queueSets.push(queues);
    const deps: PipelineDeps = { config, store, aws: runtime, prices: loadPriceTable(), now: () => new Date(), queues, redis };
    return { store, deps };
  };
  const context = (id: string): HandlerContext => ({ job: { id, attemptsMade: 0 }, logger, progress: async () => undefined }) as unknown as HandlerContext;

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    for (const runtime of runtimes) runtime.close();
    for (const queues of queueSets) await queues.close();
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('records a denied listing with its action, and counts the call AWS answered', async () => {
    const { store, deps } = setup({ denied: [{ action: 'ec2:DescribeVolumes' }] });
    const scanId = newScanId();
    const result = await discoverHandler(deps)({ scanId, accountId: ACCOUNT, region: REGION, kind: 'ebs-volume' }, context(`${scanId}.d1`));
    expect(result).toMatchObject({ status: 'failed' });
    expect((await store.usage(scanId)).calls['ec2.DescribeVolumes']).toBe(1);
    expect(await store.errors(scanId)).toEqual([
      expect.objectContaining({ stage: 'discovery', accountId: ACCOUNT, region: REGION, kind: 'ebs-volume', action: 'ec2:DescribeVolumes' }),
    ]);
  });

  it('counts every attempt of a job that fails on throttling before BullMQ retries it', async () => {
    const { store, deps } = setup({ throttleRate: 1 }, { maxAttempts: 3 });
    const scanId = newScanId();
    await expect(discoverHandler(deps)({ scanId, accountId: ACCOUNT, region: REGION, kind: 'ebs-volume' }, context(`${scanId}.d2`))).rejects.toThrow();
    const usage = await store.usage(scanId);
    // The first call of a process is GetCallerIdentity (to map the simulated caller): throttled, it is tried three times.
    expect(Object.values(usage.calls).reduce((a, b) => a + b, 0)).toBe(3);
    expect(usage.throttled).toBe(3);
  });
});
