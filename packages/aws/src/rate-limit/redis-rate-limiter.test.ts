// Token buckets shared by two "replicas" (two limiter instances on one Redis): together they never exceed the rate.
import { createRedisConnection } from '@finops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../../test/support/redis.js';
import { awsBucketFor, BURST_HEADROOM_PERCENT, bucketFor, RATE_HEADROOM_PERCENT, type RateLimitKey } from './aws-rate-limits.js';
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
    const replicas = [0, 1].map(() => new RedisRateLimiter({ redis, prefix: shared, overrides, headroomPercent: 0, burstHeadroomPercent: 0, clock: () => now }));
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
    const alone = new RedisRateLimiter({ redis, prefix: prefix('rl-alone'), overrides, headroomPercent: 0, burstHeadroomPercent: 0, clock: () => now });
    let aloneGranted = 0;
    for (let i = 0; i < 10; i += 1) if ((await alone.tryAcquire(KEY)) === 0) aloneGranted += 1;
    expect(aloneGranted).toBe(5);
  });

  it('holds 80% of AWS\'s burst and refills at 95% of its rate by default', async () => {
    let now = 2_000_000;
    const overrides = { ce: { burst: 20, refillPerSec: 10 } };
    const limiter = new RedisRateLimiter({ redis, prefix: prefix('rl-headroom'), overrides, clock: () => now });
    let granted = 0;
    for (let i = 0; i < 40; i += 1) if ((await limiter.tryAcquire(KEY)) === 0) granted += 1;
    // 16 of AWS's 20: AWS's bucket keeps 4 tokens for calls that jitter brings in early.
    expect(granted).toBe(16);
    // AWS refills a token every 100 ms; the platform's bucket every 1 / 9.5 s.
    expect(await limiter.tryAcquire(KEY)).toBe(106);
    // Half a second refills 4.75 tokens, not AWS's 5…
    now += 500;
    granted = 0;
    for (let i = 0; i < 20; i += 1) if ((await limiter.tryAcquire(KEY)) === 0) granted += 1;
    expect(granted).toBe(4);
    // …and a bucket left alone fills up to its 16 again.
    now += 3000;
    granted = 0;
    for (let i = 0; i < 40; i += 1) if ((await limiter.tryAcquire(KEY)) === 0) granted += 1;
    expect(granted).toBe(16);
    expect(() => new RedisRateLimiter({ redis, prefix: '{x}', headroomPercent: 100 })).toThrow('headroomPercent must be at least 0 and below 100, got 100');
    expect(() => new RedisRateLimiter({ redis, prefix: '{x}', burstHeadroomPercent: -1 })).toThrow('burstHeadroomPercent must be at least 0 and below 100, got -1');
  });

  it('reserves the next free slots in the order asked, 1 / rate apart, up to the horizon', async () => {
    let now = 3_000_000;
    const sleeps: number[] = [];
    const overrides = { ce: { burst: 2, refillPerSec: 10 } };
    const options = { redis, prefix: prefix('rl-reserve'), overrides, headroomPercent: 0, burstHeadroomPercent: 0, reservationHorizonMs: 500, clock: () => now };
    // Sleeping records and does not move the clock: every caller asks at the same instant.
    const limiter = new RedisRateLimiter({ ...options, sleep: async (ms) => void sleeps.push(ms) });
    const slots = await Promise.all(Array.from({ length: 7 }, () => limiter.acquireAt(KEY)));
    // The burst at once, then one slot every 100 ms: each caller sleeps exactly until its own slot.
    expect(slots.map((t) => t - 3_000_000).sort((a, b) => a - b)).toEqual([0, 0, 100, 200, 300, 400, 500]);
    expect(sleeps.sort((a, b) => a - b)).toEqual([100, 200, 300, 400, 500]);
    // Reserved tokens are taken: a caller that only tries finds the bucket 5 tokens in debt.
    expect(await limiter.tryAcquire(KEY)).toBe(600);

    // The next slot (600 ms out) is past the horizon: the caller waits without holding it, then reserves.
    sleeps.length = 0;
    const later = new RedisRateLimiter({
      ...options,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    expect((await later.acquireAt(KEY)) - 3_000_000).toBe(600);
    expect(sleeps).toEqual([100, 500]);
  });

  it('keeps two replicas acquiring at once within burst + rate in every 1-second window', async () => {
    const shared = prefix('rl-live');
    const overrides = { ce: { burst: 4, refillPerSec: 20 } };
    const replicas = [0, 1].map(() => new RedisRateLimiter({ redis, prefix: shared, overrides, headroomPercent: 0 }));
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
    expect(awsBucketFor({ ...ec2, input: { MaxResults: 1000 } })).toEqual({ name: 'ec2.DescribeInstances', burst: 100, refillPerSec: 20, scope: 'eu-west-1' });
    expect(awsBucketFor({ ...ec2, input: {} })).toMatchObject({ name: 'ec2.DescribeInstances.unpaged', burst: 50, refillPerSec: 10 });
    expect(awsBucketFor({ ...ec2, operation: 'StopInstances' })).toMatchObject({ burst: 50, refillPerSec: 5 });
    expect(awsBucketFor({ ...ec2, service: 'lambda', operation: 'ListFunctions' })).toMatchObject({ name: 'lambda.control-plane', refillPerSec: 15 });
    expect(awsBucketFor({ ...ec2, service: 'cloudwatch', operation: 'GetMetricData' })).toMatchObject({ refillPerSec: 50 });
    expect(awsBucketFor(KEY)).toMatchObject({ name: 'ce', scope: 'global', refillPerSec: 5 });
    expect(awsBucketFor(KEY, { ce: { burst: 1, refillPerSec: 1 } })).toMatchObject({ burst: 1, refillPerSec: 1 });
    expect(awsBucketFor({ ...ec2, input: { MaxResults: 5 } }, { ec2: { burst: 7, refillPerSec: 3 }, 'ec2.DescribeInstances': { burst: 9, refillPerSec: 9 } })).toMatchObject({ burst: 9 });
  });

  it('runs the platform\'s bucket at 95% of AWS\'s rate and 80% of its burst, overrides included, never under one token', () => {
    expect(RATE_HEADROOM_PERCENT).toBe(5);
    expect(BURST_HEADROOM_PERCENT).toBe(20);
    const lambda = { accountId: '1', region: 'eu-west-1', service: 'lambda', operation: 'ListTags' };
    expect(bucketFor(lambda)).toEqual({ name: 'lambda.control-plane', burst: 12, refillPerSec: 14.25, scope: 'eu-west-1' });
    expect(bucketFor(lambda, { lambda: { burst: 50, refillPerSec: 50 } })).toMatchObject({ burst: 40, refillPerSec: 47.5 });
    expect(bucketFor(lambda, { lambda: { burst: 1, refillPerSec: 1 } })).toMatchObject({ burst: 1, refillPerSec: 0.95 });
    // Less headroom on the rate leaves the burst's; more takes both.
    expect(bucketFor(lambda, {}, 0)).toMatchObject({ burst: 12, refillPerSec: 15 });
    expect(bucketFor(lambda, {}, 0, 0)).toMatchObject({ burst: 15, refillPerSec: 15 });
    expect(bucketFor({ ...lambda, service: 'ec2', operation: 'DescribeVolumes', input: { MaxResults: 1000 } }, {}, 25)).toMatchObject({ burst: 75, refillPerSec: 15 });
  });
});
