// The platform's own forecast: each remaining day at the median of its weekday over the last four weeks of data.
import { addDays, daysBetween, median, weekdayOf, type DayAxis } from '@finops/anomalies';

/**
 * Days of data the weekday profile looks at: four samples of each weekday, recent enough to follow the bill's
 * level, and the median keeps one odd day (a spike, a holiday) out of it.
 */
export const FORECAST_PROFILE_DAYS = 28;

/**
 * Expected cost per weekday (index 0 = Sunday) from the last FORECAST_PROFILE_DAYS days of `values`; a weekday
 * with no sample gets the median of all of them. Undefined when there is no data at all.
 */
export function weekdayProfile(values: readonly number[], axis: DayAxis): number[] | undefined {
  const from = Math.max(0, values.length - FORECAST_PROFILE_DAYS);
  if (from >= values.length) return undefined;
  const byWeekday: number[][] = [[], [], [], [], [], [], []];
  for (let i = from; i < values.length; i++) byWeekday[weekdayOf(axis.days[i])].push(values[i]);
  const overall = median(values.slice(from));
  return byWeekday.map((samples) => (samples.length > 0 ? median(samples) : overall));
}

/** Expected cost of the days [from, to), USD, from a weekday profile. */
export function projectDays(profile: readonly number[], from: string, to: string): number {
  let sum = 0;
  for (let i = 0, n = daysBetween(from, to); i < n; i++) sum += profile[weekdayOf(addDays(from, i))];
  return sum;
}
