// Leases on Redis keys: taken with SET NX PX under a random token, kept alive while their holder lives, and given
// up only by their holder, so a lease that expired and was taken by another is never extended or deleted.
import type { Redis } from 'ioredis';

/** Deletes the key only while it still holds the caller's token. */
const RELEASE_LEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Sets the key's expiry to ARGV[2] ms only while it still holds the caller's token; 1 when it did. */
const RENEW_LEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/** Extends the caller's lease on `key` to `leaseMs` from now; false when it expired (another may hold it). */
export async function renewLease(redis: Redis, key: string, token: string, leaseMs: number): Promise<boolean> {
  return (await redis.eval(RENEW_LEASE_SCRIPT, 1, key, token, leaseMs)) === 1;
}

/** Gives up the caller's lease on `key`; does nothing when it already expired. */
export async function releaseLease(redis: Redis, key: string, token: string): Promise<void> {
  await redis.eval(RELEASE_LEASE_SCRIPT, 1, key, token);
}

/**
 * Renews the caller's lease on `key` every third of `leaseMs` until the returned function is called: a lease as
 * long as a job's lock then lives exactly as long as its holder, and a holder killed mid-work frees it within
 * `leaseMs`, as BullMQ frees its job. A failed renewal (Redis briefly away) is tried again at the next tick.
 */
export function keepLeaseAlive(redis: Redis, key: string, token: string, leaseMs: number): () => void {
  const timer = setInterval(() => void renewLease(redis, key, token, leaseMs).catch(() => undefined), Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}
