// GetMetricData batch planning against the 500-query and 100,800-datapoint limits.
import { describe, expect, it } from 'vitest';
import { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL, metricWindow, planMetricBatches, type MetricBatch } from './plan-metric-batches.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);
const every = (periodSec: number) => () => periodSec;

/** Datapoints a batch asks for: each query its own periods over the batch's window. */
const points = <Q>(batch: MetricBatch<Q>, periodOf: (query: Q) => number) =>
  batch.queries.reduce((sum, query) => sum + Math.ceil((batch.end.getTime() - batch.start.getTime()) / (periodOf(query) * 1000)), 0);

describe('metricWindow', () => {
  it('ends at the last period boundary before now and spans the lookback', () => {
    const window = metricWindow(new Date('2024-06-15T10:42:17Z'), 14, 3600);
    expect(window.end.toISOString()).toBe('2024-06-15T10:00:00.000Z');
    expect(window.start.toISOString()).toBe('2024-06-01T10:00:00.000Z');
    const daily = metricWindow(new Date('2024-06-15T10:42:17Z'), 30, 86400);
    expect(daily.end.toISOString()).toBe('2024-06-15T00:00:00.000Z');
  });
});

describe('planMetricBatches', () => {
  const now = new Date('2024-06-15T10:00:00Z');

  it('caps calls by datapoints: 14 days hourly is 336 points, so 300 queries a call', () => {
    const batches = planMetricBatches(ids(3000), metricWindow(now, 14, 3600), every(3600));
    expect(batches).toHaveLength(10);
    expect(batches.every((batch) => batch.queries.length === 300)).toBe(true);
    expect(batches.flatMap((batch) => batch.queries)).toEqual(ids(3000));
  });

  it('caps calls at 500 queries when periods are long', () => {
    const batches = planMetricBatches(ids(1800), metricWindow(now, 14, 86400), every(86400));
    expect(batches.map((batch) => batch.queries.length)).toEqual([500, 500, 500, 300]);
  });

  it('cuts a window longer than 100,800 periods into time segments', () => {
    const window = metricWindow(now, 455, 300); // 131,040 five-minute periods
    const batches = planMetricBatches(ids(3), window, every(300));
    // Two segments: a full one holds 100,800 points a query, so each call carries one; the rest, 30,240 points a
    // query, carries all three in one call.
    expect(batches).toHaveLength(4);
    const segments = [...new Set(batches.map((batch) => `${batch.start.toISOString()}/${batch.end.toISOString()}`))];
    expect(segments).toEqual([
      `${window.start.toISOString()}/${new Date(window.start.getTime() + MAX_DATAPOINTS_PER_CALL * 300_000).toISOString()}`,
      `${new Date(window.start.getTime() + MAX_DATAPOINTS_PER_CALL * 300_000).toISOString()}/${window.end.toISOString()}`,
    ]);
    expect(batches.map((batch) => batch.queries)).toEqual([[0], [1], [2], [0, 1, 2]]);
  });

  it('never exceeds either limit', () => {
    for (const [days, period] of [[1, 300], [7, 300], [14, 3600], [30, 3600], [90, 86400], [455, 3600]] as const) {
      const window = metricWindow(now, days, period);
      for (const batch of planMetricBatches(ids(1234), window, every(period))) {
        expect(batch.queries.length).toBeLessThanOrEqual(MAX_QUERIES_PER_CALL);
        expect(points(batch, every(period))).toBeLessThanOrEqual(MAX_DATAPOINTS_PER_CALL);
      }
    }
  });

  it('counts each query at its own period when a call mixes periods', () => {
    // 1,000 instances over the hourly window moved to its midnight (2024-06-01T00:00 to 2024-06-15T10:00): CPU at
    // 346 hourly points, network in and out at 15 daily ones. 3,000 queries, 6 calls of 500: the first 167 CPU and
    // 333 network queries, 57,782 + 4,995 = 62,777 points, where 500 queries counted as hourly would be 173,000.
    const window = { start: new Date('2024-06-01T00:00:00Z'), end: new Date('2024-06-15T10:00:00Z') };
    const queries = ids(1000).flatMap((i) => [3600, 86400, 86400].map((periodSec, m) => ({ id: i * 3 + m, periodSec })));
    const periodOf = (query: { periodSec: number }) => query.periodSec;
    const batches = planMetricBatches(queries, window, periodOf);
    expect(batches.map((batch) => batch.queries.length)).toEqual([500, 500, 500, 500, 500, 500]);
    expect(points(batches[0] as MetricBatch<{ periodSec: number }>, periodOf)).toBe(167 * 346 + 333 * 15);
    for (const batch of batches) expect(points(batch, periodOf)).toBeLessThanOrEqual(MAX_DATAPOINTS_PER_CALL);
    expect(batches.flatMap((batch) => batch.queries)).toEqual(queries);
  });

  it('closes a mixed call at 100,800 points when the short periods fill it first', () => {
    // 5-minute CPU over 14 days from midnight to 10:30: 4,158 points; network 15 daily. An instance is 4,188 points, so
    // 24 instances a call (100,512), and the 25th's CPU would pass the cap.
    const window = { start: new Date('2024-06-01T00:00:00Z'), end: new Date('2024-06-15T10:30:00Z') };
    const queries = ids(100).flatMap((i) => [300, 86400, 86400].map((periodSec, m) => ({ id: i * 3 + m, periodSec })));
    const periodOf = (query: { periodSec: number }) => query.periodSec;
    const batches = planMetricBatches(queries, window, periodOf);
    expect(batches.map((batch) => batch.queries.length)).toEqual([72, 72, 72, 72, 12]);
    expect(batches.map((batch) => points(batch, periodOf))).toEqual([100_512, 100_512, 100_512, 100_512, 16_752]);
  });

  it('plans nothing for no queries', () => {
    expect(planMetricBatches([], metricWindow(now, 14, 3600), every(3600))).toEqual([]);
  });
});
