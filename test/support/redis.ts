// Helpers for tests that use the run's private Redis: its URL, a unique key prefix per test, and cleanup.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** The two commands cleanupPrefix needs; an ioredis `Redis` fits (the root package does not depend on ioredis). */
export interface KeyScanner {
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', countValue: number): Promise<[string, string[]]>;
  unlink(...keys: string[]): Promise<number>;
}

/** The URL of the Redis that test/support/global-setup.ts started for this run. */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/**
 * A fresh, hash-tagged key prefix, valid as `redis.prefix`: `{t-flow-3f9a1c2b}`. The hash tag keeps every key of
 * a test in one Redis Cluster slot, as in production.
 */
export function uniquePrefix(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '-');
  return `{t-${safe}-${randomBytes(4).toString('hex')}}`;
}

/** Deletes every key starting with `prefix`. */
export async function cleanupPrefix(redis: KeyScanner, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
