// Token buckets shared by two "replicas" (two limiter instances on one Redis): together they never exceed the rate.
import { createRedisConnection } from '@finops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../../test/support/redis.js';
import { bucketFor, type RateLimitKey } from './aws-rate-limits.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

const KEY: RateLimitKey = { accountId: '111111111111', region: 'us-east-1', service: 'ce', operation: 'GetCostAndUsage' };

describe('RedisRateLimiter', () => {
  let redis: ReturnType<typeof createRedisConnection>;
  const prefixes: string[] = [];
  const prefix = (name: string) => {
    const p = uniquePrefix(name);
    prefixes.push(p);
    return p;
  };

  beforeAll(() => {
    redis = createRedisConnection(testRedisUrl(), { role: 'producer', name: 'rate-limit-test' });
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanupPrefix(redis, p);
    await redis.quit();
  });

  it('grants exactly burst + refill × elapsed tokens between two replicas on one clock', async () => {
    let now = 1_000_000;
    const shared = prefix('rl-shared');
    const overrides = { ce: { burst: 5, refillPerSec: 10 } };
    const replicas = [0, 1].map(() => new RedisRateLimiter({ redis, prefix: shared, overrides, clock: () => now }));
    const grants = async (tries: number) => {
      let granted = 0;
      for (let i = 0; i < tries; i += 1) if ((await replicas[i % 2]!.tryAcquire(KEY)) === 0) granted += 1;
      return granted;
    };
    expect(await grants(20)).toBe(5);
    // Empty: the next token is due in 1 / 10 s.
    expect(await replicas[0]!.tryAcquire(KEY)).toBe(100);
    now += 300;
    expect(await grants(20)).toBe(3);
    now += 10_000;
    expect(await grants(20)).toBe(5);
    // A replica with its own bucket (another prefix) would not have been held back: the sharing is what limits.
    const alone = new RedisRateLimiter({ redis, prefix: prefix('rl-alone'), overrides, clock: () => now });
    let aloneGranted = 0;
    for (let i = 0; i < 10; i += 1) if ((await alone.tryAcquire(KEY)) === 0) aloneGranted += 1;
    expect(aloneGranted).toBe(5);
  });

  it('keeps two replicas acquiring at once within burst + rate in every 1-second window', async () => {
    const shared = prefix('rl-live');
    const overrides = { ce: { burst: 4, refillPerSec: 20 } };
    const replicas = [0, 1].map(() => new RedisRateLimiter({ redis, prefix: shared, overrides }));
    // Each grant's time on the bucket's own clock (Redis TIME), so a busy test process cannot blur the count.
    const granted = await Promise.all(replicas.flatMap((replica) => Array.from({ length: 20 }, () => replica.acquireAt(KEY))));
    expect(granted).toHaveLength(40);
    granted.sort((a, b) => a - b);
    const maxInWindow = Math.max(...granted.map((t) => granted.filter((u) => u >= t && u < t + 1000).length));
    expect(maxInWindow).toBeLessThanOrEqual(4 + 20);
    // Without the shared bucket all 40 would have been granted within the first second.
    expect(granted.filter((t) => t < (granted[0] as number) + 1000).length).toBeLessThanOrEqual(24);
  });

  it('lets the call through when Redis fails, and says so', async () => {
    const errors: Error[] = [];
    const broken = {
      evalsha: async () => {
        throw new Error('connection lost');
      },
      eval: async () => {
        throw new Error('connection lost');
      },
    };
    const limiter = new RedisRateLimiter({ redis: broken, prefix: '{x}', onError: (e) => errors.push(e) });
    expect(await limiter.acquireAt(KEY)).toBeGreaterThan(0);
    expect(errors.map((e) => e.message)).toEqual(['connection lost']);
  });
});

describe('bucketFor', () => {
  it('uses the documented rates, the small EC2 bucket for unpaged calls, global scope for Cost Explorer', () => {
    const ec2 = { accountId: '1', region: 'eu-west-1', service: 'ec2', operation: 'DescribeInstances' };
    expect(bucketFor({ ...ec2, input: { MaxResults: 1000 } })).toEqual({ name: 'ec2.DescribeInstances', burst: 100, refillPerSec: 20, scope: 'eu-west-1' });
    expect(bucketFor({ ...ec2, input: {} })).toMatchObject({ name: 'ec2.DescribeInstances.unpaged', burst: 50, refillPerSec: 10 });
    expect(bucketFor({ ...ec2, operation: 'StopInstances' })).toMatchObject({ burst: 50, refillPerSec: 5 });
    expect(bucketFor({ ...ec2, service: 'lambda', operation: 'ListFunctions' })).toMatchObject({ name: 'lambda.control-plane', refillPerSec: 15 });
    expect(bucketFor({ ...ec2, service: 'cloudwatch', operation: 'GetMetricData' })).toMatchObject({ refillPerSec: 50 });
    expect(bucketFor(KEY)).toMatchObject({ name: 'ce', scope: 'global', refillPerSec: 5 });
    expect(bucketFor(KEY, { ce: { burst: 1, refillPerSec: 1 } })).toMatchObject({ burst: 1, refillPerSec: 1 });
    expect(bucketFor({ ...ec2, input: { MaxResults: 5 } }, { ec2: { burst: 7, refillPerSec: 3 }, 'ec2.DescribeInstances': { burst: 9, refillPerSec: 9 } })).toMatchObject({ burst: 9 });
  });
});
