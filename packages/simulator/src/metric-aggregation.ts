// Turns hourly series into CloudWatch datapoints for any Period and statistic, with CloudWatch's retention rules.
import { DAY_MS, HOUR_MS } from './clock.js';
import type { HourStats, MetricSeries } from './metric-series.js';
import { unitAt } from './prng.js';

export type Statistic =
  | { kind: 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount' }
  | { kind: 'percentile'; p: number };

/** `Average`, `Sum`, `Minimum`, `Maximum`, `SampleCount`, `p99`, `p99.9`; undefined for the rest (tm99, IQM, …). */
export function parseStatistic(text: string): Statistic | undefined {
  if (text === 'Average' || text === 'Sum' || text === 'Minimum' || text === 'Maximum' || text === 'SampleCount') return { kind: text };
  const match = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(text);
  return match ? { kind: 'percentile', p: Number(match[1]) } : undefined;
}

/**
 * Whether CloudWatch still holds data of this resolution at `startMs`: 1-minute data 15 days, 5-minute data 63
 * days, hourly data 455 days.
 */
function retained(periodSec: number, startMs: number, nowMs: number): boolean {
  const days = periodSec < 300 ? 15 : periodSec < 3600 ? 63 : 455;
  return startMs >= nowMs - days * DAY_MS;
}

/** The k-th of n equal parts of an hour: counters split by weights shared by all metrics of the resource. */
function splitHour(series: MetricSeries, hourIndex: number, stats: HourStats, n: number, k: number): HourStats | undefined {
  let total = 0;
  let mine = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 + unitAt(series.splitKey, hourIndex * 64 + i);
    total += w;
    if (i === k) mine = w;
  }
  const share = mine / total;
  const calls = stats.activity !== undefined ? Math.round(stats.activity * share) : undefined;
  if (series.sparse && calls === 0) return undefined;
  const count = calls ?? Math.max(1, Math.round(stats.count / n));
  if (series.kind === 'counter') {
    let sum = stats.sum * share;
    if (series.integer) sum = Math.round(sum);
    if (calls !== undefined) sum = Math.min(sum, calls);
    return { sum, count, min: stats.min, max: stats.max, activity: calls };
  }
  const avg = stats.count > 0 ? stats.sum / stats.count : 0;
  const wobble = Math.min(stats.max, Math.max(stats.min, avg * (0.9 + 0.2 * unitAt(series.splitKey ^ 0x5bd1e995, hourIndex * 64 + k))));
  return { sum: wobble * count, count, min: stats.min, max: stats.max, activity: calls };
}

/** The p-th percentile of the raw samples of one hour, estimated from its average, minimum and maximum. */
function hourPercentile(stats: HourStats, p: number): number {
  const avg = stats.count > 0 ? stats.sum / stats.count : 0;
  return p >= 50 ? avg + ((stats.max - avg) * (p - 50)) / 50 : avg - ((avg - stats.min) * (50 - p)) / 50;
}

function statisticOf(parts: HourStats[], stat: Statistic): number {
  const sum = parts.reduce((s, x) => s + x.sum, 0);
  const count = parts.reduce((s, x) => s + x.count, 0);
  switch (stat.kind) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return count;
    case 'Average':
      return count > 0 ? sum / count : 0;
    case 'Minimum':
      return Math.min(...parts.map((x) => x.min));
    case 'Maximum':
      return Math.max(...parts.map((x) => x.max));
    case 'percentile': {
      const values = parts.map((x) => hourPercentile(x, stat.p)).sort((a, b) => a - b);
      return values[Math.max(0, Math.ceil((stat.p / 100) * values.length) - 1)];
    }
  }
}

export interface AggregateRequest {
  startMs: number;
  endMs: number;
  /** A multiple of 60 that divides 3600, or a multiple of 3600. */
  periodSec: number;
  stat: Statistic;
  nowMs: number;
}

/**
 * Datapoints oldest first. Periods start at StartTime rounded down to the period (to the hour for periods of an
 * hour or more); an hour counts once it is complete; a period without any data has no datapoint.
 */
export function aggregate(series: MetricSeries, request: AggregateRequest): { timestamp: number; value: number }[] {
  const { startMs, endMs, periodSec, stat, nowMs } = request;
  const periodMs = periodSec * 1000;
  const step = Math.min(periodMs, HOUR_MS);
  const origin = Math.floor(startMs / step) * step;
  const points: { timestamp: number; value: number }[] = [];
  for (let bucket = origin; bucket < endMs; bucket += periodMs) {
    if (!retained(periodSec, bucket, nowMs)) continue;
    const parts: HourStats[] = [];
    if (periodMs >= HOUR_MS) {
      const bucketEnd = Math.min(bucket + periodMs, endMs);
      for (let hourStart = bucket; hourStart < bucketEnd && hourStart + HOUR_MS <= nowMs; hourStart += HOUR_MS) {
        const stats = series.hour(hourStart / HOUR_MS);
        if (stats) parts.push(stats);
      }
    } else if (bucket + periodMs <= nowMs) {
      const hourIndex = Math.floor(bucket / HOUR_MS);
      const stats = series.hour(hourIndex);
      const part = stats && splitHour(series, hourIndex, stats, HOUR_MS / periodMs, (bucket - hourIndex * HOUR_MS) / periodMs);
      if (part) parts.push(part);
    }
    if (parts.length > 0) points.push({ timestamp: bucket, value: statisticOf(parts, stat) });
  }
  return points;
}
