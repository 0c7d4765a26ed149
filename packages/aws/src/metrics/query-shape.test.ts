// The period and window of a metric query, by the windows it serves and its definition.
import { describe, expect, it } from 'vitest';
import type { MetricDefinition } from './metric-definitions.js';
import { fetchWindows, queryShape, queryWindow, type QueryShape } from './query-shape.js';

const cpu: MetricDefinition = { metric: 'cpuUtilization', namespace: 'AWS/EC2', metricName: 'CPUUtilization', stat: 'Average' };
const network: MetricDefinition = { metric: 'networkInBytes', namespace: 'AWS/EC2', metricName: 'NetworkIn', stat: 'Sum', period: 'daily' };
const windows = { lookbackDays: 14, periodSec: 3600, unusedLookbackDays: 30 };
const both = { utilization: true, unused: true };
const utilizationOnly = { utilization: true, unused: false };
const unusedOnly = { utilization: false, unused: true };

const iso = (shape: QueryShape, now: string, periodSec = 3600) => {
  const window = queryWindow(new Date(now), shape, periodSec);
  return [window.start.toISOString(), window.end.toISOString()];
};

describe('queryShape', () => {
  it('asks the utilization period, daily for a daily definition or the unused window alone, over the longer window', () => {
    expect(queryShape(cpu, utilizationOnly, windows)).toEqual({ periodSec: 3600, spanDays: 14, utilization: true });
    expect(queryShape(cpu, both, windows)).toEqual({ periodSec: 3600, spanDays: 30, utilization: true });
    expect(queryShape(cpu, unusedOnly, windows)).toEqual({ periodSec: 86400, spanDays: 30, utilization: false });
    expect(queryShape(network, utilizationOnly, windows)).toEqual({ periodSec: 86400, spanDays: 14, utilization: true });
    expect(queryShape(network, both, windows)).toEqual({ periodSec: 86400, spanDays: 30, utilization: true });
  });
});

describe('queryWindow', () => {
  const now = '2024-06-15T10:30:00Z';

  it('ends a utilization query at the utilization period, an unused-only one at the last midnight', () => {
    expect(iso({ periodSec: 3600, spanDays: 14, utilization: true }, now)).toEqual(['2024-06-01T10:00:00.000Z', '2024-06-15T10:00:00.000Z']);
    expect(iso({ periodSec: 86400, spanDays: 30, utilization: false }, now)).toEqual(['2024-05-16T00:00:00.000Z', '2024-06-15T00:00:00.000Z']);
  });

  it('starts a daily utilization query at the midnight before the hourly window, so its days are UTC days', () => {
    const daily = { periodSec: 86400, spanDays: 14, utilization: true };
    expect(iso(daily, now)).toEqual(['2024-06-01T00:00:00.000Z', '2024-06-15T10:00:00.000Z']);
    // On the hour after midnight the hourly window is whole days already: 14 datapoints, not 15.
    expect(iso(daily, '2024-06-15T00:20:00Z')).toEqual(['2024-06-01T00:00:00.000Z', '2024-06-15T00:00:00.000Z']);
    // A 5-minute utilization window ends at its own boundary.
    expect(iso(daily, now, 300)).toEqual(['2024-06-01T00:00:00.000Z', '2024-06-15T10:30:00.000Z']);
    // A daily utilization period: the same window as before, whole days to the last midnight.
    expect(iso(daily, now, 86400)).toEqual(['2024-06-01T00:00:00.000Z', '2024-06-15T00:00:00.000Z']);
  });
});

describe('fetchWindows', () => {
  const now = new Date('2024-06-15T10:30:00Z');
  const hourly = { periodSec: 3600, spanDays: 14, utilization: true };
  const daily = { periodSec: 86400, spanDays: 14, utilization: true };
  const longer = { periodSec: 3600, spanDays: 30, utilization: true };
  const unusedDaily = { periodSec: 86400, spanDays: 30, utilization: false };
  const isoOf = (fetched: ReturnType<typeof fetchWindows>, shape: QueryShape) => {
    const window = fetched.get(shape);
    return [window?.start.toISOString(), window?.end.toISOString()];
  };

  it('moves the utilization window\'s queries to the midnight its daily ones start at, and no other window', () => {
    const fetched = fetchWindows(now, [hourly, daily, longer, unusedDaily], windows);
    expect(isoOf(fetched, hourly)).toEqual(['2024-06-01T00:00:00.000Z', '2024-06-15T10:00:00.000Z']);
    expect(isoOf(fetched, daily)).toEqual(['2024-06-01T00:00:00.000Z', '2024-06-15T10:00:00.000Z']);
    expect(isoOf(fetched, longer)).toEqual(['2024-05-16T10:00:00.000Z', '2024-06-15T10:00:00.000Z']);
    expect(isoOf(fetched, unusedDaily)).toEqual(['2024-05-16T00:00:00.000Z', '2024-06-15T00:00:00.000Z']);
  });

  it('keeps each query\'s own window in a fetch without a daily utilization query', () => {
    const fetched = fetchWindows(now, [hourly, longer, unusedDaily], windows);
    expect(isoOf(fetched, hourly)).toEqual(['2024-06-01T10:00:00.000Z', '2024-06-15T10:00:00.000Z']);
    // A daily query of the longer window alone does not move the utilization window: it could not share its calls.
    const longerDaily = { periodSec: 86400, spanDays: 30, utilization: true };
    expect(isoOf(fetchWindows(now, [hourly, longerDaily], windows), hourly)).toEqual(['2024-06-01T10:00:00.000Z', '2024-06-15T10:00:00.000Z']);
  });
});
