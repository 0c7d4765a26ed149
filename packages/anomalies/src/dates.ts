// Calendar days as `YYYY-MM-DD` strings in UTC: the unit of Cost Explorer's daily costs.

const DAY_MS = 86_400_000;

/** Midnight UTC of a `YYYY-MM-DD` day, in ms; throws on anything else, since a bad date here is a bug upstream. */
export function dayToMs(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms)) throw new Error(`expected a day as YYYY-MM-DD, got "${day}"`);
  return ms;
}

/** The UTC day of a time: `2026-03-01`. */
export function dayOf(time: Date | number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** `day` moved by `days` (negative goes back). */
export function addDays(day: string, days: number): string {
  return dayOf(dayToMs(day) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayToMs(to) - dayToMs(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, as `Date.getUTCDay`. */
export function weekdayOf(day: string): number {
  return new Date(dayToMs(day)).getUTCDay();
}
