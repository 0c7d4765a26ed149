// Fetches CloudWatch utilization for one partition's resources with batched GetMetricData calls and summarizes it.
import { paginateGetMetricData, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { MetricName, MetricSummary, Resource, ResourceKind, ResourceMetrics } from '@finops/core';
import { toAwsAccessError } from '../errors.js';
import { mapLimit, Semaphore } from '../map-limit.js';
import type { AwsLogger, AwsScope } from '../types.js';
import { metricPlanFor, METRICS_PERMISSION, type MetricDefinition } from './metric-definitions.js';
import { planMetricBatches, type MetricBatch, type MetricWindow } from './plan-metric-batches.js';
import { DAY_SEC, fetchWindows, queryShape, queryWindow, type MetricWindows, type QueryShape } from './query-shape.js';
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
interface PlannedQuery {
  id: string;
  resourceIndex: number;
  definition: MetricDefinition;
  query: MetricDataQuery;
  /** Its period and span: one object per distinct shape, shared by every query of that shape. */
  shape: QueryShape;
  unused: boolean;
}

/** Where the queries of one shape are fetched, and where each of their summaries starts if that window holds more. */
interface ShapeSpan {
  window: MetricWindow;
  utilizationFromMs?: number;
  unusedFromMs?: number;
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
  const unused = options.select?.unused;
  const windows: MetricWindows = { lookbackDays, periodSec, unusedLookbackDays: unused?.lookbackDays };
  const { planned, shapes } = planQueries(resources, options.select, windows);
  const spans = shapeSpans(now, shapes, windows);
  const spanOf = (query: PlannedQuery) => spans.get(query.shape) as ShapeSpan;
  // Queries of the same window share calls, each at its own period: the utilization window (hourly and daily
  // together), the unused window, and the longer window of metrics both need make at most a handful of groups.
  const groups = new Map<string, PlannedQuery[]>();
  for (const query of planned) {
    const { window } = spanOf(query);
    const key = `${window.start.getTime()}|${window.end.getTime()}`;
    const group = groups.get(key);
    if (group) group.push(query);
    else groups.set(key, [query]);
  }
  const batches = [...groups.values()].flatMap((queries) =>
    planMetricBatches(queries, spanOf(queries[0] as PlannedQuery).window, (query) => query.shape.periodSec),
  );

  // A query's datapoints are kept only until the last batch holding it (one, unless a very long window is cut into
  // time segments) has returned; then they are summarized and dropped. Memory stays at the batches in flight
  // (≤ METRIC_CALL_CONCURRENCY × 100,800 datapoints), whatever the partition's size.
  const pending = new Map<string, PendingQuery>();
  for (const query of planned) pending.set(query.id, { query, batchesLeft: 0, chunks: [] });
  for (const batch of batches) for (const query of batch.queries) (pending.get(query.id) as { batchesLeft: number }).batchesLeft += 1;

  const entries = new Map<number, ResourceMetrics>();
  const summarize = (query: PlannedQuery, series: Series) => {
    const resource = resources[query.resourceIndex] as Resource;
    let entry = entries.get(query.resourceIndex);
    if (!entry) {
      entry = { resourceId: resource.id, kind: resource.kind, lookbackDays, metrics: {} };
      entries.set(query.resourceIndex, entry);
    }
    const stat = query.definition.stat;
    const { periodSec: queryPeriodSec, utilization } = query.shape;
    const span = spanOf(query);
    if (utilization) {
      // A daily query expects one datapoint a day: lookbackDays, whatever the utilization period.
      const expectedDatapoints = Math.floor((lookbackDays * DAY_SEC) / queryPeriodSec);
      const fromMs = span.utilizationFromMs;
      entry.metrics[query.definition.metric] = summarizeSeries(series, { stat, periodSec: queryPeriodSec, expectedDatapoints, fromMs });
    }
    if (query.unused && unused) {
      entry.unused ??= { lookbackDays: unused.lookbackDays, metrics: {} };
      // A daily query's window is its own: only sub-daily queries are moved to an earlier midnight.
      const daily = queryPeriodSec === DAY_SEC ? series : perDaySeries(series, stat, span.unusedFromMs);
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
 * Per shape of a fetch, the window its queries are asked over (fetchWindows), and where its summaries start when that
 * window holds older points: a query of the longer window serving the utilization one too, or one of the utilization
 * window moved to the midnight its daily queries start at. Each summary starts where a query of its own window alone
 * would (queryWindow), so it is the same whichever other queries the fetch holds.
 */
function shapeSpans(now: Date, shapes: readonly QueryShape[], windows: MetricWindows): Map<QueryShape, ShapeSpan> {
  const fetched = fetchWindows(now, shapes, windows);
  const spans = new Map<QueryShape, ShapeSpan>();
  for (const shape of shapes) {
    const window = fetched.get(shape) as MetricWindow;
    const after = (own: QueryShape): number | undefined => {
      const start = queryWindow(now, own, windows.periodSec).start.getTime();
      return start > window.start.getTime() ? start : undefined;
    };
    const utilizationFromMs = shape.utilization ? after({ ...shape, spanDays: windows.lookbackDays }) : undefined;
    spans.set(shape, { window, utilizationFromMs, unusedFromMs: after(shape) });
  }
  return spans;
}

/**
 * One query per (resource, metric) a window needs, and the distinct shapes they have. Ids are `m<n>`: valid
 * CloudWatch ids (`^[a-z][a-zA-Z0-9_]*$`) whatever the resource id.
 */
function planQueries(
  resources: readonly Resource[],
  select: MetricSelection | undefined,
  windows: MetricWindows,
): { planned: PlannedQuery[]; shapes: QueryShape[] } {
  // One shape object per distinct shape, shared by its queries (a large partition plans hundreds of thousands).
  const shapes = new Map<string, QueryShape>();
  const planned: PlannedQuery[] = [];
  resources.forEach((resource, resourceIndex) => {
    const plan = metricPlanFor(resource);
    if (!plan) return;
    for (const definition of plan.metrics) {
      const utilization = select ? (select.utilization[resource.kind]?.includes(definition.metric) ?? false) : true;
      const unused = select?.unused?.metrics[resource.kind]?.includes(definition.metric) ?? false;
      if (!utilization && !unused) continue;
      const asked = queryShape(definition, { utilization, unused }, windows);
      const shapeKey = `${asked.periodSec}|${asked.spanDays}|${asked.utilization}`;
      let shape = shapes.get(shapeKey);
      if (!shape) {
        shape = asked;
        shapes.set(shapeKey, shape);
      }
      const id = `m${planned.length}`;
      planned.push({
        id,
        resourceIndex,
        definition,
        shape,
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
  return { planned, shapes: [...shapes.values()] };
}
