// Generic webhook: the notification as a JSON body, signed with HMAC-SHA256 so the receiver can trust it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Notification } from '../notification.js';

export const SIGNATURE_HEADER = 'X-Finops-Signature';
export const TIMESTAMP_HEADER = 'X-Finops-Timestamp';
export const EVENT_HEADER = 'X-Finops-Event';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** The JSON body a webhook receives (see docs/notifications.md). */
export interface WebhookBody {
  type: 'finops.notification';
  version: 1;
  /** Same value as the Idempotency-Key header: equal on every retry of the same notification to this channel. */
  id: string;
  event: Notification['event'];
  dedupKey: string;
  severity: Notification['severity'];
  title: string;
  text: string;
  fields: Notification['fields'];
  link?: string;
  scanId?: string;
  occurredAt: string;
  data: Notification['data'];
}

export function webhookBody(notification: Notification, idempotencyKey: string): WebhookBody {
  const { event, dedupKey, severity, title, text, fields, link, scanId, occurredAt, data } = notification;
  return { type: 'finops.notification', version: 1, id: idempotencyKey, event, dedupKey, severity, title, text, fields, link, scanId, occurredAt, data };
}

/**
 * `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<raw body>"). The timestamp (Unix seconds, also sent in
 * X-Finops-Timestamp) is signed with the body so a captured request cannot be replayed later.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export interface VerifyWebhookInput {
  secret: string;
  /** The X-Finops-Signature header. */
  signature: string | undefined;
  /** The X-Finops-Timestamp header. */
  timestamp: string | undefined;
  /** The request body exactly as received, before any JSON parsing. */
  rawBody: string;
  /** Oldest accepted timestamp, in seconds from now (default 300). */
  toleranceSec?: number;
  now?: Date;
}

/**
 * What a receiver runs: true when the signature matches the body and the timestamp is recent. Compares in constant
 * time.
 *
 * @example verifyWebhookSignature({ secret, signature: req.headers['x-finops-signature'], timestamp: req.headers['x-finops-timestamp'], rawBody })
 */
export function verifyWebhookSignature({ secret, signature, timestamp, rawBody, toleranceSec = 300, now = new Date() }: VerifyWebhookInput): boolean {
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
  const seconds = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - seconds) > toleranceSec) return false;
  const expected = Buffer.from(signWebhook(secret, seconds, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
