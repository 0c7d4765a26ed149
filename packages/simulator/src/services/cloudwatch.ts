// CloudWatch GetMetricData: every MetricStat query answered from on-demand series, with AWS's limits and paging.
import { invalidTokenError, serviceError } from '../aws-error.js';
import type { CallContext, OperationHandler } from '../call-context.js';
import { InputReader } from '../input-reader.js';
import { aggregate, clockKey, parseStatistic, type SeriesPoints } from '../metric-aggregation.js';
import { findSeries } from '../metric-series.js';
import { PagedAnswers } from '../paged-answers.js';
import { hashString } from '../prng.js';

/** GetMetricData limits (CloudWatch quotas; aws-facts.md §2). */
export const MAX_METRIC_QUERIES = 500;
export const MAX_DATAPOINTS = 100_800;

const QUERY_ID = /^[a-z][a-zA-Z0-9_]{0,254}$/;

/** Answers of requests that page, computed on their first page and reused by the pages after it. */
const pagedAnswers = new PagedAnswers<PlannedQuery[]>();

interface PlannedQuery {
  id: string;
  label: string;
  returnData: boolean;
  points: SeriesPoints;
}

function validationError(call: CallContext, message: string): never {
  throw serviceError('ValidationError', message, call.requestId);
}

function planQuery(call: CallContext, raw: Record<string, unknown>, index: number, window: { startMs: number; endMs: number }): PlannedQuery {
  const where = `MetricDataQueries.${index + 1}`;
  const id = raw.Id;
  if (typeof id !== 'string' || !QUERY_ID.test(id)) {
    validationError(call, `${where}.Id '${String(id)}' must start with a lower-case letter and hold only letters, digits and underscores`);
  }
  if (raw.Expression !== undefined) {
    validationError(call, `${where} (${id}): metric math Expression queries are not simulated; use MetricStat`);
  }
  const metricStat = raw.MetricStat as Record<string, unknown> | undefined;
  if (!metricStat || typeof metricStat !== 'object') validationError(call, `${where} (${id}) needs a MetricStat or an Expression`);
  const metric = metricStat.Metric as Record<string, unknown> | undefined;
  const namespace = metric?.Namespace;
  const metricName = metric?.MetricName;
  if (typeof namespace !== 'string' || typeof metricName !== 'string') validationError(call, `${where}.MetricStat.Metric needs Namespace and MetricName`);
  const period = metricStat.Period;
  if (typeof period !== 'number' || !Number.isInteger(period) || period <= 0 || period % 60 !== 0) {
    validationError(call, `${where}.MetricStat.Period must be a positive multiple of 60 seconds`);
  }
  if (period < 3600 ? 3600 % period !== 0 : period % 3600 !== 0) {
    validationError(call, `${where}.MetricStat.Period ${period}: the simulator serves periods that divide an hour or are whole hours`);
  }
  const statText = metricStat.Stat;
  const stat = typeof statText === 'string' ? parseStatistic(statText) : undefined;
  if (!stat) validationError(call, `${where}.MetricStat.Stat '${String(statText)}' is not a statistic the simulator serves (Average, Sum, Minimum, Maximum, SampleCount, pNN)`);
  const rawDimensions = metric?.Dimensions ?? [];
  if (!Array.isArray(rawDimensions)) validationError(call, `${where}.MetricStat.Metric.Dimensions must be a list`);
  const dimensions = rawDimensions.map((d: { Name?: unknown; Value?: unknown }) => ({ Name: String(d?.Name ?? ''), Value: String(d?.Value ?? '') }));
  const partition = call.estate.partition(call.accountId, call.region);
  const series = findSeries(partition, namespace, metricName, dimensions);
  const unit = metricStat.Unit;
  const points =
    series && (unit === undefined || unit === series.unit)
      ? aggregate(series, { startMs: window.startMs, endMs: window.endMs, periodSec: period, stat, nowMs: call.nowMs })
      : { timestamps: new Float64Array(0), values: new Float64Array(0) };
  const label = typeof raw.Label === 'string' ? raw.Label : metricName;
  return { id, label, returnData: raw.ReturnData !== false, points };
}

