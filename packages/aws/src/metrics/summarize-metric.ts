// Summarizes every datapoint of a metric's window into a MetricSummary: extremes, mean, percentiles and daily values.
import type { MetricSummary } from '@finops/core';

/** A metric's datapoints as parallel arrays: epoch milliseconds and values, as GetMetricData returns them. */
export interface Series {
  times: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface SummaryOptions {
  stat: MetricSummary['stat'];
  periodSec: number;
  expectedDatapoints: number;
  /** Only datapoints at or after this time (epoch ms) count: a query spanning a longer window serves a shorter one. */
  fromMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value with at least p% of values at or
 * below it. It is always a value that occurred, which keeps "peak CPU" honest on short windows.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/**
 * The summary of all datapoints of a window, or `null` when there are none: "no data" (a new or stopped resource)
 * must stay distinguishable from zero. A timestamp reported twice counts once (the later value). This runs once
 * per metric of every resource — hundreds of thousands of times in a large scan — so it works on plain numbers:
 * days are whole UTC days since the epoch, and only the ≤ 30 day labels become strings.
 */
export function summarizeSeries(series: Series, options: SummaryOptions): MetricSummary | null {
  const { times, values: rawValues } = series;
  const fromMs = options.fromMs ?? Number.NEGATIVE_INFINITY;
  const length = Math.min(times.length, rawValues.length);
  // GetMetricData with ScanBy=TimestampAscending returns ascending times; anything else is put in order first.
  for (let i = 1; i < length; i += 1) {
    if ((times[i] as number) < (times[i - 1] as number)) return summarizeSeries(inTimeOrder(series), options);
  }
  // One pass: kept values (finite, in the window, the later of a repeated timestamp), their sum and the days.
  const kept = new Float64Array(length);
  let count = 0;
  let lastTime = Number.NaN;
  for (let i = 0; i < length; i += 1) {
    const time = times[i] as number;
    const value = rawValues[i] as number;
    if (!(time >= fromMs) || !Number.isFinite(time) || !Number.isFinite(value)) continue;
    if (time === lastTime) kept[count - 1] = value;
    else {
      kept[count] = value;
      count += 1;
      lastTime = time;
    }
  }
  if (count === 0) return null;
  // The days, from the same filtered series (a second pass keeps the first one free of day bookkeeping).
  const daily: { date: string; value: number }[] = [];
  let day = Number.NaN;
  let dayValue = 0;
  let index = -1;
  lastTime = Number.NaN;
  for (let i = 0; i < length; i += 1) {
    const time = times[i] as number;
    if (!(time >= fromMs) || !Number.isFinite(time) || !Number.isFinite(rawValues[i] as number)) continue;
    if (time === lastTime) continue;
    lastTime = time;
    index += 1;
    const value = kept[index] as number;
    const d = Math.floor(time / DAY_MS);
    if (d !== day) {
      if (!Number.isNaN(day)) daily.push({ date: dayLabel(day), value: dayValue });
      day = d;
      dayValue = value;
    } else {
      // A day of Sum datapoints is their total; a day of averages or maxima is its peak.
      dayValue = options.stat === 'Sum' ? dayValue + value : Math.max(dayValue, value);
    }
  }
  daily.push({ date: dayLabel(day), value: dayValue });

  const values = count === length ? kept : kept.subarray(0, count);
  let sum = 0;
  for (let i = 0; i < count; i += 1) sum += values[i] as number;
  const sorted = Float64Array.from(values).sort();
  return {
    periodSec: options.periodSec,
    stat: options.stat,
    datapoints: count,
    expectedDatapoints: options.expectedDatapoints,
    min: sorted[0] as number,
    max: sorted[count - 1] as number,
    avg: sum / count,
    sum,
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    daily,
  };
}

/** The series sorted by time; of a repeated timestamp the value that came later stays later. */
function inTimeOrder(series: Series): { times: number[]; values: number[] } {
  const length = Math.min(series.times.length, series.values.length);
  const order = Array.from({ length }, (_, i) => i).sort((a, b) => (series.times[a] as number) - (series.times[b] as number) || a - b);
  return { times: order.map((i) => series.times[i] as number), values: order.map((i) => series.values[i] as number) };
}

/** `YYYY-MM-DD` of a day since the epoch, one string per day shared by every summary (a scan holds millions). */
const dayLabels = new Map<number, string>();
function dayLabel(day: number): string {
  let label = dayLabels.get(day);
  if (label === undefined) {
    if (dayLabels.size >= 4096) dayLabels.clear();
    label = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayLabels.set(day, label);
  }
  return label;
}

/**
 * Sub-daily datapoints folded into one per UTC day, by the statistic: totals of sums, peaks of maxima, means of
 * averages. A timestamp reported twice in a row counts once; one before `fromMs` (epoch ms), when given, not at all.
 */
export function perDaySeries(series: Series, stat: MetricSummary['stat'], fromMs = Number.NEGATIVE_INFINITY): { times: number[]; values: number[] } {
  const days = new Map<number, { total: number; peak: number; count: number }>();
  const length = Math.min(series.times.length, series.values.length);
  for (let i = 0; i < length; i += 1) {
    const time = series.times[i] as number;
    const value = series.values[i] as number;
    if (!(time >= fromMs) || !Number.isFinite(time) || !Number.isFinite(value)) continue;
    if (i > 0 && series.times[i - 1] === time) continue;
    const day = Math.floor(time / DAY_MS);
    const entry = days.get(day);
    if (entry) {
      entry.total += value;
      entry.peak = Math.max(entry.peak, value);
      entry.count += 1;
    } else days.set(day, { total: value, peak: value, count: 1 });
  }
  const ordered = [...days.entries()].sort(([a], [b]) => a - b);
  return {
    times: ordered.map(([day]) => day * DAY_MS),
    values: ordered.map(([, entry]) => (stat === 'Sum' ? entry.total : stat === 'Maximum' ? entry.peak : entry.total / entry.count)),
  };
}
