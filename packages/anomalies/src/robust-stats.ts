// Median and median absolute deviation: location and spread that a few outlying days cannot drag.

/** Median of the values; NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median absolute deviation around `center`; NaN for none. */
export function medianAbsoluteDeviation(values: readonly number[], center: number): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** MAD × 1.4826 estimates the standard deviation of normally distributed noise. */
export const MAD_TO_SIGMA = 1.4826;
