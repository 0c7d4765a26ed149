// Cost Explorer GetCostAndUsage and GetCostForecast over the cost model: groupings, filters, paging by days.
import { invalidTokenError, serviceError } from '../aws-error.js';
import type { CallContext, OperationHandler } from '../call-context.js';
import { DAY_MS, isoDate, parseIsoDate } from '../clock.js';
import type { CostLine, CostModel } from '../cost-model.js';
import { InputReader } from '../input-reader.js';
import { hashString } from '../prng.js';

const DIMENSIONS = ['SERVICE', 'REGION', 'LINKED_ACCOUNT', 'USAGE_TYPE', 'RECORD_TYPE'] as const;
type Dimension = (typeof DIMENSIONS)[number];
const COST_METRICS = ['UnblendedCost', 'NetUnblendedCost', 'BlendedCost', 'AmortizedCost', 'NetAmortizedCost'];
const FORECAST_METRICS = ['UNBLENDED_COST', 'NET_UNBLENDED_COST', 'BLENDED_COST', 'AMORTIZED_COST', 'NET_AMORTIZED_COST'];
/** Days of a DAILY answer per page (every page is a billed request). */
const DAYS_PER_PAGE = 60;

function dimensionValue(line: CostLine, dimension: Dimension): string {
  switch (dimension) {
    case 'SERVICE':
      return line.service;
    case 'REGION':
      return line.region;
    case 'LINKED_ACCOUNT':
      return line.accountId;
    case 'USAGE_TYPE':
      return line.usageType;
    case 'RECORD_TYPE':
      return 'Usage';
  }
}

function validation(call: CallContext, message: string): never {
  throw serviceError('ValidationException', message, call.requestId);
}

/** A Cost Explorer Expression as a predicate over cost lines. */
function compileFilter(call: CallContext, expression: unknown): (line: CostLine) => boolean {
  if (expression === undefined || expression === null) return () => true;
  if (typeof expression !== 'object') validation(call, 'Filter must be an Expression');
  const e = expression as Record<string, unknown>;
  const keys = Object.keys(e).filter((k) => e[k] !== undefined);
  if (keys.length !== 1) validation(call, `An Expression holds exactly one of And, Or, Not, Dimensions (got ${keys.join(', ') || 'none'})`);
  const [key] = keys;
  if (key === 'And' || key === 'Or') {
    const parts = e[key];
    if (!Array.isArray(parts) || parts.length < 2) validation(call, `${key} needs at least two expressions`);
    const compiled = parts.map((part) => compileFilter(call, part));
    return key === 'And' ? (line) => compiled.every((f) => f(line)) : (line) => compiled.some((f) => f(line));
  }
  if (key === 'Not') {
    const inner = compileFilter(call, e.Not);
    return (line) => !inner(line);
  }
  if (key === 'Dimensions') {
    const d = e.Dimensions as { Key?: unknown; Values?: unknown; MatchOptions?: unknown };
    const dimension = d.Key as Dimension;
    if (!DIMENSIONS.includes(dimension)) validation(call, `Filter dimension ${String(d.Key)} is not simulated (use ${DIMENSIONS.join(', ')})`);
    if (!Array.isArray(d.Values)) validation(call, `Filter dimension ${dimension} needs Values`);
    const options = Array.isArray(d.MatchOptions) ? (d.MatchOptions as string[]) : ['EQUALS'];
    const insensitive = options.includes('CASE_INSENSITIVE');
    const norm = (text: string) => (insensitive ? text.toLowerCase() : text);
    const values = (d.Values as string[]).map(norm);
    const mode = options.find((o) => o !== 'CASE_INSENSITIVE' && o !== 'CASE_SENSITIVE') ?? 'EQUALS';
    const test: Record<string, (v: string, want: string) => boolean> = {
      EQUALS: (v, want) => v === want,
      STARTS_WITH: (v, want) => v.startsWith(want),
      ENDS_WITH: (v, want) => v.endsWith(want),
      CONTAINS: (v, want) => v.includes(want),
    };
    const match = test[mode];
    if (!match) validation(call, `MatchOptions ${mode} is not simulated`);
    return (line) => {
      const value = norm(dimensionValue(line, dimension));
      return values.some((want) => match(value, want));
    };
  }
  validation(call, `Filter ${key} is not simulated: only Dimensions, And, Or and Not are`);
}

/** Management account (the first simulated account) sees every account; a member sees its own bill. */
function visibleLines(call: CallContext, model: CostModel): CostLine[] {
  const management = call.estate.accounts[0];
  return call.accountId === management ? model.lines : model.lines.filter((l) => l.accountId === call.accountId);
}

