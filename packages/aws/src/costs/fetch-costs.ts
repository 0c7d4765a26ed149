// Daily cost from Cost Explorer: the planned GetCostAndUsage requests followed through every page, and this month's forecast.
import {
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
  type CostExplorerClient,
  type Expression,
  type GroupDefinition,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import type { CostDataset } from '@finops/core';
import type { AwsLogger, AwsScope } from '../types.js';
import { aggregateCosts, chooseMetric, type CostMetric, type CostRow } from './aggregate-costs.js';
import { costExplorerError } from './cost-explorer-error.js';
import {
  DEFAULT_COST_GROUPINGS,
  needsRegionLookup,
  planCostRequests,
  type CostDimension,
  type CostGrouping,
  type CostRequestSet,
} from './cost-request-plan.js';
import { costWindow, isoDay, utcDayStart } from './cost-window.js';

export interface FetchCostsOptions {
  /** Full days before today (default 90); at most what Cost Explorer keeps (13 months plus the current one). */
  lookbackDays?: number;
  /** Only daily data: anomaly detection and trends work on days. */
  granularity?: 'DAILY';
  /** Default: SERVICE, REGION and LINKED_ACCOUNT (which gives the breakdown); add `TAG:<key>` for tag series. */
  groupings?: readonly CostGrouping[];
  /** The accounts whose costs are fetched (a filter on LINKED_ACCOUNT). */
  accounts: readonly string[];
  /** Default: now. The window ends at the start of this UTC day. */
  now?: Date;
}

export const DEFAULT_COST_LOOKBACK_DAYS = 90;
/** Asked for both; NetUnblendedCost is used when every answer has it (see chooseMetric). */
const METRICS = ['NetUnblendedCost', 'UnblendedCost'];
const FORECAST_METRIC: Record<CostMetric, 'NET_UNBLENDED_COST' | 'UNBLENDED_COST'> = {
  NetUnblendedCost: 'NET_UNBLENDED_COST',
  UnblendedCost: 'UNBLENDED_COST',
};
/** An expected reason for a missing forecast: too little history. Anything else missing it is logged as a warning. */
const FORECAST_NO_HISTORY = 'DataUnavailableException';

/** A LINKED_ACCOUNT filter on the accounts, narrowed to one value of the set's fixed dimension. */
export function filterOf(set: Pick<CostRequestSet, 'accounts' | 'fixed'>): Expression | undefined {
  const parts: Expression[] = [];
  if (set.fixed?.dimension === 'LINKED_ACCOUNT') {
    parts.push({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [set.fixed.value] } });
  } else {
    if (set.accounts.length > 0) parts.push({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [...set.accounts] } });
    if (set.fixed) parts.push({ Dimensions: { Key: set.fixed.dimension, Values: [set.fixed.value] } });
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { And: parts };
}

function amount(metrics: Record<string, { Amount?: string } | undefined> | undefined, name: string): number | undefined {
  const raw = metrics?.[name]?.Amount;
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** Rows of one page: one per group and day, its keys placed by the GroupBy definitions. */
export function rowsOf(results: readonly ResultByTime[], set: Pick<CostRequestSet, 'groupBy' | 'fixed' | 'purpose'>): CostRow[] {
  const rows: CostRow[] = [];
  const field: Record<CostDimension, 'service' | 'region' | 'accountId'> = { SERVICE: 'service', REGION: 'region', LINKED_ACCOUNT: 'accountId' };
  for (const result of results) {
    const date = result.TimePeriod?.Start;
    if (!date) continue;
    const base: CostRow = { date, purpose: set.purpose };
    if (set.fixed) base[field[set.fixed.dimension]] = set.fixed.value;
    if (set.groupBy.length === 0) {
      rows.push({ ...base, net: amount(result.Total, 'NetUnblendedCost'), unblended: amount(result.Total, 'UnblendedCost') });
      continue;
    }
    for (const group of result.Groups ?? []) {
      const row: CostRow = { ...base, net: amount(group.Metrics, 'NetUnblendedCost'), unblended: amount(group.Metrics, 'UnblendedCost') };
      set.groupBy.forEach((definition, i) => {
        const key = group.Keys?.[i] ?? '';
        if (definition.type === 'DIMENSION') row[field[definition.key]] = key;
        // Tag groups come back as `<key>$<value>`; an untagged resource has an empty value.
        else row.tag = { key: definition.key, value: key.startsWith(`${definition.key}$`) ? key.slice(definition.key.length + 1) : key };
      });
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Fetches daily cost: plans the requests (see planCostRequests for how many), follows every NextPageToken, sums the
 * answers into series and breakdown, and adds Cost Explorer's forecast for the rest of the current month.
 * `scope` is the payer account and the Cost Explorer region, for error messages.
 */
export async function fetchCostDataset(
  ce: CostExplorerClient,
  scope: AwsScope,
  options: FetchCostsOptions,
  logger: AwsLogger,
): Promise<Omit<CostDataset, 'cached'>> {
  const now = options.now ?? new Date();
  const window = costWindow(now, options.lookbackDays ?? DEFAULT_COST_LOOKBACK_DAYS);
  const groupings = options.groupings ?? DEFAULT_COST_GROUPINGS;
  const accounts = [...new Set(options.accounts)].sort();
  const regionsWithCost = needsRegionLookup(groupings, accounts) ? await listRegionsWithCost(ce, scope, window, accounts) : undefined;
  const sets = planCostRequests({ groupings, accounts, regionsWithCost });
  const rows: CostRow[] = [];
  // Sets run one after another: Cost Explorer has a low request rate and every request is billed.
  for (const set of sets) rows.push(...(await fetchSet(ce, scope, window, set)));
  const metric = chooseMetric(rows);
  const { series, breakdown } = aggregateCosts(rows, window, metric);
  const forecast = await fetchForecast(ce, scope, metric, accounts, now, logger);
  logger.debug({ ...scope, sets: sets.length, rows: rows.length, metric }, 'fetched daily costs');
  return { fetchedAt: now.toISOString(), start: window.start, end: window.end, metric, series, breakdown, ...(forecast ? { forecast } : {}) };
}

async function fetchSet(ce: CostExplorerClient, scope: AwsScope, window: { start: string; end: string }, set: CostRequestSet): Promise<CostRow[]> {
  const groupBy: GroupDefinition[] = set.groupBy.map((g) => ({ Type: g.type, Key: g.key }));
  const filter = filterOf(set);
  const rows: CostRow[] = [];
  let token: string | undefined;
  do {
    try {
      const page = await ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: window.start, End: window.end },
          Granularity: 'DAILY',
          Metrics: METRICS,
          ...(groupBy.length ? { GroupBy: groupBy } : {}),
          ...(filter ? { Filter: filter } : {}),
          ...(token ? { NextPageToken: token } : {}),
        }),
      );
      rows.push(...rowsOf(page.ResultsByTime ?? [], set));
      token = page.NextPageToken || undefined;
    } catch (error) {
      throw costExplorerError(error, scope, 'ce:GetCostAndUsage');
    }
  } while (token);
  return rows;
}

