// Synthetic cost series and datasets for the anomaly and budget tests (not part of the package API).
import { configSchema, type CostDataset } from '@finops/core';
import { addDays, weekdayOf } from './dates.js';
import type { AnomalySettings } from './severity.js';

/** Default anomaly settings, with overrides. */
export function anomalySettings(overrides: Partial<AnomalySettings> = {}): AnomalySettings {
  return { ...configSchema.parse({}).anomalyDetection, ...overrides };
}

/** A seeded uniform [0, 1) generator (mulberry32): the same seed gives the same noise in every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ShapeOptions {
  /** Weekday cost, USD. */
  base: number;
  /** Saturday and Sunday multiplier. */
  weekendFactor?: number;
  /** Uniform noise of ± this fraction. */
  noise?: number;
  seed?: number;
  /** Growth per day as a fraction of `base` (linear). */
  trendPerDay?: number;
}

/** `days` daily costs from `start`: weekday base, weekend dip, linear trend, seeded noise. */
export function shapedSeries(start: string, days: number, { base, weekendFactor = 1, noise = 0, seed = 1, trendPerDay = 0 }: ShapeOptions): number[] {
  const random = seeded(seed);
  return Array.from({ length: days }, (_, i) => {
    const weekday = weekdayOf(addDays(start, i));
    const weekly = weekday === 0 || weekday === 6 ? weekendFactor : 1;
    return base * (1 + trendPerDay * i) * weekly * (1 + noise * (2 * random() - 1));
  });
}

/** Adds `extra` USD per day to `values` on days [from, to) (indexes). */
export function withExtra(values: readonly number[], from: number, to: number, extra: number): number[] {
  return values.map((v, i) => (i >= from && i < to ? v + extra : v));
}

export interface SyntheticCell {
  service: string;
  region: string;
  accountId: string;
  values: number[];
}

/**
 * A CostDataset from breakdown cells: the total, service, region and account series are their sums, as Cost
 * Explorer's would be. Extra series (tags, or a series without breakdown) can be given as they are.
 */
export function datasetFromCells(start: string, cells: readonly SyntheticCell[], extraSeries: Record<string, number[]> = {}): CostDataset {
  const days = Math.max(0, ...cells.map((c) => c.values.length), ...Object.values(extraSeries).map((v) => v.length));
  const sums = new Map<string, number[]>();
  const add = (key: string, values: readonly number[]) => {
    const sum = sums.get(key) ?? new Array<number>(days).fill(0);
    values.forEach((v, i) => (sum[i] += v));
    sums.set(key, sum);
  };
  for (const cell of cells) {
    add('total', cell.values);
    add(`service:${cell.service}`, cell.values);
    add(`region:${cell.region}`, cell.values);
    add(`account:${cell.accountId}`, cell.values);
  }
  for (const [key, values] of Object.entries(extraSeries)) sums.set(key, [...values]);
  return {
    fetchedAt: `${addDays(start, days)}T06:00:00.000Z`,
    start,
    end: addDays(start, days),
    metric: 'NetUnblendedCost',
    series: Object.fromEntries([...sums].map(([key, values]) => [key, values.map((amountUsd, i) => ({ date: addDays(start, i), amountUsd }))])),
    breakdown: cells.flatMap((cell) => cell.values.map((amountUsd, i) => ({ date: addDays(start, i), service: cell.service, region: cell.region, accountId: cell.accountId, amountUsd }))),
    cached: false,
  };
}

/** A dataset holding only a total series (no breakdown). */
export function totalOnly(start: string, values: readonly number[]): CostDataset {
  return datasetFromCells(start, [], { total: [...values] });
}

/** The same dataset cut to its first `days` days, as an evaluation on an earlier day would have seen it. */
export function truncateDataset(dataset: CostDataset, days: number): CostDataset {
  const end = addDays(dataset.start, days);
  return {
    ...dataset,
    end,
    series: Object.fromEntries(Object.entries(dataset.series).map(([key, points]) => [key, points.filter((p) => p.date < end)])),
    breakdown: dataset.breakdown.filter((row) => row.date < end),
  };
}
