// The rate limiter contract the AWS clients await before each call; the Redis implementation is shared by every replica.
import type { RateLimitKey } from './aws-rate-limits.js';

/** Awaited before every AWS call: resolves when the call may go out. */
export interface RateLimiter {
  acquire(key: RateLimitKey): Promise<void>;
}
