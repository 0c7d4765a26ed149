// The last success and failure of each channel (and of the backend), kept in Redis for operators: a channel that
// fails permanently is reported here and in the logs instead of being retried forever.
import type { Redis } from 'ioredis';

export interface ChannelFailure {
  at: string;
  /** `permanent`: retrying cannot help (fix the channel); `exhausted`: every attempt failed; `unavailable`: down, still waiting. */
  kind: 'permanent' | 'exhausted' | 'unavailable';
  message: string;
  status?: number;
  dedupKey?: string;
  event?: string;
}

export interface ChannelStatus {
  channelId: string;
  lastSuccessAt?: string;
  lastFailure?: ChannelFailure;
  /** Notifications given up on since the status was first recorded. */
  failedCount: number;
}

export class ChannelStatusStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(channelId: string): string {
    return `${this.prefix}:notify:channel:${channelId}`;
  }

  async recordSuccess(channelId: string, at: Date): Promise<void> {
    await this.redis.hset(this.key(channelId), 'lastSuccessAt', at.toISOString());
  }

  async recordFailure(channelId: string, failure: ChannelFailure): Promise<void> {
    await this.redis.multi().hset(this.key(channelId), 'lastFailure', JSON.stringify(failure)).hincrby(this.key(channelId), 'failedCount', 1).exec();
  }

  async status(channelId: string): Promise<ChannelStatus> {
    const fields = await this.redis.hgetall(this.key(channelId));
    return {
      channelId,
      lastSuccessAt: fields.lastSuccessAt || undefined,
      lastFailure: fields.lastFailure ? (JSON.parse(fields.lastFailure) as ChannelFailure) : undefined,
      failedCount: Number(fields.failedCount ?? 0),
    };
  }
}
