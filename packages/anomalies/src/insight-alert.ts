// The alert contract between insights (anomalies, budgets) and the notifier: event name, dedup key, text, details.
import type { Severity } from './severity.js';

/** Notification events raised by insights (`notifications.channels[].events`). */
export type InsightEvent = 'critical-anomaly' | 'budget-threshold';

export interface InsightAlert {
  event: InsightEvent;
  /**
   * Deterministic: the same condition (anomaly opened, escalated to a level; budget threshold crossed in a period)
   * always gives the same key, so the alert log raises it once and a notifier can drop repeats.
   */
  dedupKey: string;
  severity: Severity;
  /** One line, for a subject or a Slack header. */
  title: string;
  /** A few sentences with the numbers and their units. */
  message: string;
  /** ISO time the alert was raised. */
  raisedAt: string;
  /** Flat fields for channels (Slack fields, webhook JSON). Money is USD; per-day figures say so in the name. */
  details: Record<string, string | number | boolean | null>;
}
