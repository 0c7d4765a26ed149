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
 * Batches queries so no call asks for more than 500 queries or 100,800 datapoints: 14 days hourly is 336 points a
 * query, so 300 queries a call; daily periods hit the 500-query cap first. A window longer than 100,800 periods
 * (455 days at 5 minutes) is cut into consecutive time segments, each batched the same way.
 */
export function planMetricBatches<Q>(queries: readonly Q[], window: MetricWindow, periodSec: number): MetricBatch<Q>[] {
  const periodMs = periodSec * 1000;
  const totalPoints = Math.max(1, Math.ceil((window.end.getTime() - window.start.getTime()) / periodMs));
  const segmentPoints = Math.min(totalPoints, MAX_DATAPOINTS_PER_CALL);
  const queriesPerCall = Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / segmentPoints));
  const batches: MetricBatch<Q>[] = [];
  for (let start = window.start.getTime(); start < window.end.getTime(); start += segmentPoints * periodMs) {
    const end = Math.min(window.end.getTime(), start + segmentPoints * periodMs);
    for (let offset = 0; offset < queries.length; offset += queriesPerCall) {
      batches.push({ start: new Date(start), end: new Date(end), queries: queries.slice(offset, offset + queriesPerCall) });
    }
  }
  return batches;
}
