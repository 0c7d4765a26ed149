// The expected cost of a day: the median of the same weekday over a trailing window, with a robust noise scale.
import { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from './robust-stats.js';

export interface BaselineOptions {
  /** Trailing days looked at (anomalyDetection.baselineDays). */
  windowDays: number;
  /** First day that counts as history (the series' first day with cost); earlier days are ignored. */
  firstIndex: number;
}

export interface Baseline {
  /** Expected cost of the day, USD. */
  usd: number;
  /**
   * The series' ordinary day-to-day spread, USD, as a standard deviation: 1.4826 × the larger of the MAD of the
   * same-weekday samples and the median of the seven weekdays' MADs. The first catches a weekday that swings (two
   * samples, one a holiday); the second a series that is noisy every day even when one weekday's few samples
   * happen to agree. Medians all the way, so a recent step change does not pass for noise before the baseline
   * itself absorbs it.
   */
  noiseUsd: number;
  /** Same-weekday samples the median was taken over. */
  samples: number;
}

/**
 * The baseline of `values[index]` from the days before it. Weekly seasonality is handled by comparing a day only
 * with the same weekday; the median ignores a few outlying days (a holiday, an earlier spike) as long as they are
 * fewer than half of the samples, which also means a lasting step change becomes the new normal after about half
 * the window. Undefined when the window holds no same-weekday day.
 *
 * @example
 * // 8 Mondays in a 56-day window: baseline = their median
 * seasonalBaseline(values, 70, { windowDays: 56, firstIndex: 0 });
 */
export function seasonalBaseline(values: readonly number[], index: number, { windowDays, firstIndex }: BaselineOptions): Baseline | undefined {
  const lo = Math.max(0, firstIndex, index - windowDays);
  const hi = Math.min(index, values.length);
  const byWeekday: number[][] = [[], [], [], [], [], [], []];
  for (let j = lo; j < hi; j++) byWeekday[(index - j) % 7].push(values[j]);
  const sameWeekday = byWeekday[0];
  if (sameWeekday.length === 0) return undefined;

  const usd = median(sameWeekday);
  const weekdaySpreads = byWeekday.filter((group) => group.length > 0).map((group) => medianAbsoluteDeviation(group, median(group)));
  const spread = Math.max(medianAbsoluteDeviation(sameWeekday, usd), median(weekdaySpreads));
  return { usd, noiseUsd: MAD_TO_SIGMA * spread, samples: sameWeekday.length };
}

/** Index of the first day with a cost, or -1 when the series never had one. */
export function firstCostIndex(values: readonly number[]): number {
  return values.findIndex((v) => v !== 0);
}
