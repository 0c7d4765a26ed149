// A sliding-window rate limit per channel, in Redis: it holds across every worker and replica.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Takes a slot in the window if one is free (returns 0), else returns how many ms until the oldest slot frees, or
 * until the channel's pause (a 429's Retry-After) ends. Uses the server's clock, so replicas with skewed clocks share
 * one window.
 */
const TAKE_SLOT = `
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused end
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs - window)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], nowMs, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - nowMs)
`;

export class ChannelRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Length of the window; `ratePerMinute` slots per minute means a 60 000 ms window. */
    private readonly windowMs = 60_000,
  ) {}

  /** 0 when a message may go now (the slot is taken), else the wait in ms before asking again. */
  async take(channelId: string, maxPerWindow: number): Promise<number> {
    const wait = await this.redis.eval(
      TAKE_SLOT,
      2,
      `${this.prefix}:notify:rate:${channelId}`,
      `${this.prefix}:notify:pause:${channelId}`,
      this.windowMs,
      maxPerWindow,
      randomUUID(),
    );
    return Number(wait);
  }

  /** Holds every message to the channel for `ms` (the channel said 429 with Retry-After), across replicas. */
  async pause(channelId: string, ms: number): Promise<void> {
    await this.redis.set(`${this.prefix}:notify:pause:${channelId}`, '1', 'PX', Math.max(1, Math.round(ms)));
  }
}
