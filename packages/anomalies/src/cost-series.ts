// Dense daily series from a CostDataset: one value per day of its range, for every series key and breakdown cell.
import type { CostDataset, DailyCost } from '@finops/core';
import { addDays, daysBetween } from './dates.js';

/** What a series adds up: the whole bill, or one service, region, linked account or cost-allocation tag value. */
export type SeriesDimension = 'total' | 'service' | 'region' | 'account' | 'tag';

export interface SeriesKey {
  /** The CostDataset key: `total`, `service:<name>`, `region:<name>`, `account:<id>`, `tag:<key>=<value>`. */
  key: string;
  dimension: SeriesDimension;
  /** The service, region or account id; `<key>=<value>` for tags; empty for the total. */
  value: string;
}

/** The days a dataset covers, oldest first. */
export interface DayAxis {
  start: string;
  /** Exclusive, like the dataset's `end`. */
  end: string;
  days: string[];
}

/** Daily cost of one (service, region, account) cell of the dataset's breakdown. */
export interface BreakdownCell {
  service: string;
  region: string;
  accountId: string;
  values: number[];
}

/** Parses a CostDataset series key; undefined for keys this version does not know. */
export function parseSeriesKey(key: string): SeriesKey | undefined {
  if (key === 'total') return { key, dimension: 'total', value: '' };
  const match = /^(service|region|account|tag):(.+)$/.exec(key);
  return match ? { key, dimension: match[1] as SeriesDimension, value: match[2] } : undefined;
}

export function dayAxis(dataset: Pick<CostDataset, 'start' | 'end'>): DayAxis {
  const count = Math.max(0, daysBetween(dataset.start, dataset.end));
  return { start: dataset.start, end: dataset.end, days: Array.from({ length: count }, (_, i) => addDays(dataset.start, i)) };
}

/** One value per day of `axis`; days absent from `points` (or outside the axis) count as 0. */
export function denseValues(axis: DayAxis, points: readonly DailyCost[]): number[] {
  const values = new Array<number>(axis.days.length).fill(0);
  for (const point of points) {
    const index = daysBetween(axis.start, point.date);
    if (index >= 0 && index < values.length) values[index] += point.amountUsd;
  }
  return values;
}

/** The breakdown as one dense series per (service, region, account). */
export function breakdownCells(dataset: CostDataset, axis: DayAxis = dayAxis(dataset)): BreakdownCell[] {
  const cells = new Map<string, BreakdownCell>();
  for (const row of dataset.breakdown) {
    const id = `${row.accountId}|${row.region}|${row.service}`;
    let cell = cells.get(id);
    if (!cell) {
      cell = { service: row.service, region: row.region, accountId: row.accountId, values: new Array<number>(axis.days.length).fill(0) };
      cells.set(id, cell);
    }
    const index = daysBetween(axis.start, row.date);
    if (index >= 0 && index < axis.days.length) cell.values[index] += row.amountUsd;
  }
  return [...cells.values()].sort((a, b) => cellKey(a).localeCompare(cellKey(b)));
}

/** `<account>/<region>/<service>`: a breakdown cell's stable name in state and dedup keys. */
export function cellKey(cell: Pick<BreakdownCell, 'accountId' | 'region' | 'service'>): string {
  return `${cell.accountId}/${cell.region}/${cell.service}`;
}

/** Whether a breakdown cell adds up into a series (tag series have no breakdown: never). */
export function cellBelongsTo(cell: Pick<BreakdownCell, 'accountId' | 'region' | 'service'>, series: SeriesKey): boolean {
  switch (series.dimension) {
    case 'total':
      return true;
    case 'service':
      return cell.service === series.value;
    case 'region':
      return cell.region === series.value;
    case 'account':
      return cell.accountId === series.value;
    case 'tag':
      return false;
  }
}