/** Queries planned between two yields to the event loop: a 500-query answer computes for a while. */
const QUERIES_PER_SLICE = 25;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const getMetricData: OperationHandler = async (call) => {
  const reader = new InputReader(call);
  const rawQueries = reader.objectList('MetricDataQueries');
  if (!rawQueries || rawQueries.length === 0) validationError(call, 'MetricDataQueries must hold at least one query');
  if (rawQueries.length > MAX_METRIC_QUERIES) {
    validationError(call, `The collection MetricDataQueries must not have a size greater than ${MAX_METRIC_QUERIES} (got ${rawQueries.length})`);
  }
  const startMs = reader.date('StartTime');
  const endMs = reader.date('EndTime');
  if (startMs === undefined || endMs === undefined) validationError(call, 'StartTime and EndTime are required');
  if (startMs >= endMs) validationError(call, 'The parameter StartTime must be less than the parameter EndTime');
  const maxDatapoints = reader.has('MaxDatapoints') ? reader.integer('MaxDatapoints', { min: 1, max: Number.MAX_SAFE_INTEGER }) ?? MAX_DATAPOINTS : MAX_DATAPOINTS;
  if (maxDatapoints > MAX_DATAPOINTS) validationError(call, `MaxDatapoints ${maxDatapoints} exceeds the limit of ${MAX_DATAPOINTS} datapoints per call`);
  const scanBy = reader.string('ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') validationError(call, `ScanBy '${scanBy}' must be TimestampDescending or TimestampAscending`);

  const token = reader.string('NextToken');
  // A request is its whole input but the token: its fingerprint binds a token to it.
  let requestText: string | undefined;
  const request = () => (requestText ??= JSON.stringify({ ...call.input, NextToken: undefined }));
  // The pages of one request share one computed answer, for as long as it would come out the same: same partition
  // (a mutation replaces it), same request, a clock in the same minute (all the datapoints depend on, see clockKey).
  const partition = call.estate.partition(call.accountId, call.region);
  const answerKey = () => `${clockKey(call.nowMs)}|${request()}`;

  // A kept answer was planned from this very input, so it passed the checks planning makes.
  let returned = token ? pagedAnswers.get(partition, answerKey()) : undefined;
  if (!returned) {
    const ids = new Set<string>();
    const queries: PlannedQuery[] = [];
    for (const [index, raw] of rawQueries.entries()) {
      // Other calls (and, in a worker, other jobs) go on while a large answer is computed.
      if (index > 0 && index % QUERIES_PER_SLICE === 0) await yieldToEventLoop();
      const query = planQuery(call, raw, index, { startMs, endMs });
      if (ids.has(query.id)) validationError(call, `The value ${query.id} for field Id is duplicated`);
      ids.add(query.id);
      queries.push(query);
    }
    returned = queries.filter((q) => q.returnData);
  }

  // Paging: the datapoints of all queries in order, MaxDatapoints per page; a token is bound to its request.
  const fingerprint = () => hashString(request());
  let offset = 0;
  if (token) {
    const [fp, at] = token.split('.').map((part) => Number.parseInt(part, 36));
    if (fp !== fingerprint() || !Number.isInteger(at) || at < 0) throw invalidTokenError('cloudwatch', 'The NextToken is not valid for this request', call.requestId);
    offset = at;
  }
  const total = returned.reduce((sum, q) => sum + q.points.timestamps.length, 0);
  const pageEnd = Math.min(total, offset + maxDatapoints);
  if (pageEnd < total) pagedAnswers.keep(partition, answerKey(), returned);
  else if (token) pagedAnswers.drop(partition, answerKey());

  const descending = scanBy === 'TimestampDescending';
  let cursor = 0;
  const results = returned.map((query) => {
    const length = query.points.timestamps.length;
    const from = Math.max(0, offset - cursor);
    const to = Math.max(0, Math.min(length, pageEnd - cursor));
    cursor += length;
    return {
      Id: query.id,
      Label: query.label,
      ...(call.binaryDatapoints ? binaryPageOf : pageOf)(query.points, from, Math.max(from, to), descending),
      StatusCode: to < length ? 'PartialData' : 'Complete',
      Messages: [],
    };
  });
  return {
    MetricDataResults: results,
    Messages: [],
    ...(pageEnd < total ? { NextToken: `${fingerprint().toString(36)}.${pageEnd.toString(36)}` } : {}),
  };
};

/**
 * Datapoints [from, end) of a series in the requested order (`points` are oldest first), as the SDK hands them
 * over: Dates and a plain array of values, built in one pass without reversing or slicing copies.
 */
function pageOf(points: SeriesPoints, from: number, end: number, descending: boolean): { Timestamps: Date[]; Values: number[] } {
  const { timestamps, values } = points;
  const count = end - from;
  const Timestamps = new Array<Date>(count);
  const Values = new Array<number>(count);
  // Descending, the page's j-th datapoint is the series' (length - 1 - from - j)-th.
  const base = descending ? timestamps.length - 1 - from : from;
  const direction = descending ? -1 : 1;
  for (let j = 0; j < count; j++) {
    const i = base + direction * j;
    // A Date per datapoint, as the SDK's deserializer builds them: that client-side cost is the platform's to pay.
    Timestamps[j] = new Date(timestamps[i] as number);
    Values[j] = values[i];
  }
  return { Timestamps, Values };
}

/**
 * pageOf's datapoints as the bytes of Float64Arrays (epoch ms; values), for the endpoint's wire
 * (CallContext.binaryDatapoints). Bytes, not the Float64Arrays: msgpackr does not pack a Float64Array's values.
 */
function binaryPageOf(points: SeriesPoints, from: number, end: number, descending: boolean): { Timestamps: Uint8Array; Values: Uint8Array } {
  const bytes = (array: Float64Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (!descending) return { Timestamps: bytes(points.timestamps.slice(from, end)), Values: bytes(points.values.slice(from, end)) };
  const count = end - from;
  const Timestamps = new Float64Array(count);
  const Values = new Float64Array(count);
  const base = points.timestamps.length - 1 - from;
  for (let j = 0; j < count; j++) {
    Timestamps[j] = points.timestamps[base - j] as number;
    Values[j] = points.values[base - j] as number;
  }
  return { Timestamps: bytes(Timestamps), Values: bytes(Values) };
}

export const cloudwatchOperations: Record<string, OperationHandler> = {
  GetMetricData: getMetricData,
};
