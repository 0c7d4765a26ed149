// Metric summaries: percentiles, daily aggregates, no data.
import { describe, expect, it } from 'vitest';
import { percentile, summarizeSeries, type SummaryOptions } from './summarize-metric.js';

const at = (iso: string, value: number) => ({ time: Date.parse(iso), value });
/** Datapoints in the order given, as GetMetricData's parallel arrays. */
const summarizeMetric = (points: readonly { time: number; value: number }[], options: SummaryOptions) =>
  summarizeSeries({ times: points.map((p) => p.time), values: points.map((p) => p.value) }, options);

describe('percentile', () => {
  it('is nearest-rank: always a value that occurred', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([1, 2, 3], 50)).toBe(2);
  });
});

describe('summarizeMetric', () => {
  it('returns null when there are no datapoints', () => {
    expect(summarizeMetric([], { stat: 'Average', periodSec: 3600, expectedDatapoints: 336 })).toBeNull();
  });

  it('summarizes every datapoint and sums Sum stats per UTC day', () => {
    const summary = summarizeMetric(
      [at('2024-06-01T00:00:00Z', 10), at('2024-06-01T23:00:00Z', 30), at('2024-06-02T05:00:00Z', 5), at('2024-06-01T00:00:00Z', 10)],
      { stat: 'Sum', periodSec: 3600, expectedDatapoints: 48 },
    );
    expect(summary).toEqual({
      periodSec: 3600,
      stat: 'Sum',
      datapoints: 3, // the repeated timestamp counts once
      expectedDatapoints: 48,
      min: 5,
      max: 30,
      avg: 15,
      sum: 45,
      p95: 30,
      p99: 30,
      daily: [
        { date: '2024-06-01', value: 40 },
        { date: '2024-06-02', value: 5 },
      ],
    });
  });

  it('takes the daily peak for Average and Maximum stats', () => {
    const summary = summarizeMetric([at('2024-06-02T01:00:00Z', 3), at('2024-06-01T01:00:00Z', 7), at('2024-06-01T02:00:00Z', 2)], {
      stat: 'Average',
      periodSec: 3600,
      expectedDatapoints: 48,
    });
    expect(summary?.daily).toEqual([
      { date: '2024-06-01', value: 7 },
      { date: '2024-06-02', value: 3 },
    ]);
  });
});
