// The notification: one message about one event, channel-neutral, with the key that makes it unique.
import { NOTIFICATION_EVENTS } from '@finops/core';
import { z } from 'zod';

export const NOTIFICATION_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type NotificationSeverity = (typeof NOTIFICATION_SEVERITIES)[number];

/**
 * What producers enqueue and every channel renders. `dedupKey` names the event, not the attempt: the same anomaly,
 * budget threshold or scan failure always yields the same key (e.g. `budget-threshold:platform:2026-11:80`), so a
 * retry, a re-run of the producing job or a second replica cannot send it twice.
 */
export const notificationSchema = z.strictObject({
  event: z.enum(NOTIFICATION_EVENTS),
  dedupKey: z.string().min(1).max(300),
  title: z.string().min(1).max(150),
  /** One paragraph for people; Markdown-free so every channel can show it as it is. */
  text: z.string().max(3000),
  severity: z.enum(NOTIFICATION_SEVERITIES).default('info'),
  /** Short label/value pairs shown as a table or list (at most 10, as Slack allows). */
  fields: z.array(z.strictObject({ label: z.string().min(1).max(60), value: z.string().max(500) })).max(10).default([]),
  /** Where to read more (the report, Bull Board). */
  link: z.url().optional(),
  scanId: z.string().optional(),
  /** When the event happened (not when it is sent): the same on every retry. */
  occurredAt: z.iso.datetime({ offset: true }),
  /** Machine-readable details for webhook and SNS consumers. */
  data: z.record(z.string(), z.unknown()).default({}),
});

export type Notification = z.infer<typeof notificationSchema>;
export type NotificationInput = z.input<typeof notificationSchema>;
