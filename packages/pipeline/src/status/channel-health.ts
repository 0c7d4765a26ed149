// The outcome of the last delivery to each notification channel, written by the sender, read by /api/status.
import type { Redis } from 'ioredis';

export interface ChannelDelivery {
  at: string;
  ok: boolean;
  /** What went wrong (HTTP status, SNS error code), for a failed delivery. */
  error?: string;
}

export function channelHealthKey(prefix: string): string {
  return `${prefix}:status:channels`;
}

/** Records one delivery attempt to a channel; the last success and the last failure are kept separately. */
export async function recordChannelDelivery(redis: Redis, prefix: string, channelId: string, delivery: ChannelDelivery): Promise<void> {
  await redis.hset(channelHealthKey(prefix), `${channelId}|${delivery.ok ? 'ok' : 'error'}`, JSON.stringify(delivery));
}

/** Last success and last failure per channel id. */
export async function readChannelHealth(redis: Redis, prefix: string): Promise<Map<string, { lastSuccess?: ChannelDelivery; lastFailure?: ChannelDelivery }>> {
  const health = new Map<string, { lastSuccess?: ChannelDelivery; lastFailure?: ChannelDelivery }>();
  for (const [field, raw] of Object.entries(await redis.hgetall(channelHealthKey(prefix)))) {
    const [id, kind] = field.split('|');
    const entry = health.get(id) ?? {};
    if (kind === 'ok') entry.lastSuccess = JSON.parse(raw) as ChannelDelivery;
    else entry.lastFailure = JSON.parse(raw) as ChannelDelivery;
    health.set(id, entry);
  }
  return health;
}
