// Reading metric summaries the way every check must: coverage, recent days, monthly rates, "no data" apart from zero.
import type { MetricSummary } from '@finops/core';
import { HOURS_PER_MONTH } from '@finops/pricing';

export const DAY_MS = 86_400_000;
/** Days in a billing month, consistent with HOURS_PER_MONTH (730 / 24). */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export interface DailyValue {
  date: string;
  value: number;
}

/** datapoints / expected, within 0..1. */
export function coverage(summary: MetricSummary): number {
  if (summary.expectedDatapoints <= 0) return 1;
  return Math.min(1, Math.max(0, summary.datapoints / summary.expectedDatapoints));
}

/** `YYYY-MM-DD` of the UTC day `days` days before `now`: the first date of a "last N days" rule. */
export function cutoffDate(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The daily values of the last `days` days (from the UTC date `days` days ago to today), oldest first. The first
 * and last dates may be partial days: a "last 7 days" rule then reads slightly more than 7 days, never less.
 */
export function recentDays(daily: readonly DailyValue[], days: number, now: Date): DailyValue[] {
  const from = cutoffDate(now, days);
  return daily.filter((day) => day.date >= from);
}

/** Two daily series added per date (a missing date counts as 0 in the series that lacks it), oldest first. */
export function addDaily(a: readonly DailyValue[], b: readonly DailyValue[]): DailyValue[] {
  const totals = new Map<string, number>();
  for (const day of [...a, ...b]) totals.set(day.date, (totals.get(day.date) ?? 0) + day.value);
  return [...totals.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([date, value]) => ({ date, value }));
}

/** A total observed over `windowDays` days as a monthly amount. */
export function perMonth(total: number, windowDays: number): number {
  return windowDays > 0 ? (total * DAYS_PER_MONTH) / windowDays : 0;
}

/**
 * Whether a resource created at `createdAt` existed for the whole window of `days` days before `now`: only then
 * can missing or zero datapoints mean "unused" rather than "not there yet". An unparsable time reads as new.
 */
export function existedThroughout(createdAt: string, days: number, now: Date): boolean {
  const created = Date.parse(createdAt);
  return !Number.isNaN(created) && created <= now.getTime() - days * DAY_MS;
}

/**
 * Whether a metric says enough to judge a resource by it: one that existed for the whole window is judged on the
 * datapoints it has; a newer one only when at least `minCoverage` of the expected datapoints are there.
 */
export function enoughData(summary: MetricSummary, createdAt: string, lookbackDays: number, now: Date, minCoverage: number): boolean {
  return existedThroughout(createdAt, lookbackDays, now) || coverage(summary) >= minCoverage;
}
