// Number formatting for reasons: short, readable, and never rounding a small value to zero.

/** 1.834 → "1.8", 0.043 → "0.043", 12.6 → "13". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 10) return value.toFixed(0);
  return String(Number(value.toPrecision(2)));
}

/** Bytes as decimal megabytes (CloudWatch network metrics are bytes; 1 MB = 1,000,000 bytes). */
export function formatMegabytes(bytes: number): string {
  return `${formatNumber(bytes / 1_000_000)} MB`;
}

/** 10 → "$10.00" */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** Whole days between an ISO time and `now`; undefined when the time does not parse. */
export function daysSince(iso: string, now: Date): number | undefined {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return undefined;
  return Math.floor((now.getTime() - then) / 86_400_000);
}

/** Whether a monthly amount survives rounding to cents: float noise around $0 must not become a finding. */
export function atLeastACent(usd: number): boolean {
  return usd >= 0.005;
}
