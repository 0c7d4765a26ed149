// Splits metric queries into GetMetricData calls that respect CloudWatch's per-call limits (500 queries, 100,800 points).

/** CloudWatch GetMetricData: at most 500 metric queries per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** CloudWatch GetMetricData: at most 100,800 datapoints per call, summed over its queries. */
export const MAX_DATAPOINTS_PER_CALL = 100_800;

export interface MetricWindow {
  start: Date;
  end: Date;
}

export interface MetricBatch<Q> extends MetricWindow {
  queries: Q[];
}

/**
 * The lookback window ending at the last period boundary before `now` (UTC), so every period is complete and the
 * times align with the period, as CloudWatch recommends for speed.
 */
export function metricWindow(now: Date, lookbackDays: number, periodSec: number): MetricWindow {
  const periodMs = periodSec * 1000;
  const end = Math.floor(now.getTime() / periodMs) * periodMs;
  return { start: new Date(end - lookbackDays * 86_400_000), end: new Date(end) };
}

/**
 * Batches queries so no call asks for more than 500 queries or 100,800 datapoints, each query counting its own
 * periods over the window: 14 days hourly is 336 points a query, so 300 queries a call; daily queries hit the
 * 500-query cap first, and a call mixing both holds as many of each as the two caps allow. A window longer than
 * 100,800 of its shortest period (455 days at 5 minutes) is cut into consecutive time segments, each batched the
 * same way; a segment is then a whole number of days (100,800 × 300 s is 350 days), so a daily query's periods stay
 * UTC days.
 */
export function planMetricBatches<Q>(queries: readonly Q[], window: MetricWindow, periodOf: (query: Q) => number): MetricBatch<Q>[] {
  if (queries.length === 0) return [];
  const periods = queries.map((query) => periodOf(query) * 1000);
  const segmentMs = MAX_DATAPOINTS_PER_CALL * periods.reduce((shortest, period) => Math.min(shortest, period));
  const batches: MetricBatch<Q>[] = [];
  for (let start = window.start.getTime(); start < window.end.getTime(); start += segmentMs) {
    const end = Math.min(window.end.getTime(), start + segmentMs);
    let batch: MetricBatch<Q> = { start: new Date(start), end: new Date(end), queries: [] };
    let points = 0;
    queries.forEach((query, i) => {
      const queryPoints = Math.ceil((end - start) / (periods[i] as number));
      if (batch.queries.length === MAX_QUERIES_PER_CALL || points + queryPoints > MAX_DATAPOINTS_PER_CALL) {
        batches.push(batch);
        batch = { start: new Date(start), end: new Date(end), queries: [] };
        points = 0;
      }
      batch.queries.push(query);
      points += queryPoints;
    });
    batches.push(batch);
  }
  return batches;
}
