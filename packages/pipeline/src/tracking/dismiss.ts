// Dismissing a tracked recommendation: one rule for the CLI and the API, with messages that say how to fix input.
import { UsageError } from '@finops/core';
import type { TrackingStore } from './tracking-store.js';
import type { Dismissal, TrackedRecommendation } from './tracking-types.js';

const RECOMMENDATION_ID = /^rec_[0-9a-f]{16}$/;

/** The id is well formed but no scan tracked it (never found, or forgotten after the retention). */
export class RecommendationNotFoundError extends UsageError {}

export interface DismissInput {
  id: string;
  reason: string;
  /** `YYYY-MM-DD` (through the end of that UTC day) or an ISO time; absent: until revoked. */
  until?: string;
  by?: string;
}

/**
 * `2027-01-31` → the end of that UTC day (exclusive: 2027-02-01T00:00:00.000Z); an ISO time as it is.
 * Throws UsageError for anything else, or for a moment not after `now`.
 */
export function parseDismissUntil(value: string, now: Date): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) + 86_400_000 : Date.parse(value);
  if (Number.isNaN(date) || (/^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(date - 86_400_000).toISOString().slice(0, 10) !== value)) {
    throw new UsageError(`until: expected a date (2027-01-31) or an ISO time, got "${value}"`, { hint: 'e.g. --until 2027-01-31' });
  }
  if (date <= now.getTime()) throw new UsageError(`until: ${value} is not in the future`, { hint: 'give a later date, or leave it out to dismiss until revoked' });
  return new Date(date).toISOString();
}

/**
 * Records a dismissal of a recommendation the platform has tracked. The next report lists it under `suppressed`
 * with the reason, and it stays out of totals and notifications until `until` (or until revoked).
 */
export async function dismissRecommendation(tracking: TrackingStore, input: DismissInput, now: Date): Promise<{ record: TrackedRecommendation; dismissal: Dismissal }> {
  if (!RECOMMENDATION_ID.test(input.id)) {
    throw new UsageError(`"${input.id}" is not a recommendation id`, { hint: 'ids look like rec_3f9a1c2b4d5e6f70: see report.json or GET /api/recommendations' });
  }
  const reason = input.reason.trim();
  if (!reason) throw new UsageError('a reason is required', { hint: 'say why, e.g. --reason "kept for the Q1 migration"' });
  const record = await tracking.get(input.id);
  if (!record) {
    throw new RecommendationNotFoundError(`recommendation ${input.id} is not tracked`, {
      hint: 'only recommendations of a completed scan can be dismissed; tracking forgets one optimization.trackingRetentionDays after it was last seen',
    });
  }
  const dismissal: Dismissal = {
    reason,
    at: now.toISOString(),
    ...(input.until ? { until: parseDismissUntil(input.until, now) } : {}),
    ...(input.by ? { by: input.by } : {}),
  };
  await tracking.dismiss(input.id, dismissal, now);
  return { record, dismissal };
}
