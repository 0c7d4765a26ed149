// Turns hourly series into CloudWatch datapoints for any Period and statistic, with CloudWatch's retention rules.
import { DAY_MS, HOUR_MS, MINUTE_MS } from './clock.js';
import { newHourStats, type HourStats, type MetricSeries } from './metric-series.js';
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
 * The oldest period start CloudWatch still holds data of this resolution for: 1-minute data 15 days, 5-minute data
 * 63 days, hourly data 455 days.
 */
function retentionStart(periodSec: number, nowMs: number): number {
  const days = periodSec < 300 ? 15 : periodSec < 3600 ? 63 : 455;
  return nowMs - days * DAY_MS;
}

/** The p-th percentile of the raw samples of one hour, estimated from its average, minimum and maximum. */
function hourPercentile(stats: HourStats, p: number): number {
  const avg = stats.count > 0 ? stats.sum / stats.count : 0;
  return p >= 50 ? avg + ((stats.max - avg) * (p - 50)) / 50 : avg - ((avg - stats.min) * (50 - p)) / 50;
}

/**
 * A statistic over the hours (or parts of an hour) of one period, folded as they come: sums from 0, extremes from
 * ±Infinity, so the result is the same number a reduce over the whole list gives, without the list.
 */
class PeriodStatistic {
  #sum = 0;
  #count = 0;
  #min = Infinity;
  #max = -Infinity;
  #parts = 0;
  /** Percentiles only: each part's estimate, in arrival order. */
  #estimates: number[] = [];

  constructor(readonly stat: Statistic) {}

  get empty(): boolean {
    return this.#parts === 0;
  }

  reset(): void {
    this.#sum = 0;
    this.#count = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
    this.#parts = 0;
    if (this.#estimates.length > 0) this.#estimates = [];
  }

  add(part: HourStats): void {
    this.#sum += part.sum;
    this.#count += part.count;
    this.#min = Math.min(this.#min, part.min);
    this.#max = Math.max(this.#max, part.max);
    this.#parts += 1;
    if (this.stat.kind === 'percentile') this.#estimates.push(hourPercentile(part, this.stat.p));
  }

  value(): number {
    switch (this.stat.kind) {
      case 'Sum':
        return this.#sum;
      case 'SampleCount':
        return this.#count;
      case 'Average':
        return this.#count > 0 ? this.#sum / this.#count : 0;
      case 'Minimum':
        return this.#min;
      case 'Maximum':
        return this.#max;
      case 'percentile': {
        const values = this.#estimates.sort((a, b) => a - b);
        return values[Math.max(0, Math.ceil((this.stat.p / 100) * values.length) - 1)];
      }
    }
  }
}

/**
 * One period shorter than an hour at a time: the k-th of n equal parts of an hour. Counters split by weights shared
 * by all metrics of the resource; the hour and its weights are computed once for all n of its parts.
 */
class HourSplitter {
  readonly #series: MetricSeries;
  readonly #n: number;
  readonly #weights: Float64Array;
  readonly #hour = newHourStats();
  #hourIndex = Number.NaN;
  #published = false;
  #total = 0;

  constructor(series: MetricSeries, n: number) {
    this.#series = series;
    this.#n = n;
    this.#weights = new Float64Array(n);
  }

  /** Writes part k of the hour into `out`; false when the resource published nothing in that part. */
  part(hourIndex: number, k: number, out: HourStats): boolean {
    const series = this.#series;
    const stats = this.#hour;
    if (hourIndex !== this.#hourIndex) {
      this.#hourIndex = hourIndex;
      this.#published = series.hour(hourIndex, stats);
      if (this.#published) {
        let total = 0;
        for (let i = 0; i < this.#n; i++) {
          const w = 0.5 + unitAt(series.splitKey, hourIndex * 64 + i);
          this.#weights[i] = w;
          total += w;
        }
        this.#total = total;
      }
    }
    if (!this.#published) return false;
    const share = this.#weights[k] / this.#total;
    const calls = stats.activity !== undefined ? Math.round(stats.activity * share) : undefined;
    if (series.sparse && calls === 0) return false;
    const count = calls ?? Math.max(1, Math.round(stats.count / this.#n));
    if (series.kind === 'counter') {
      let sum = stats.sum * share;
      if (series.integer) sum = Math.round(sum);
      if (calls !== undefined) sum = Math.min(sum, calls);
      out.sum = sum;
    } else {
      const avg = stats.count > 0 ? stats.sum / stats.count : 0;
      const wobble = Math.min(stats.max, Math.max(stats.min, avg * (0.9 + 0.2 * unitAt(series.splitKey ^ 0x5bd1e995, hourIndex * 64 + k))));
      out.sum = wobble * count;
    }
    out.count = count;
    out.min = stats.min;
    out.max = stats.max;
    out.activity = calls;
    return true;
  }
}

/**
 * Equal for two clocks under which `aggregate` serves every request the same datapoints. It compares now only with
 * whole minutes (period starts are whole minutes, so are their ends and retention limits), as `now >= t` or
 * `now > t`: what matters is the minute now falls in, and whether it falls exactly on that minute's start.
 */
export function clockKey(nowMs: number): string {
  return nowMs % MINUTE_MS === 0 ? `at${nowMs}` : `in${Math.floor(nowMs / MINUTE_MS)}`;
}

/** Datapoints as parallel arrays (epoch ms, value), oldest first: a large GetMetricData answer holds millions. */
export interface SeriesPoints {
  timestamps: Float64Array;
  values: Float64Array;
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
export function aggregate(series: MetricSeries, request: AggregateRequest): SeriesPoints {
  const { startMs, endMs, periodSec, stat, nowMs } = request;
  const periodMs = periodSec * 1000;
  const step = Math.min(periodMs, HOUR_MS);
  const origin = Math.floor(startMs / step) * step;
  // Periods older than the retention hold nothing: start at the first one still held.
  const oldest = retentionStart(periodSec, nowMs);
  let first = origin;
  if (first < oldest) first += Math.floor((oldest - origin) / periodMs) * periodMs;
  while (first < oldest) first += periodMs;
  // Every datapoint is a period starting before both EndTime and now: that bounds the arrays.
  const capacity = Math.max(0, Math.ceil((Math.min(endMs, nowMs) - first) / periodMs));
  const timestamps = new Float64Array(capacity);
  const values = new Float64Array(capacity);
  let length = 0;
  // One scratch hour for the whole series: hour() writes into it, nothing is allocated per datapoint.
  const part = newHourStats();
  const period = new PeriodStatistic(stat);
  const splitter = periodMs < HOUR_MS ? new HourSplitter(series, HOUR_MS / periodMs) : undefined;
  // A period's first hour (or part of one) must be complete; once one is not, none after it is.
  for (let bucket = first; bucket < endMs && bucket + step <= nowMs; bucket += periodMs) {
    period.reset();
    if (splitter) {
      const hourIndex = Math.floor(bucket / HOUR_MS);
      if (splitter.part(hourIndex, (bucket - hourIndex * HOUR_MS) / periodMs, part)) period.add(part);
    } else {
      const bucketEnd = Math.min(bucket + periodMs, endMs);
      for (let hourStart = bucket; hourStart < bucketEnd && hourStart + HOUR_MS <= nowMs; hourStart += HOUR_MS) {
        if (series.hour(hourStart / HOUR_MS, part)) period.add(part);
      }
    }
    if (period.empty) continue;
    timestamps[length] = bucket;
    values[length] = period.value();
    length += 1;
  }
  return { timestamps: timestamps.subarray(0, length), values: values.subarray(0, length) };
}