/** The REGION values with cost in the window for these accounts (each page is a billed request). */
async function listRegionsWithCost(ce: CostExplorerClient, scope: AwsScope, window: { start: string; end: string }, accounts: string[]): Promise<string[]> {
  const regions = new Set<string>();
  let token: string | undefined;
  do {
    try {
      const page = await ce.send(
        new GetDimensionValuesCommand({
          TimePeriod: { Start: window.start, End: window.end },
          Dimension: 'REGION',
          Context: 'COST_AND_USAGE',
          Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: accounts } },
          ...(token ? { NextPageToken: token } : {}),
        }),
      );
      for (const value of page.DimensionValues ?? []) if (value.Value !== undefined) regions.add(value.Value);
      token = page.NextPageToken || undefined;
    } catch (error) {
      throw costExplorerError(error, scope, 'ce:GetDimensionValues');
    }
  } while (token);
  return [...regions].sort();
}

/**
 * Cost Explorer's forecast from today to the end of the month, or undefined when it has too little history or the
 * permission is missing (the costs themselves are still good). Throttling and server errors are thrown.
 */
async function fetchForecast(
  ce: CostExplorerClient,
  scope: AwsScope,
  metric: CostMetric,
  accounts: string[],
  now: Date,
  logger: AwsLogger,
): Promise<CostDataset['forecast']> {
  const start = utcDayStart(now);
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  if (start >= monthEnd) return undefined;
  try {
    const output = await ce.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: isoDay(start), End: isoDay(monthEnd) },
        Metric: FORECAST_METRIC[metric],
        Granularity: 'MONTHLY',
        PredictionIntervalLevel: 80,
        ...(accounts.length ? { Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: accounts } } } : {}),
      }),
    );
    const total = Number(output.Total?.Amount);
    if (!Number.isFinite(total)) return undefined;
    const results = output.ForecastResultsByTime ?? [];
    const sum = (pick: (r: (typeof results)[number]) => string | undefined): number | undefined => {
      const values = results.map((r) => Number(pick(r)));
      return values.length && values.every(Number.isFinite) ? values.reduce((a, b) => a + b, 0) : undefined;
    };
    const lowerUsd = sum((r) => r.PredictionIntervalLowerBound);
    const upperUsd = sum((r) => r.PredictionIntervalUpperBound);
    return {
      start: isoDay(start),
      end: isoDay(monthEnd),
      amountUsd: total,
      ...(lowerUsd !== undefined ? { lowerUsd } : {}),
      ...(upperUsd !== undefined ? { upperUsd } : {}),
    };
  } catch (error) {
    const converted = costExplorerError(error, scope, 'ce:GetCostForecast');
    if (converted.retryable) throw converted;
    const level = converted.code === FORECAST_NO_HISTORY ? 'debug' : 'warn';
    logger[level]({ ...scope, code: converted.code, hint: converted.hint }, `no cost forecast: ${converted.message}`);
    return undefined;
  }
}
