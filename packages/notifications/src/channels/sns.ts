// Amazon SNS: the notification as one message per protocol (text for email and SMS, JSON for the rest).
import type { Notification } from '../notification.js';
import { webhookBody } from './webhook.js';

/** What the channel asks of an SNS publisher (implemented with the AWS SDK in @finops/aws). */
export interface SnsPublishInput {
  topicArn: string;
  subject: string;
  /** With messageStructure `json`: a JSON object of per-protocol messages, `default` required. */
  message: string;
  messageStructure?: 'json';
  attributes: Record<string, string>;
  /** FIFO topics only: SNS drops a second message with the same id within 5 minutes. */
  deduplicationId?: string;
  groupId?: string;
}

export type SnsPublisher = (input: SnsPublishInput) => Promise<{ messageId?: string }>;

/** SNS subjects: ASCII printable, no line breaks, under 100 characters. */
export function snsSubject(title: string): string {
  const ascii = title.replace(/[^\x20-\x7e]/g, '?').trim();
  return ascii.length > 99 ? `${ascii.slice(0, 96)}...` : ascii || 'FinOps notification';
}

export function notificationText(notification: Notification): string {
  return [
    notification.title,
    '',
    notification.text,
    ...(notification.fields.length ? ['', ...notification.fields.map((f) => `${f.label}: ${f.value}`)] : []),
    ...(notification.link ? ['', notification.link] : []),
    '',
    `${notification.severity} · ${notification.event}${notification.scanId ? ` · scan ${notification.scanId}` : ''} · ${notification.occurredAt}`,
  ].join('\n');
}

export function snsPublishInput(topicArn: string, notification: Notification, idempotencyKey: string): SnsPublishInput {
  const text = notificationText(notification);
  const json = JSON.stringify(webhookBody(notification, idempotencyKey));
  const fifo = topicArn.endsWith('.fifo');
  return {
    topicArn,
    subject: snsSubject(notification.title),
    message: JSON.stringify({ default: text, email: text, sms: notification.title, sqs: json, lambda: json, http: json, https: json, firehose: json }),
    messageStructure: 'json',
    attributes: { event: notification.event, severity: notification.severity },
    ...(fifo ? { deduplicationId: idempotencyKey, groupId: notification.event } : {}),
  };
}
