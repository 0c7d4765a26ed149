// Fetches CloudWatch utilization for one partition's resources with batched GetMetricData calls and summarizes it.
import { paginateGetMetricData, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { Resource, ResourceMetrics } from '@finops/core';
import { toAwsAccessError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import type { AwsLogger, AwsScope } from '../types.js';
import { KIND_METRICS, METRICS_PERMISSION, type MetricDefinition } from './metric-definitions.js';
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
}

/** One query of the plan: which resource and metric a GetMetricData query id stands for. */
interface PlannedQuery {
  id: string;
  resourceIndex: number;
  definition: MetricDefinition;
  query: MetricDataQuery;
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
  const window = metricWindow(options.now ?? new Date(), lookbackDays, periodSec);
  const planned = planQueries(resources, periodSec);
  const byId = new Map(planned.map((query) => [query.id, query]));
  const datapoints = new Map<string, Datapoint[]>(planned.map((query) => [query.id, []]));
  const batches = planMetricBatches(planned, window, periodSec);
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
  const entries = new Map<number, ResourceMetrics>();
  for (const query of planned) {
    const resource = resources[query.resourceIndex] as Resource;
    let entry = entries.get(query.resourceIndex);
    if (!entry) {
      entry = { resourceId: resource.id, kind: resource.kind, lookbackDays, metrics: {} };
      entries.set(query.resourceIndex, entry);
    }
    entry.metrics[query.definition.metric] = summarizeMetric(datapoints.get(query.id) ?? [], {
      stat: query.definition.stat,
      periodSec,
      expectedDatapoints,
    });
  }
  return [...entries.values()];
}

/** One query per (resource, metric). Ids are `m<n>`: valid CloudWatch ids (`^[a-z][a-zA-Z0-9_]*$`) whatever the resource id. */
function planQueries(resources: readonly Resource[], periodSec: number): PlannedQuery[] {
  const planned: PlannedQuery[] = [];
  resources.forEach((resource, resourceIndex) => {
    const kindMetrics = KIND_METRICS[resource.kind];
    if (!kindMetrics) return;
    for (const definition of kindMetrics.metrics) {
      const id = `m${planned.length}`;
      planned.push({
        id,
        resourceIndex,
        definition,
        query: {
          Id: id,
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: definition.namespace,
              MetricName: definition.metricName,
              Dimensions: [{ Name: kindMetrics.dimension, Value: resource.id }],
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
