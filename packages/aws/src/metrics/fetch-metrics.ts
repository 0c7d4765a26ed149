// Fetches CloudWatch utilization for one partition's resources with batched GetMetricData calls and summarizes it.
import { paginateGetMetricData, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { MetricName, MetricSummary, Resource, ResourceKind, ResourceMetrics } from '@finops/core';
import { toAwsAccessError } from '../errors.js';
import { mapLimit, Semaphore } from '../map-limit.js';
import type { AwsLogger, AwsScope } from '../types.js';
import { metricPlanFor, METRICS_PERMISSION, type MetricDefinition } from './metric-definitions.js';
import { planMetricBatches, type MetricBatch, type MetricWindow } from './plan-metric-batches.js';
import { DAY_SEC, queryShape, queryWindow, type MetricWindows, type QueryShape } from './query-shape.js';
import { perDaySeries, summarizeSeries, type Series } from './summarize-metric.js';

/**
 * GetMetricData calls in flight per partition: enough that a large region is not fetched one call at a time, few
 * enough to stay far below the 50 TPS quota when several partitions run at once.
 */
export const METRIC_CALL_CONCURRENCY = 4;

/**
 * GetMetricData calls in flight per process, over every partition it analyses at once. A call answers up to 100,800
 * datapoints that are held until summarized, and summarizing them is the analysis process's main CPU work, so more
 * calls in flight only add memory: 16 partitions × 4 calls held ~2.7 GB at 100k resources where 6 hold ~0.2 GB and
 * keep the CPU as busy.
 */
export const METRIC_CALLS_PER_PROCESS = 6;
const processCalls = new Semaphore(METRIC_CALLS_PER_PROCESS);

export interface FetchMetricsOptions {
  lookbackDays: number;
  periodSec: number;
  /** End of the window (default: now); the window ends at the last period boundary before it. */
  now?: Date;
  /**
   * Which metrics to fetch per kind, and over which window. Default: every metric of the kind, over the
   * utilization window (`lookbackDays` at `periodSec`) only.
   */
  select?: MetricSelection;
  /** Called with GetMetricData batches done and planned: once with 0 before the first call, then after each batch. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Metrics per kind for the utilization window, and for the optional "unused" window: a longer one summarized per
 * day (no invocations in 30 days). A metric needed in both is asked for once, over the longer window at the
 * utilization period (daily for a daily definition), and summarized twice: CloudWatch bills per metric requested,
 * not per datapoint.
 */
export interface MetricSelection {
  utilization: Partial<Record<ResourceKind, readonly MetricName[]>>;
  unused?: { lookbackDays: number; metrics: Partial<Record<ResourceKind, readonly MetricName[]>> };
}

/** One query of the plan: which resource and metric a GetMetricData query id stands for, and its windows. */
interface PlannedQuery extends QueryShape {
  id: string;
  resourceIndex: number;
  definition: MetricDefinition;
  query: MetricDataQuery;
  /** What it is fetched over (see queryWindow): queries with the same period and window share calls. */
  window: MetricWindow;
  unused: boolean;
}

/**
 * CloudWatch utilization of every resource that has metrics (snapshots and Elastic IPs get no entry), in input
 * order. A metric without a single datapoint in the window is `null`.
 */
export async function fetchResourceMetrics(
  cloudwatch: CloudWatchClient,
  scope: AwsScope,
  resources: readonly Resource[],
  options: FetchMetricsOptions,
  logger: AwsLogger,
): Promise<ResourceMetrics[]> {
  const { lookbackDays, periodSec } = options;
  const now = options.now ?? new Date();
  const planned = planQueries(resources, options, now);
  // Queries of the same period and window share calls: hourly and daily utilization, the unused window, and the
  // longer window of metrics both need make at most a handful of groups.
  const groups = new Map<string, PlannedQuery[]>();
  for (const query of planned) {
    const key = `${query.periodSec}|${query.window.start.getTime()}|${query.window.end.getTime()}`;
    const group = groups.get(key);
    if (group) group.push(query);
    else groups.set(key, [query]);
  }
  const batches = [...groups.values()].flatMap((queries) => {
    const first = queries[0] as PlannedQuery;
    return planMetricBatches(queries, first.window, first.periodSec);
  });

  // A query's datapoints are kept only until the last batch holding it (one, unless a very long window is cut into
  // time segments) has returned; then they are summarized and dropped. Memory stays at the batches in flight
  // (≤ METRIC_CALL_CONCURRENCY × 100,800 datapoints), whatever the partition's size.
  const pending = new Map<string, PendingQuery>();
  for (const query of planned) pending.set(query.id, { query, batchesLeft: 0, chunks: [] });
  for (const batch of batches) for (const query of batch.queries) (pending.get(query.id) as { batchesLeft: number }).batchesLeft += 1;

  // A query spanning the longer window too holds older points: its utilization summary starts where a query of the
  // utilization window alone would, at its own period (a daily one at the midnight before the hourly window).
  const starts = new Map<number, number>();
  const utilizationStart = (shape: QueryShape): number | undefined => {
    if (shape.spanDays <= lookbackDays) return undefined;
    let start = starts.get(shape.periodSec);
    if (start === undefined) {
      start = queryWindow(now, { ...shape, spanDays: lookbackDays }, periodSec).start.getTime();
      starts.set(shape.periodSec, start);
    }
    return start;
  };
  const unused = options.select?.unused;
  const entries = new Map<number, ResourceMetrics>();
  const summarize = (query: PlannedQuery, series: Series) => {
    const resource = resources[query.resourceIndex] as Resource;
    let entry = entries.get(query.resourceIndex);
    if (!entry) {
      entry = { resourceId: resource.id, kind: resource.kind, lookbackDays, metrics: {} };
      entries.set(query.resourceIndex, entry);
    }
    const stat = query.definition.stat;
    if (query.utilization) {
      // A daily query expects one datapoint a day: lookbackDays, whatever the utilization period.
      const expectedDatapoints = Math.floor((lookbackDays * DAY_SEC) / query.periodSec);
      const fromMs = utilizationStart(query);
      entry.metrics[query.definition.metric] = summarizeSeries(series, { stat, periodSec: query.periodSec, expectedDatapoints, fromMs });
    }
    if (query.unused && unused) {
      entry.unused ??= { lookbackDays: unused.lookbackDays, metrics: {} };
      const daily = query.periodSec === DAY_SEC ? series : perDaySeries(series, stat);
      entry.unused.metrics[query.definition.metric] = summarizeSeries(daily, { stat, periodSec: DAY_SEC, expectedDatapoints: unused.lookbackDays });
    }
  };

  let warned = false;
  let batchesDone = 0;
  options.onProgress?.(0, batches.length);
  await mapLimit(batches, METRIC_CALL_CONCURRENCY, (batch) => processCalls.run(() => fetchBatch(batch)));
  // Queries no batch carried (none today) still get their "no data" entry.
  for (const state of pending.values()) summarize(state.query, joinChunks(state.chunks));

  return [...entries.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);

  async function fetchBatch(batch: MetricBatch<PlannedQuery>): Promise<void> {
    const pages = paginateGetMetricData(
      { client: cloudwatch },
      {
        MetricDataQueries: batch.queries.map((planned) => planned.query),
        StartTime: batch.start,
        EndTime: batch.end,
        ScanBy: 'TimestampAscending',
      },
    );
    try {
      for await (const page of pages) {
        for (const result of page.MetricDataResults ?? []) {
          const state = result.Id ? pending.get(result.Id) : undefined;
          if (!state) {
            logger.debug({ ...scope, id: result.Id }, 'GetMetricData returned an id that was not asked for; ignored');
            continue;
          }
          const timestamps = result.Timestamps ?? [];
          const values = result.Values ?? [];
          // The answer's own arrays are kept (times as one typed array): no copy per datapoint.
          if (timestamps.length > 0 && values.length > 0) state.chunks.push({ times: epochTimes(timestamps), values });
          if ((result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') && !warned) {
            warned = true;
            logger.warn(
              { ...scope, statusCode: result.StatusCode, messages: result.Messages, metric: state.query.definition.metricName },
              'GetMetricData returned incomplete data for some metrics',
            );
          }
        }
      }
    } catch (error) {
      throw toAwsAccessError(error, scope, METRICS_PERMISSION);
    }
    for (const query of batch.queries) {
      const state = pending.get(query.id);
      if (!state) continue;
      state.batchesLeft -= 1;
      if (state.batchesLeft > 0) continue;
      pending.delete(query.id);
      summarize(query, joinChunks(state.chunks));
    }
    batchesDone += 1;
    options.onProgress?.(batchesDone, batches.length);
  }
}

/** A query's answer so far: one chunk per page (and time segment) that carried its datapoints. */
interface PendingQuery {
  query: PlannedQuery;
  batchesLeft: number;
  chunks: Series[];
}

/** SDK timestamps are Dates; a raw or mocked answer may carry epoch seconds or ISO text. */
function epochTimes(timestamps: readonly unknown[]): Float64Array {
  const times = new Float64Array(timestamps.length);
  for (let i = 0; i < timestamps.length; i += 1) {
    const timestamp = timestamps[i];
    times[i] =
      timestamp instanceof Date
        ? timestamp.getTime()
        : typeof timestamp === 'number'
          ? timestamp < 1e12
            ? timestamp * 1000
            : timestamp
          : new Date(timestamp as string).getTime();
  }
  return times;
}

/** One series from a query's chunks; summarizeSeries puts chunks of concurrent time segments back in order. */
function joinChunks(chunks: readonly Series[]): Series {
  if (chunks.length === 1) return chunks[0] as Series;
  const times: number[] = [];
  const values: number[] = [];
  for (const chunk of chunks) {
    const length = Math.min(chunk.times.length, chunk.values.length);
    for (let i = 0; i < length; i += 1) {
      times.push(chunk.times[i] as number);
      values.push(chunk.values[i] as number);
    }
  }
  return { times, values };
}

/**
 * One query per (resource, metric) a window needs. Ids are `m<n>`: valid CloudWatch ids (`^[a-z][a-zA-Z0-9_]*$`)
 * whatever the resource id.
 */
function planQueries(resources: readonly Resource[], options: FetchMetricsOptions, now: Date): PlannedQuery[] {
  const { select } = options;
  const { lookbackDays, periodSec } = options;
  const windows: MetricWindows = { lookbackDays, periodSec, unusedLookbackDays: select?.unused?.lookbackDays };
  // One window object per shape, shared by its queries (a large partition plans hundreds of thousands).
  const shapeWindows = new Map<string, MetricWindow>();
  const planned: PlannedQuery[] = [];
  resources.forEach((resource, resourceIndex) => {
    const plan = metricPlanFor(resource);
    if (!plan) return;
    for (const definition of plan.metrics) {
      const utilization = select ? (select.utilization[resource.kind]?.includes(definition.metric) ?? false) : true;
      const unused = select?.unused?.metrics[resource.kind]?.includes(definition.metric) ?? false;
      if (!utilization && !unused) continue;
      const shape = queryShape(definition, { utilization, unused }, windows);
      const shapeKey = `${shape.periodSec}|${shape.spanDays}|${shape.utilization}`;
      let window = shapeWindows.get(shapeKey);
      if (!window) {
        window = queryWindow(now, shape, periodSec);
        shapeWindows.set(shapeKey, window);
      }
      const id = `m${planned.length}`;
      planned.push({
        id,
        resourceIndex,
        definition,
        ...shape,
        window,
        unused,
        query: {
          Id: id,
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: definition.namespace,
              MetricName: definition.metricName,
              Dimensions: [{ Name: plan.dimension.name, Value: plan.dimension.value }],
            },
            Period: shape.periodSec,
            Stat: definition.stat,
          },
        },
      });
    }
  });
  return planned;
}