function timePeriod(call: CallContext, reader: InputReader): { startMs: number; endMs: number; start: string; end: string } {
  const period = reader.object('TimePeriod');
  const start = period?.Start;
  const end = period?.End;
  if (typeof start !== 'string' || typeof end !== 'string') validation(call, 'TimePeriod needs Start and End (YYYY-MM-DD)');
  const startMs = parseIsoDate(start);
  const endMs = parseIsoDate(end);
  if (Number.isNaN(startMs) || Number.isNaN(endMs)) validation(call, `TimePeriod ${start}..${end}: dates must be YYYY-MM-DD`);
  if (startMs >= endMs) validation(call, 'Start date (inclusive) must be before end date (exclusive)');
  return { startMs, endMs, start, end };
}

function amount(value: number): { Amount: string; Unit: string } {
  return { Amount: value.toFixed(10), Unit: 'USD' };
}

/** Periods of the answer: days, or calendar months clipped to the requested range. */
function periodsOf(startMs: number, endMs: number, granularity: string): { startMs: number; endMs: number }[] {
  const out: { startMs: number; endMs: number }[] = [];
  if (granularity === 'DAILY') {
    for (let day = startMs; day < endMs; day += DAY_MS) out.push({ startMs: day, endMs: day + DAY_MS });
    return out;
  }
  let cursor = startMs;
  while (cursor < endMs) {
    const d = new Date(cursor);
    const next = Math.min(endMs, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    out.push({ startMs: cursor, endMs: next });
    cursor = next;
  }
  return out;
}

export function costExplorerOperations(model: () => CostModel): Record<string, OperationHandler> {
  const getCostAndUsage: OperationHandler = (call) => {
    const reader = new InputReader(call);
    const { startMs, endMs } = timePeriod(call, reader);
    const epoch = call.estate.epochMs;
    const today = new Date(epoch);
    const oldest = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 13, 1);
    if (startMs < oldest) validation(call, `historical data beyond 13 months is not available: Start must be on or after ${isoDate(oldest)}`);
    const granularity = reader.string('Granularity') ?? 'MONTHLY';
    if (granularity === 'HOURLY') validation(call, 'Hourly granularity is not enabled for this account (not simulated)');
    if (granularity !== 'DAILY' && granularity !== 'MONTHLY') validation(call, `Granularity ${granularity} must be DAILY, MONTHLY or HOURLY`);
    const metrics = reader.stringList('Metrics');
    if (!metrics || metrics.length === 0) validation(call, 'Metrics is required');
    const unknown = metrics.filter((m) => !COST_METRICS.includes(m));
    if (unknown.length > 0) validation(call, `Metrics ${unknown.join(', ')} are not simulated (use ${COST_METRICS.join(', ')})`);
    const groupBy = (reader.objectList('GroupBy') ?? []).map((g) => {
      if (g.Type !== 'DIMENSION') validation(call, `GroupBy type ${String(g.Type)} is not simulated: only DIMENSION`);
      if (!DIMENSIONS.includes(g.Key as Dimension)) validation(call, `GroupBy key ${String(g.Key)} is not simulated (use ${DIMENSIONS.join(', ')})`);
      return g.Key as Dimension;
    });
    if (groupBy.length > 2) validation(call, 'GroupBy accepts at most 2 keys');
    const filter = compileFilter(call, reader.object('Filter'));
    const lines = visibleLines(call, model()).filter(filter);

    // Data exists up to yesterday; today and later have nothing yet.
    const periods = periodsOf(startMs, Math.min(endMs, epoch), granularity);
    const perPage = granularity === 'DAILY' ? DAYS_PER_PAGE : periods.length;
    const fingerprint = hashString(JSON.stringify({ ...call.input, NextPageToken: undefined }));
    const token = reader.string('NextPageToken');
    let offset = 0;
    if (token) {
      const [fp, at] = token.split('.').map((part) => Number.parseInt(part, 36));
      if (fp !== fingerprint || !Number.isInteger(at) || at < 0 || at > periods.length) {
        throw invalidTokenError('ce', 'The NextPageToken is not valid for this request', call.requestId);
      }
      offset = at;
    }
    const pageEnd = Math.min(periods.length, offset + perPage);
    const cm = model();
    const resultsByTime = periods.slice(offset, pageEnd).map((period) => {
      const groups = new Map<string, { keys: string[]; total: number }>();
      let total = 0;
      for (const line of lines) {
        let value = 0;
        for (let day = period.startMs; day < period.endMs; day += DAY_MS) value += cm.cost(line, day);
        total += value;
        if (groupBy.length > 0) {
          const keys = groupBy.map((d) => dimensionValue(line, d));
          const id = keys.join('\u0000');
          const group = groups.get(id) ?? { keys, total: 0 };
          group.total += value;
          groups.set(id, group);
        }
      }
      const metricsOf = (value: number) => Object.fromEntries(metrics.map((m) => [m, amount(value)]));
      return {
        TimePeriod: { Start: isoDate(period.startMs), End: isoDate(period.endMs) },
        Total: groupBy.length > 0 ? {} : metricsOf(total),
        Groups: [...groups.values()]
          .sort((a, b) => a.keys.join('|').localeCompare(b.keys.join('|')))
          .map((g) => ({ Keys: g.keys, Metrics: metricsOf(g.total) })),
        // Cost Explorer marks the most recent days as estimated until the bill settles.
        Estimated: period.endMs > epoch - 2 * DAY_MS,
      };
    });
    const accounts = [...new Set(lines.map((l) => l.accountId))];
    return {
      GroupDefinitions: groupBy.map((Key) => ({ Type: 'DIMENSION', Key })),
      ResultsByTime: resultsByTime,
      DimensionValueAttributes: groupBy.includes('LINKED_ACCOUNT')
        ? accounts.map((id) => ({ Value: id, Attributes: { description: `Simulated account ${id}` } }))
        : [],
      ...(pageEnd < periods.length ? { NextPageToken: `${fingerprint.toString(36)}.${pageEnd.toString(36)}` } : {}),
    };
  };

  const getCostForecast: OperationHandler = (call) => {
    const reader = new InputReader(call);
    const { startMs, endMs } = timePeriod(call, reader);
    const epoch = call.estate.epochMs;
    if (startMs < epoch) validation(call, `Start date must be equal to or later than the current date (${isoDate(epoch)})`);
    if (endMs > epoch + 366 * DAY_MS) validation(call, 'End date must be within 12 months of the current date');
    const metric = reader.requiredString('Metric');
    if (!FORECAST_METRICS.includes(metric)) validation(call, `Metric ${metric} is not simulated (use ${FORECAST_METRICS.join(', ')})`);
    const granularity = reader.requiredString('Granularity');
    if (granularity !== 'DAILY' && granularity !== 'MONTHLY') validation(call, `Granularity ${granularity} must be DAILY or MONTHLY`);
    const level = reader.integer('PredictionIntervalLevel', { min: 51, max: 99 }) ?? 80;
    const filter = compileFilter(call, reader.object('Filter'));
    const cm = model();
    const lines = visibleLines(call, cm).filter(filter);
    // The forecast is the noise-free baseline; the interval widens with the confidence asked for.
    const spread = 0.05 + (level - 50) / 400;
    let total = 0;
    const results = periodsOf(startMs, endMs, granularity).map((period) => {
      let mean = 0;
      for (let day = period.startMs; day < period.endMs; day += DAY_MS) for (const line of lines) mean += cm.baseline(line, day);
      total += mean;
      return {
        TimePeriod: { Start: isoDate(period.startMs), End: isoDate(period.endMs) },
        MeanValue: mean.toFixed(10),
        PredictionIntervalLowerBound: (mean * (1 - spread)).toFixed(10),
        PredictionIntervalUpperBound: (mean * (1 + spread)).toFixed(10),
      };
    });
    return { Total: amount(total), ForecastResultsByTime: results };
  };

  /** The values of a dimension that have cost in the period (one page: the simulated estate is small). */
  const getDimensionValues: OperationHandler = (call) => {
    const reader = new InputReader(call);
    const { startMs, endMs } = timePeriod(call, reader);
    const dimension = reader.requiredString('Dimension') as Dimension;
    if (!DIMENSIONS.includes(dimension)) validation(call, `Dimension ${dimension} is not simulated (use ${DIMENSIONS.join(', ')})`);
    const filter = compileFilter(call, reader.object('Filter'));
    const cm = model();
    const lastDay = Math.min(endMs, call.estate.epochMs);
    const values = new Set<string>();
    for (const line of visibleLines(call, cm).filter(filter)) {
      for (let day = startMs; day < lastDay; day += DAY_MS) {
        if (cm.cost(line, day) !== 0) {
          values.add(dimensionValue(line, dimension));
          break;
        }
      }
    }
    const sorted = [...values].sort();
    return { DimensionValues: sorted.map((Value) => ({ Value, Attributes: {} })), ReturnSize: sorted.length, TotalSize: sorted.length };
  };

  return { GetCostAndUsage: getCostAndUsage, GetCostForecast: getCostForecast, GetDimensionValues: getDimensionValues };
}
