// The Redis cost cache: one fetch across concurrent callers and replicas, a TTL, and a retry after a failed fetch.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../test/support/redis.js';
import { RedisCostCache } from './cost-cache.js';

describe('RedisCostCache', () => {
  let redis: Redis;
  const prefix = uniquePrefix('cost-cache');

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('runs one fetch for three concurrent callers on two replicas and keeps it for the TTL', async () => {
    const replicas = [0, 1].map(() => new RedisCostCache({ redis, prefix, ttlSeconds: 3600, pollMs: 20 }));
    let fetches = 0;
    const fetch = async () => {
      fetches += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { total: 42 };
    };
    const results = await Promise.all([replicas[0]!.getOrFetch('k1', fetch), replicas[1]!.getOrFetch('k1', fetch), replicas[1]!.getOrFetch('k1', fetch)]);
    expect(fetches).toBe(1);
    expect(results.map((r) => r.cached).sort()).toEqual([false, true, true]);
    expect(results.every((r) => r.value.total === 42)).toBe(true);
    const ttl = await redis.ttl(`${prefix}:costs:k1`);
    expect(ttl).toBeGreaterThan(3500);
    expect(await redis.exists(`${prefix}:costs:k1:lock`)).toBe(0);
    expect(await replicas[0]!.getOrFetch('k1', fetch)).toEqual({ value: { total: 42 }, cached: true });
    expect(fetches).toBe(1);
  });

  it('stores nothing when the fetch fails: a waiting caller then fetches itself', async () => {
    const cache = new RedisCostCache({ redis, prefix, ttlSeconds: 60, pollMs: 20 });
    let calls = 0;
    const failing = async (): Promise<number> => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('AccessDeniedException');
    };
    const working = async () => {
      calls += 1;
      return 7;
    };
    const [first, second] = await Promise.allSettled([cache.getOrFetch('k2', failing), cache.getOrFetch('k2', working)]);
    expect(first).toMatchObject({ status: 'rejected', reason: { message: 'AccessDeniedException' } });
    expect(second).toEqual({ status: 'fulfilled', value: { value: 7, cached: false } });
    expect(calls).toBe(2);
  });

  it('renews its lock while a long fetch runs, so no second fetch starts', async () => {
    // The fetch outlives three lock lifetimes; renewals every lockMs / 3 leave room for a busy event loop.
    const cache = new RedisCostCache({ redis, prefix, ttlSeconds: 60, lockMs: 400, pollMs: 20 });
    let fetches = 0;
    const slow = async () => {
      fetches += 1;
      await new Promise((resolve) => setTimeout(resolve, 1200));
      return 'done';
    };
    const results = await Promise.all([cache.getOrFetch('k3', slow), cache.getOrFetch('k3', slow)]);
    expect(fetches).toBe(1);
    expect(results.map((r) => r.value)).toEqual(['done', 'done']);
  });
});
