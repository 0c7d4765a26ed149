// Root causes of an anomaly: the (service, region, account[, usage type]) cells ranked by dollars over their baseline.
import { roundCents, type UsageTypeCosts } from '@finops/core';
import { cellBelongsTo, dayAxis, denseValues, type BreakdownCell, type SeriesKey } from './cost-series.js';
import { daysBetween } from './dates.js';
import { median } from './robust-stats.js';
import { firstCostIndex } from './seasonal-baseline.js';

/** Root causes kept per anomaly. */
export const MAX_ROOT_CAUSES = 5;

export interface RootCause {
  /** Cost Explorer SERVICE value, e.g. `Amazon Elastic Compute Cloud - Compute`. */
  service: string;
  region: string;
  accountId: string;
  /** Cost Explorer USAGE_TYPE, when it was looked up (`anomalyDetection.usageTypeLookups`). */
  usageType?: string;
  /** Cost above the cell's own baseline over the anomaly's days, USD. */
  contributionUsdToDate: number;
  /** The same, per day of the anomaly, USD per day. */
  contributionUsdPerDay: number;
  /** Share of the anomaly's impact to date, percent (cells can add up to more than 100 when others fell). */
  sharePercent: number;
}

/**
 * Cost above its pre-anomaly baseline of one daily series over the days `[from, to]` (indexes, inclusive): each day
 * against the median of the same weekday in the `windowDays` before `from`. A series with no cost before `from`
 * has a baseline of 0, so new spend counts in full.
 */
export function excessCost(values: readonly number[], from: number, to: number, windowDays: number): number {
  const firstIndex = firstCostIndex(values);
  if (firstIndex < 0) return 0;
  const lo = Math.max(firstIndex, from - windowDays);
  let excess = 0;
  for (let i = from; i <= to; i++) {
    const samples: number[] = [];
    for (let j = from - 1 - ((from - 1 - i) % 7 + 7) % 7; j >= lo; j -= 7) samples.push(values[j]);
    excess += values[i] - (samples.length > 0 ? median(samples) : 0);
  }
  return excess;
}

/**
 * The breakdown cells inside `series`, ranked by their excess cost over the anomaly's days, largest first; only
 * cells that rose are kept. Tag series have no breakdown and get none.
 */
export function rankCells(
  cells: readonly BreakdownCell[],
  series: SeriesKey,
  window: { from: number; to: number; impactUsdToDate: number },
  windowDays: number,
): RootCause[] {
  const days = window.to - window.from + 1;
  return cells
    .filter((cell) => cellBelongsTo(cell, series))
    .map((cell) => ({ cell, excess: excessCost(cell.values, window.from, window.to, windowDays) }))
    .filter(({ excess }) => excess > 0)
    .sort((a, b) => b.excess - a.excess)
    .slice(0, MAX_ROOT_CAUSES)
    .map(({ cell, excess }) => rootCause(cell, undefined, excess, days, window.impactUsdToDate));
}

/**
 * Refines root causes with a Cost Explorer USAGE_TYPE breakdown of one cell (`costs`, fetched for the cell's
 * service, region and account over the anomaly's days and the baseline window before them): the cell is replaced
 * by its usage types that rose, and the list is re-ranked.
 */
export function refineWithUsageTypes(
  rootCauses: readonly RootCause[],
  costs: UsageTypeCosts,
  anomaly: { startDate: string; latestDate: string; impactUsdToDate: number },
  windowDays: number,
): RootCause[] {
  const target = rootCauses.find(
    (rc) => rc.usageType === undefined && rc.service === costs.service && rc.region === costs.region && rc.accountId === costs.accountId,
  );
  if (!target) return [...rootCauses];
  const axis = dayAxis(costs);
  const from = daysBetween(axis.start, anomaly.startDate);
  const to = daysBetween(axis.start, anomaly.latestDate);
  if (from < 0 || to >= axis.days.length || to < from) return [...rootCauses];
  const days = to - from + 1;
  const byUsageType = Object.entries(costs.series)
    .map(([usageType, points]) => ({ usageType, excess: excessCost(denseValues(axis, points), from, to, windowDays) }))
    .filter(({ excess }) => excess > 0)
    .map(({ usageType, excess }) => rootCause(target, usageType, excess, days, anomaly.impactUsdToDate));
  if (byUsageType.length === 0) return [...rootCauses];
  return [...rootCauses.filter((rc) => rc !== target), ...byUsageType]
    .sort((a, b) => b.contributionUsdToDate - a.contributionUsdToDate)
    .slice(0, MAX_ROOT_CAUSES);
}

function rootCause(
  cell: Pick<BreakdownCell, 'service' | 'region' | 'accountId'>,
  usageType: string | undefined,
  excess: number,
  days: number,
  impactUsdToDate: number,
): RootCause {
  return {
    service: cell.service,
    region: cell.region,
    accountId: cell.accountId,
    ...(usageType === undefined ? {} : { usageType }),
    contributionUsdToDate: roundCents(excess),
    contributionUsdPerDay: roundCents(excess / days),
    sharePercent: impactUsdToDate > 0 ? Math.round((excess / impactUsdToDate) * 1000) / 10 : 0,
  };
}

