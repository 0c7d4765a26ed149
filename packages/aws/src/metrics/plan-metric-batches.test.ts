// GetMetricData batch planning against the 500-query and 100,800-datapoint limits.
import { describe, expect, it } from 'vitest';
import { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL, metricWindow, planMetricBatches } from './plan-metric-batches.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

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
    const batches = planMetricBatches(ids(3000), metricWindow(now, 14, 3600), 3600);
    expect(batches).toHaveLength(10);
    expect(batches.every((batch) => batch.queries.length === 300)).toBe(true);
    expect(batches.flatMap((batch) => batch.queries)).toEqual(ids(3000));
  });

  it('caps calls at 500 queries when periods are long', () => {
    const batches = planMetricBatches(ids(1800), metricWindow(now, 14, 86400), 86400);
    expect(batches.map((batch) => batch.queries.length)).toEqual([500, 500, 500, 300]);
  });

  it('cuts a window longer than 100,800 periods into time segments', () => {
    const window = metricWindow(now, 455, 300); // 131,040 five-minute periods
    const batches = planMetricBatches(ids(3), window, 300);
    // Two segments; a full segment holds 100,800 points, so each call carries one query.
    expect(batches).toHaveLength(6);
    const segments = [...new Set(batches.map((batch) => `${batch.start.toISOString()}/${batch.end.toISOString()}`))];
    expect(segments).toEqual([
      `${window.start.toISOString()}/${new Date(window.start.getTime() + MAX_DATAPOINTS_PER_CALL * 300_000).toISOString()}`,
      `${new Date(window.start.getTime() + MAX_DATAPOINTS_PER_CALL * 300_000).toISOString()}/${window.end.toISOString()}`,
    ]);
    expect(batches.map((batch) => batch.queries)).toEqual([[0], [1], [2], [0], [1], [2]]);
  });

  it('never exceeds either limit', () => {
    for (const [days, period] of [[1, 300], [7, 300], [14, 3600], [30, 3600], [90, 86400], [455, 3600]] as const) {
      const window = metricWindow(now, days, period);
      for (const batch of planMetricBatches(ids(1234), window, period)) {
        const points = Math.ceil((batch.end.getTime() - batch.start.getTime()) / (period * 1000));
        expect(batch.queries.length).toBeLessThanOrEqual(MAX_QUERIES_PER_CALL);
        expect(points * batch.queries.length).toBeLessThanOrEqual(MAX_DATAPOINTS_PER_CALL);
      }
    }
  });

  it('plans nothing for no queries', () => {
    expect(planMetricBatches([], metricWindow(now, 14, 3600), 3600)).toEqual([]);
  });
});
