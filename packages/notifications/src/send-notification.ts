// Sends one notification to one channel at most once as far as Redis can tell: dedup, lock, rate limit, send, record.
import { createHash } from 'node:crypto';
import type { ChannelSender } from './channels/create-sender.js';
import type { ChannelRateLimiter } from './channel-rate-limiter.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import type { Notification } from './notification.js';

export const NOTIFY_SCOPE = 'notify';

export type SendOutcome =
  | { status: 'sent'; idempotencyKey: string }
  /** Already sent (by an earlier attempt, job or replica): nothing was sent now. */
  | { status: 'duplicate'; sentAt: string }
  /** Not sent yet: ask again in `retryInMs` (the channel's rate limit, or another worker is sending this key). */
  | { status: 'deferred'; reason: 'rate-limit' | 'in-flight'; retryInMs: number };

export interface SendNotificationDeps {
  sender: ChannelSender;
  ledger: DeliveryLedger;
  limiter: ChannelRateLimiter;
  /** Lock length: longer than one send can take (its timeout), so a slow send is not overtaken. */
  lockMs: number;
  now: () => Date;
  /** Written into the sent record: who sent it. */
  by?: string;
}

/** The Idempotency-Key of a notification to a channel: the same on every attempt, different per channel. */
export function idempotencyKey(channelId: string, dedupKey: string): string {
  return `finops-${createHash('sha256').update(`${channelId}\n${dedupKey}`).digest('hex').slice(0, 40)}`;
}

/**
 * The delivery guarantee: a notification is recorded as sent exactly once per (channel, dedupKey), and reaches the
 * endpoint at least once. Order: (1) skip if a sent record exists; (2) take a lock so a second replica or a stalled
 * copy of the job cannot send concurrently; (3) check the record again under the lock; (4) take a rate-limit slot;
 * (5) send with the Idempotency-Key; (6) record it as sent (SET NX); release the lock.
 *
 * Between (5) and (6) a crash loses the record but not the message: the job's lock expires, BullMQ runs it again,
 * and the endpoint receives the same message a second time with the same Idempotency-Key (and the same webhook
 * `id`, SNS FIFO deduplication id, email Message-ID), which lets it drop the copy. That window is a few
 * milliseconds; nothing else sends twice.
 *
 * Failures of the send are DeliveryErrors, thrown to the caller, who retries or reports them.
 */
export async function sendNotification(notification: Notification, deps: SendNotificationDeps): Promise<SendOutcome> {
  const { sender, ledger, limiter } = deps;
  const channel = sender.channel;
  const key = `${channel.id}:${notification.dedupKey}`;
  const earlier = await ledger.sent(NOTIFY_SCOPE, key);
  if (earlier) return { status: 'duplicate', sentAt: earlier.sentAt };
  const token = await ledger.lock(NOTIFY_SCOPE, key, deps.lockMs);
  // Another worker is sending this key right now: look again shortly, by then it is recorded (or its lock expired).
  if (!token) return { status: 'deferred', reason: 'in-flight', retryInMs: Math.min(deps.lockMs, 1000) };
  try {
    const raced = await ledger.sent(NOTIFY_SCOPE, key);
    if (raced) return { status: 'duplicate', sentAt: raced.sentAt };
    const wait = await limiter.take(channel.id, channel.ratePerMinute);
    if (wait > 0) return { status: 'deferred', reason: 'rate-limit', retryInMs: wait };
    const idem = idempotencyKey(channel.id, notification.dedupKey);
    await sender.send(notification, { idempotencyKey: idem });
    await ledger.markSent(NOTIFY_SCOPE, key, { sentAt: deps.now().toISOString(), by: deps.by });
    return { status: 'sent', idempotencyKey: idem };
  } finally {
    await ledger.unlock(NOTIFY_SCOPE, key, token);
  }
}
