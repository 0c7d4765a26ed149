// Summarizes every datapoint of a metric's window into a MetricSummary: extremes, mean, percentiles and daily values.
import type { MetricSummary } from '@finops/core';

export interface Datapoint {
  timestamp: Date;
  value: number;
}

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value with at least p% of values at or
 * below it. It is always a value that occurred, which keeps "peak CPU" honest on short windows.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/**
 * The summary of all datapoints of a window, or `null` when there are none: "no data" (a new or stopped resource)
 * must stay distinguishable from zero. A timestamp reported twice counts once.
 */
export function summarizeMetric(
  points: readonly Datapoint[],
  options: { stat: MetricSummary['stat']; periodSec: number; expectedDatapoints: number },
): MetricSummary | null {
  const byTime = new Map<number, number>();
  for (const point of points) {
    const time = point.timestamp.getTime();
    if (Number.isFinite(time) && Number.isFinite(point.value)) byTime.set(time, point.value);
  }
  if (byTime.size === 0) return null;

  const values = [...byTime.values()];
  const sorted = [...values].sort((a, b) => a - b);
  const sum = values.reduce((total, value) => total + value, 0);
  const days = new Map<string, number>();
  for (const [time, value] of byTime) {
    const date = new Date(time).toISOString().slice(0, 10);
    const previous = days.get(date);
    // A day of Sum datapoints is their total; a day of averages or maxima is its peak.
    days.set(date, previous === undefined ? value : options.stat === 'Sum' ? previous + value : Math.max(previous, value));
  }
  return {
    periodSec: options.periodSec,
    stat: options.stat,
    datapoints: values.length,
    expectedDatapoints: options.expectedDatapoints,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    avg: sum / values.length,
    sum,
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    daily: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, value]) => ({ date, value })),
  };
}
