// Cost Explorer results in Redis, shared by every scan and replica: one fetch per key and TTL, concurrent askers wait for it.
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CostCache } from '@finops/aws';
import { keepLeaseAlive, releaseLease } from '@finops/core';
import type { Redis } from 'ioredis';

export interface RedisCostCacheOptions {
  redis: Redis;
  /** The hash-tagged prefix of every key (`{finops}`), so cache and lock share the platform's cluster slot. */
  prefix: string;
  /** How long a result is reused (`costs.cacheTtlHours`): Cost Explorer refreshes its data up to 3 times a day. */
  ttlSeconds: number;
  /** Lifetime of the fetch lock, renewed every third of it while the fetch runs (default 60 s). */
  lockMs?: number;
  /** How often a waiting caller looks for the result (default 200 ms). */
  pollMs?: number;
  /** A caller that waited this long for another's fetch fetches itself (default 10 min). */
  maxWaitMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The {@link CostCache} of the pipeline: gzip JSON under `<prefix>:costs:<key>` with a TTL, and a lock
 * (`SET NX PX`) so that of several scans or replicas asking at once exactly one calls Cost Explorer; the others
 * poll for its result. A failed fetch stores nothing and frees the lock: the next asker tries again.
 */
export class RedisCostCache implements CostCache {
  readonly #options: Required<RedisCostCacheOptions>;

  constructor(options: RedisCostCacheOptions) {
    this.#options = { lockMs: 60_000, pollMs: 200, maxWaitMs: 600_000, ...options };
  }

  async getOrFetch<T>(key: string, fetch: () => Promise<T>): Promise<{ value: T; cached: boolean }> {
    const { redis, prefix, lockMs, pollMs, maxWaitMs } = this.#options;
    const dataKey = `${prefix}:costs:${key}`;
    const lockKey = `${dataKey}:lock`;
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const hit = await this.#read<T>(dataKey);
      if (hit !== undefined) return { value: hit, cached: true };
      const token = randomUUID();
      if ((await redis.set(lockKey, token, 'PX', lockMs, 'NX')) === 'OK') {
        try {
          // The previous holder may have stored the result between our read and our lock.
          const stored = await this.#read<T>(dataKey);
          if (stored !== undefined) return { value: stored, cached: true };
          return { value: await this.#fetchAndStore(dataKey, lockKey, token, fetch), cached: false };
        } finally {
          // Only if it is still ours: it may have expired and been taken by another fetcher.
          await releaseLease(redis, lockKey, token).catch(() => undefined);
        }
      }
      if (Date.now() >= deadline) {
        // Whoever holds the lock has hung for too long; asking Cost Explorer again costs cents, waiting forever a scan.
        return { value: await this.#fetchAndStore(dataKey, undefined, undefined, fetch), cached: false };
      }
      await sleep(pollMs);
    }
  }

  async #read<T>(dataKey: string): Promise<T | undefined> {
    const raw = await this.#options.redis.getBuffer(dataKey);
    return raw ? (JSON.parse(gunzipSync(raw).toString('utf8')) as T) : undefined;
  }

  async #fetchAndStore<T>(dataKey: string, lockKey: string | undefined, token: string | undefined, fetch: () => Promise<T>): Promise<T> {
    const { redis, lockMs, ttlSeconds } = this.#options;
    const stopRenewing = lockKey && token ? keepLeaseAlive(redis, lockKey, token, lockMs) : undefined;
    try {
      const value = await fetch();
      await redis.set(dataKey, gzipSync(JSON.stringify(value)), 'EX', Math.max(1, Math.round(ttlSeconds)));
      return value;
    } finally {
      stopRenewing?.();
    }
  }
}
