// aggregate depends on the clock only through clockKey: that is what lets the pages of a request share one answer.
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './clock.js';
import { generatePartition } from './generate-partition.js';
import { aggregate, clockKey, type AggregateRequest } from './metric-aggregation.js';
import { findSeries, type MetricSeries } from './metric-series.js';
import { MANAGEMENT } from './test-support.js';

const EPOCH_MS = Date.UTC(2025, 2, 10);
const partition = generatePartition({ seed: 42, accountId: MANAGEMENT, region: 'eu-west-1', resourcesPerRegion: 80, epochMs: EPOCH_MS });
const instance = partition.instances.find((i) => i.state === 'running' && i.launchTime < EPOCH_MS - 30 * DAY_MS);
const lambda = partition.functions.find((f) => f.profile === 'busy' && f.createdAt < EPOCH_MS - 30 * DAY_MS);

function seriesOf(namespace: string, metricName: string, name: string, value: string | undefined): MetricSeries {
  const series = value === undefined ? undefined : findSeries(partition, namespace, metricName, [{ Name: name, Value: value }]);
  if (!series) throw new Error(`the fixed partition has no ${namespace} ${metricName} series to test with`);
  return series;
}

const cpu = seriesOf('AWS/EC2', 'CPUUtilization', 'InstanceId', instance?.id);
const invocations = seriesOf('AWS/Lambda', 'Invocations', 'FunctionName', lambda?.name);

/** An hour boundary: the hour ending here is served from this instant on. */
const HOUR_END = EPOCH_MS + 5 * HOUR_MS;
/** Requests whose answers change at HOUR_END, or (1-minute data is kept 15 days) just after it. */
const REQUESTS: [MetricSeries, Omit<AggregateRequest, 'nowMs'>][] = [
  [cpu, { startMs: HOUR_END - 2 * DAY_MS, endMs: HOUR_END + HOUR_MS, periodSec: 3600, stat: { kind: 'Average' } }],
  [invocations, { startMs: HOUR_END - 3 * DAY_MS, endMs: HOUR_END + DAY_MS, periodSec: 86400, stat: { kind: 'Sum' } }],
  [cpu, { startMs: HOUR_END - 3 * HOUR_MS, endMs: HOUR_END + HOUR_MS, periodSec: 300, stat: { kind: 'percentile', p: 99 } }],
  [invocations, { startMs: HOUR_END - 15 * DAY_MS - 5 * MINUTE_MS, endMs: HOUR_END - 15 * DAY_MS + 5 * MINUTE_MS, periodSec: 60, stat: { kind: 'Sum' } }],
];

describe('clockKey', () => {
  it('gives every request the same datapoints under clocks with the same key', () => {
    const offsets = [-MINUTE_MS, -1, 0, 1, 2, 30_000, 59_999, MINUTE_MS, MINUTE_MS + 1, 2 * MINUTE_MS - 1];
    for (const [series, request] of REQUESTS) {
      const byKey = new Map<string, ReturnType<typeof aggregate>>();
      for (const offset of offsets) {
        const nowMs = HOUR_END + offset;
        const points = aggregate(series, { ...request, nowMs });
        const earlier = byKey.get(clockKey(nowMs));
        if (earlier) expect(points).toEqual(earlier);
        else byKey.set(clockKey(nowMs), points);
      }
      expect(byKey.get(clockKey(HOUR_END))?.timestamps.length).toBeGreaterThan(0);
    }
  });

  it('tells the instant on a minute from the rest of it, where the datapoints change', () => {
    const [[hourlySeries, hourly], , , [minuteSeries, minutely]] = REQUESTS;
    // The hour ending at HOUR_END is complete from HOUR_END on, not a millisecond before.
    const before = aggregate(hourlySeries, { ...hourly, nowMs: HOUR_END - 1 });
    const at = aggregate(hourlySeries, { ...hourly, nowMs: HOUR_END });
    expect(at.timestamps.length).toBe(before.timestamps.length + 1);
    expect(clockKey(HOUR_END - 1)).not.toBe(clockKey(HOUR_END));
    // The minute starting 15 days before HOUR_END is retained at HOUR_END, gone a millisecond later.
    const kept = aggregate(minuteSeries, { ...minutely, nowMs: HOUR_END });
    const expired = aggregate(minuteSeries, { ...minutely, nowMs: HOUR_END + 1 });
    expect(kept.timestamps[0]).toBe(HOUR_END - 15 * DAY_MS);
    expect(expired.timestamps[0]).toBe(HOUR_END - 15 * DAY_MS + MINUTE_MS);
    expect(clockKey(HOUR_END)).not.toBe(clockKey(HOUR_END + 1));
    expect(clockKey(HOUR_END + 1)).toBe(clockKey(HOUR_END + 59_999));
  });
});
