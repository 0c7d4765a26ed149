// Fetches CloudWatch utilization for one partition's resources with batched GetMetricData calls and summarizes it.
import { paginateGetMetricData, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { MetricName, MetricSummary, Resource, ResourceKind, ResourceMetrics } from '@finops/core';
import { toAwsAccessError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import type { AwsLogger, AwsScope } from '../types.js';
import { metricPlanFor, METRICS_PERMISSION, type MetricDefinition } from './metric-definitions.js';
import { metricWindow, planMetricBatches } from './plan-metric-batches.js';
import { summarizeMetric, type Datapoint } from './summarize-metric.js';

/**
 * GetMetricData calls in flight per partition: enough that a large region is not fetched one call at a time, few
 * enough to stay far below the 50 TPS quota when several partitions run at once.
 */
export const METRIC_CALL_CONCURRENCY = 4;

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
}

/**
 * Metrics per kind for the utilization window, and for the optional "unused" window: a longer one summarized per
 * day (no invocations in 30 days). A metric needed in both is asked for once, over the longer window at the
 * utilization period, and summarized twice: CloudWatch bills per metric requested, not per datapoint.
 */
export interface MetricSelection {
  utilization: Partial<Record<ResourceKind, readonly MetricName[]>>;
  unused?: { lookbackDays: number; metrics: Partial<Record<ResourceKind, readonly MetricName[]>> };
}

const DAY_SEC = 86_400;

/** One query of the plan: which resource and metric a GetMetricData query id stands for, and its windows. */
interface PlannedQuery {
  id: string;
  resourceIndex: number;
  definition: MetricDefinition;
  query: MetricDataQuery;
  /** The query's period and span: the utilization period when it serves that window, daily otherwise. */
  periodSec: number;
  spanDays: number;
  utilization: boolean;
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
  const window = metricWindow(now, lookbackDays, periodSec);
  const planned = planQueries(resources, options);
  const byId = new Map(planned.map((query) => [query.id, query]));
  const datapoints = new Map<string, Datapoint[]>(planned.map((query) => [query.id, []]));
  // Queries of the same period and span share calls; most scans have one or two such groups, three at most.
  const groups = new Map<string, PlannedQuery[]>();
  for (const query of planned) {
    const key = `${query.periodSec}|${query.spanDays}`;
    groups.set(key, [...(groups.get(key) ?? []), query]);
  }
  const batches = [...groups.values()].flatMap((queries) => {
    const first = queries[0] as PlannedQuery;
    return planMetricBatches(queries, metricWindow(now, first.spanDays, first.periodSec), first.periodSec);
  });
  let warned = false;

  await mapLimit(batches, METRIC_CALL_CONCURRENCY, async (batch) => {
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
          const points = result.Id ? datapoints.get(result.Id) : undefined;
          if (!points) {
            logger.debug({ ...scope, id: result.Id }, 'GetMetricData returned an id that was not asked for; ignored');
            continue;
          }
          const timestamps = result.Timestamps ?? [];
          const values = result.Values ?? [];
          for (let i = 0; i < Math.min(timestamps.length, values.length); i += 1) {
            points.push({ timestamp: new Date(timestamps[i] as Date), value: values[i] as number });
          }
          if ((result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') && !warned) {
            warned = true;
            const query = byId.get(result.Id as string);
            logger.warn(
              { ...scope, statusCode: result.StatusCode, messages: result.Messages, metric: query?.definition.metricName },
              'GetMetricData returned incomplete data for some metrics',
            );
          }
        }
      }
    } catch (error) {
      throw toAwsAccessError(error, scope, METRICS_PERMISSION);
    }
  });

  const expectedDatapoints = Math.floor((lookbackDays * 86_400) / periodSec);
  const unused = options.select?.unused;
  const entries = new Map<number, ResourceMetrics>();
  for (const query of planned) {
    const resource = resources[query.resourceIndex] as Resource;
    let entry = entries.get(query.resourceIndex);
    if (!entry) {
      entry = { resourceId: resource.id, kind: resource.kind, lookbackDays, metrics: {} };
      entries.set(query.resourceIndex, entry);
    }
    const points = datapoints.get(query.id) ?? [];
    const stat = query.definition.stat;
    if (query.utilization) {
      // A query spanning the longer window too holds older points: the utilization summary keeps its own window.
      const inWindow = query.spanDays > lookbackDays ? points.filter((point) => point.timestamp >= window.start) : points;
      entry.metrics[query.definition.metric] = summarizeMetric(inWindow, { stat, periodSec, expectedDatapoints });
    }
    if (query.unused && unused) {
      entry.unused ??= { lookbackDays: unused.lookbackDays, metrics: {} };
      const daily = query.periodSec === DAY_SEC ? points : perDay(points, stat);
      entry.unused.metrics[query.definition.metric] = summarizeMetric(daily, { stat, periodSec: DAY_SEC, expectedDatapoints: unused.lookbackDays });
    }
  }
  return [...entries.values()];
}

/** Sub-daily datapoints folded into one per UTC day, by the statistic: totals of sums, peaks of maxima, means of averages. */
function perDay(points: readonly Datapoint[], stat: MetricSummary['stat']): Datapoint[] {
  const days = new Map<number, number[]>();
  for (const point of points) {
    const day = Math.floor(point.timestamp.getTime() / (DAY_SEC * 1000)) * DAY_SEC * 1000;
    days.set(day, [...(days.get(day) ?? []), point.value]);
  }
  return [...days.entries()].map(([day, values]) => {
    const sum = values.reduce((total, value) => total + value, 0);
    const value = stat === 'Sum' ? sum : stat === 'Maximum' ? Math.max(...values) : sum / values.length;
    return { timestamp: new Date(day), value };
  });
}

/**
 * One query per (resource, metric) a window needs. Ids are `m<n>`: valid CloudWatch ids (`^[a-z][a-zA-Z0-9_]*$`)
 * whatever the resource id.
 */
function planQueries(resources: readonly Resource[], options: FetchMetricsOptions): PlannedQuery[] {
  const { select } = options;
  const planned: PlannedQuery[] = [];
  resources.forEach((resource, resourceIndex) => {
    const plan = metricPlanFor(resource);
    if (!plan) return;
    for (const definition of plan.metrics) {
      const utilization = select ? (select.utilization[resource.kind]?.includes(definition.metric) ?? false) : true;
      const unused = select?.unused?.metrics[resource.kind]?.includes(definition.metric) ?? false;
      if (!utilization && !unused) continue;
      const periodSec = utilization ? options.periodSec : DAY_SEC;
      const spanDays = Math.max(utilization ? options.lookbackDays : 0, unused ? (select?.unused?.lookbackDays ?? 0) : 0);
      const id = `m${planned.length}`;
      planned.push({
        id,
        resourceIndex,
        definition,
        periodSec,
        spanDays,
        utilization,
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
            Period: periodSec,
            Stat: definition.stat,
          },
        },
      });
    }
  });
  return planned;
}
