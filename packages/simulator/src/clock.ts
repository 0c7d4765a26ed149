// Time helpers: the estate's ages are relative to the real clock, anchored at the start of the current UTC day.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * The anchor every generated age counts back from: midnight UTC of `nowMs`. Two processes started on the same UTC
 * day build identical estates (same launch times, same cost days), yet ages follow the real calendar.
 */
export function startOfUtcDay(nowMs: number): number {
  return Math.floor(nowMs / DAY_MS) * DAY_MS;
}

/** `2024-05-01` */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `2024-05-01 13:45:07`, the form EC2 uses inside StateTransitionReason. */
export function gmtTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `2024-05-01T13:45:07.000+0000`, the form of Lambda's LastModified. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Parses `YYYY-MM-DD` as midnight UTC; NaN when it is not such a date. */
export function parseIsoDate(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return Number.NaN;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return isoDate(ms) === text ? ms : Number.NaN;
}
