// Sums Cost Explorer's grouped answers into the daily series (total, service, region, account, tag) and the breakdown.
import type { CostDataset, DailyCost } from '@finops/core';
import { daysOf } from './cost-window.js';

/** One day's cost of one group of a GetCostAndUsage answer, with both metrics as Cost Explorer returned them. */
export interface CostRow {
  date: string;
  purpose: 'dimensions' | 'tag';
  service?: string;
  region?: string;
  accountId?: string;
  tag?: { key: string; value: string };
  /** NetUnblendedCost, when the answer carried it. */
  net?: number;
  unblended?: number;
}

export type CostMetric = CostDataset['metric'];

/**
 * NetUnblendedCost (after discounts and credits) when every row carries it, else UnblendedCost for all rows: one
 * dataset never mixes the two.
 */
export function chooseMetric(rows: readonly CostRow[]): CostMetric {
  return rows.every((row) => row.net !== undefined) ? 'NetUnblendedCost' : 'UnblendedCost';
}

export function amountOf(row: CostRow, metric: CostMetric): number {
  return (metric === 'NetUnblendedCost' ? row.net : row.unblended) ?? 0;
}

/**
 * The dataset's series and breakdown. Every series has one entry per day of [start, end), 0 on days without cost.
 * The total and the dimension series come from `dimensions` rows only (tag rows cover the same spend again); the
 * breakdown lists the non-zero (day, service, region, account) cells, and only when all three are known.
 */
export function aggregateCosts(
  rows: readonly CostRow[],
  window: { start: string; end: string },
  metric: CostMetric = chooseMetric(rows),
): Pick<CostDataset, 'metric' | 'series' | 'breakdown'> {
  const days = daysOf(window.start, window.end);
  const index = new Map(days.map((day, i) => [day, i]));
  const sums = new Map<string, number[]>();
  const add = (key: string, dayIndex: number, amount: number) => {
    let values = sums.get(key);
    if (!values) {
      values = new Array<number>(days.length).fill(0);
      sums.set(key, values);
    }
    values[dayIndex] = (values[dayIndex] ?? 0) + amount;
  };
  const breakdown: CostDataset['breakdown'] = [];
  let hasDimensionRows = false;
  for (const row of rows) {
    const dayIndex = index.get(row.date);
    if (dayIndex === undefined) continue;
    const amount = amountOf(row, metric);
    if (row.purpose === 'tag') {
      if (row.tag) add(`tag:${row.tag.key}=${row.tag.value}`, dayIndex, amount);
      continue;
    }
    hasDimensionRows = true;
    add('total', dayIndex, amount);
    if (row.service !== undefined) add(`service:${row.service}`, dayIndex, amount);
    if (row.region !== undefined) add(`region:${row.region}`, dayIndex, amount);
    if (row.accountId !== undefined) add(`account:${row.accountId}`, dayIndex, amount);
    if (row.service !== undefined && row.region !== undefined && row.accountId !== undefined && amount !== 0) {
      breakdown.push({ date: row.date, service: row.service, region: row.region, accountId: row.accountId, amountUsd: amount });
    }
  }
  // A window with no cost at all still has a total: a flat zero, not a missing series.
  if (!hasDimensionRows) sums.set('total', new Array<number>(days.length).fill(0));
  const series: Record<string, DailyCost[]> = {};
  const keys = [...sums.keys()].sort((a, b) => (a === 'total' ? -1 : b === 'total' ? 1 : a.localeCompare(b)));
  for (const key of keys) series[key] = (sums.get(key) as number[]).map((amountUsd, i) => ({ date: days[i] as string, amountUsd }));
  breakdown.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.accountId.localeCompare(b.accountId) ||
      a.region.localeCompare(b.region) ||
      a.service.localeCompare(b.service),
  );
  return { metric, series, breakdown };
}
