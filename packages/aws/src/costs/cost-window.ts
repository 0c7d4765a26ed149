// The days a cost request covers, checked against what Cost Explorer keeps: 13 months back plus the current month.
import { UsageError } from '@finops/core';

const DAY_MS = 86_400_000;
/** Cost Explorer serves data from the first day of the month this many months back (aws-facts.md §3). */
export const COST_EXPLORER_MONTHS_BACK = 13;

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC of the day of `now`. */
export function utcDayStart(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

/** The earliest day Cost Explorer answers for: the 1st of the month 13 months before `now`'s. */
export function earliestCostDay(now: Date): string {
  return isoDay(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - COST_EXPLORER_MONTHS_BACK, 1));
}

/** The longest lookback (days before today) Cost Explorer can serve on the day of `now`. */
export function maxCostLookbackDays(now: Date): number {
  return Math.round((utcDayStart(now) - Date.parse(`${earliestCostDay(now)}T00:00:00Z`)) / DAY_MS);
}

/**
 * The `lookbackDays` full days before the day of `now`: `start` inclusive, `end` (today) exclusive, as Cost
 * Explorer's TimePeriod takes them. Today is left out: its costs are still coming in.
 *
 * @example costWindow(new Date('2026-11-26T15:00:00Z'), 7) // { start: '2026-11-19', end: '2026-11-26' }
 */
export function costWindow(now: Date, lookbackDays: number): { start: string; end: string } {
  if (!Number.isInteger(lookbackDays) || lookbackDays < 1) {
    throw new UsageError(`cost lookback must be a whole number of days ≥ 1, got ${lookbackDays}`, { hint: 'set costs.lookbackDays to 1 or more' });
  }
  const max = maxCostLookbackDays(now);
  if (lookbackDays > max) {
    throw new UsageError(
      `a cost lookback of ${lookbackDays} days reaches before ${earliestCostDay(now)}, the oldest day Cost Explorer keeps (13 months plus the current one)`,
      { hint: `lower costs.lookbackDays to at most ${max}` },
    );
  }
  const end = utcDayStart(now);
  return { start: isoDay(end - lookbackDays * DAY_MS), end: isoDay(end) };
}

/** Checks a caller-given period: dates as YYYY-MM-DD, start before end, start no older than Cost Explorer keeps. */
export function checkCostPeriod(start: string, end: string, now: Date): void {
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const endMs = Date.parse(`${end}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end) || Number.isNaN(startMs) || Number.isNaN(endMs)) {
    throw new UsageError(`cost period ${start}..${end}: expected dates as YYYY-MM-DD`);
  }
  if (startMs >= endMs) throw new UsageError(`cost period ${start}..${end}: start must be before end (end is exclusive)`);
  if (start < earliestCostDay(now)) {
    throw new UsageError(`cost period starts ${start}, before ${earliestCostDay(now)}, the oldest day Cost Explorer keeps`);
  }
}

/** Every day of [start, end) as YYYY-MM-DD. */
export function daysOf(start: string, end: string): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${start}T00:00:00Z`); ms < Date.parse(`${end}T00:00:00Z`); ms += DAY_MS) days.push(isoDay(ms));
  return days;
}
