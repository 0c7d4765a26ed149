// Token buckets in Redis shared by every worker replica: AWS limits are per (account, region, API), not per process.
import { createHash } from 'node:crypto';
import { bucketFor, RATE_HEADROOM_PERCENT, type RateLimitKey, type RateLimitOverrides } from './aws-rate-limits.js';
import type { RateLimiter } from './rate-limiter.js';
import { TOKEN_BUCKET_SCRIPT } from './token-bucket-script.js';

/** The two script commands the limiter needs; an ioredis `Redis` (or `Cluster`) fits. */
export interface RedisScripting {
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export interface RedisRateLimiterOptions {
  redis: RedisScripting;
  /** The hash-tagged prefix of every key (`{finops}`): all buckets live in the platform's cluster slot. */
  prefix: string;
  /** AWS's bucket sizes over the documented defaults, by bucket name or service (`aws.rateLimits.overrides`). */
  overrides?: RateLimitOverrides;
  /** Percent of AWS's rate left unused (default {@link RATE_HEADROOM_PERCENT}, see there why). */
  headroomPercent?: number;
  /** Percent of AWS's burst left unused (default: the larger of headroomPercent and BURST_HEADROOM_PERCENT). */
  burstHeadroomPercent?: number;
  /** Longest single sleep before asking again when no token could be reserved, ms (default 1000). */
  maxSleepMs?: number;
  /**
   * How far ahead a token may be reserved, ms (default {@link RESERVATION_HORIZON_MS}). Beyond it a caller sleeps
   * and asks again instead of holding a slot: a process that dies then strands at most this much of the bucket.
   */
  reservationHorizonMs?: number;
  /** The clock in ms. Default: Redis's own TIME, one clock for every replica. Tests pin it. */
  clock?: () => number;
  /** Called when Redis fails; the call then goes out unlimited (the SDK's retries still handle throttling). */
  onError?: (error: Error) => void;
  sleep?: (ms: number) => Promise<void>;
}

const SCRIPT_SHA = createHash('sha1').update(TOKEN_BUCKET_SCRIPT).digest('hex');

/**
 * Tokens are reserved up to this far ahead (10 s: 150 Lambda calls, 500 GetMetricData calls at AWS's rates).
 * Before reservations every waiter slept until "a token is due" and asked again; at 15 calls/s each grant then came
 * a timer's lateness plus a Redis round trip after its slot — 2.4 s over a 6,250-resource partition's 628 Lambda
 * calls on a loaded 2-core machine. A reserved slot is fixed on the bucket's clock: lateness no longer adds up.
 */
export const RESERVATION_HORIZON_MS = 10_000;

type Mode = 'try' | 'reserve';

/**
 * A {@link RateLimiter} over Redis token buckets keyed `<prefix>:ratelimit:<account>:<region|global>:<bucket>`.
 *
 * @example
 * const limiter = new RedisRateLimiter({ redis, prefix: '{finops}' });
 * await limiter.acquire({ accountId: '111111111111', region: 'eu-west-1', service: 'ec2', operation: 'DescribeVolumes' });
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #options: RedisRateLimiterOptions;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: RedisRateLimiterOptions) {
    const headroom = options.headroomPercent ?? RATE_HEADROOM_PERCENT;
    if (!(headroom >= 0 && headroom < 100)) throw new Error(`headroomPercent must be at least 0 and below 100, got ${headroom}`);
    const burst = options.burstHeadroomPercent;
    if (burst !== undefined && !(burst >= 0 && burst < 100)) throw new Error(`burstHeadroomPercent must be at least 0 and below 100, got ${burst}`);
    this.#options = options;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async acquire(key: RateLimitKey): Promise<void> {
    await this.acquireAt(key);
  }

  /**
   * Waits for a token, like acquire: takes one, or reserves the next free slot and sleeps until it. Resolves with
   * the time the call may go out on the bucket's clock (Redis TIME, or the `clock` option), in ms — or this
   * process's clock when Redis failed and the call goes out unlimited.
   */
  async acquireAt(key: RateLimitKey): Promise<number> {
    const maxSleep = this.#options.maxSleepMs ?? 1000;
    for (;;) {
      let answer: { waitMs: number; atMs: number; granted: boolean };
      try {
        answer = await this.#take(key, 'reserve');
      } catch (error) {
        this.#options.onError?.(error as Error);
        return Date.now();
      }
      if (answer.granted) {
        if (answer.waitMs > 0) await this.#sleep(answer.waitMs);
        return answer.atMs + answer.waitMs;
      }
      await this.#sleep(Math.min(answer.waitMs, maxSleep));
    }
  }

  /** Takes a token if one is there: 0, or the ms until the next one is due (nothing taken, nothing reserved). */
  async tryAcquire(key: RateLimitKey): Promise<number> {
    return (await this.#take(key, 'try')).waitMs;
  }

  async #take(key: RateLimitKey, mode: Mode): Promise<{ waitMs: number; atMs: number; granted: boolean }> {
    const spec = bucketFor(key, this.#options.overrides, this.#options.headroomPercent, this.#options.burstHeadroomPercent);
    const redisKey = `${this.#options.prefix}:ratelimit:${key.accountId}:${spec.scope}:${spec.name}`;
    const horizonMs = this.#options.reservationHorizonMs ?? RESERVATION_HORIZON_MS;
    // A bucket left alone refills completely (its reservations too) in burst / rate s + the horizon; after that its
    // key carries no information.
    const ttlMs = Math.ceil((spec.burst / spec.refillPerSec) * 1000) + horizonMs + 1000;
    const args = [redisKey, spec.burst, spec.refillPerSec, this.#options.clock ? this.#options.clock() : '', ttlMs, mode, horizonMs];
    const { redis } = this.#options;
    let result: unknown;
    try {
      result = await redis.evalsha(SCRIPT_SHA, 1, ...args);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      result = await redis.eval(TOKEN_BUCKET_SCRIPT, 1, ...args);
    }
    const [waitMs, atMs, granted] = Array.isArray(result) ? result.map(Number) : [Number.NaN, Number.NaN, Number.NaN];
    if (!Number.isFinite(waitMs) || !Number.isFinite(atMs) || !(granted === 0 || granted === 1)) {
      throw new Error(`rate limit script answered ${JSON.stringify(result)}`);
    }
    return { waitMs: waitMs as number, atMs: atMs as number, granted: granted === 1 };
  }
}
