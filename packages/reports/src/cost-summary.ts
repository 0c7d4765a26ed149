// The costs section of report.json: a summary of the scan's Cost Explorer data (totals and top groups), not the series.
import { roundCents, type CostDataset, type DailyCost } from '@finops/core';
import { z } from 'zod';

const usd = z.number().nonnegative();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const costGroup = z.strictObject({ name: z.string(), usd });

export const costSummarySchema = z.strictObject({
  /** False when the scan has no cost data: costs disabled, Cost Explorer not enabled or not permitted (see errors). */
  available: z.boolean(),
  /** Why there is no cost data, when `available` is false. */
  reason: z.string().optional(),
  /** First day (inclusive) and last day (exclusive) of the data. */
  start: day.optional(),
  end: day.optional(),
  metric: z.enum(['NetUnblendedCost', 'UnblendedCost']).optional(),
  totalUsd: usd,
  /** The account's total cost per day over the period, oldest first: the HTML report's daily trend. */
  daily: z.array(z.strictObject({ date: day, usd })).optional(),
  /** The largest services over the period (`costs.topN`), largest first. */
  byService: z.array(costGroup),
  byRegion: z.array(costGroup),
  byAccount: z.array(costGroup),
  /** Cost Explorer's forecast from the scan's day to the end of the month. */
  forecast: z
    .strictObject({ start: day, end: day, amountUsd: usd, lowerUsd: usd.optional(), upperUsd: usd.optional() })
    .optional(),
  /** Whether the data came from the shared cache (no Cost Explorer request made by this scan). */
  cached: z.boolean(),
});

export type CostSummary = z.infer<typeof costSummarySchema>;

const cents = (value: number) => Math.max(0, roundCents(value));
const sumOf = (days: readonly DailyCost[] | undefined) => (days ?? []).reduce((sum, d) => sum + d.amountUsd, 0);

/** Groups of one series prefix (`service:`), largest first, ties by name; at most `top`. */
function groups(dataset: CostDataset, prefix: string, top = Number.POSITIVE_INFINITY): CostSummary['byService'] {
  return Object.entries(dataset.series)
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, days]) => ({ name: key.slice(prefix.length), usd: cents(sumOf(days)) }))
    .sort((a, b) => b.usd - a.usd || a.name.localeCompare(b.name))
    .slice(0, top);
}

/**
 * The report's summary of a cost dataset, or `{ available: false, reason }` without one.
 *
 * @example summarizeCosts(dataset, { topN: 10 }).byService[0] // { name: 'Amazon Elastic Compute Cloud - Compute', usd: 1234.56 }
 */
export function summarizeCosts(dataset: CostDataset | undefined, options: { topN: number; unavailableReason?: string }): CostSummary {
  if (!dataset) {
    return {
      available: false,
      reason: options.unavailableReason ?? 'no cost data for this scan',
      totalUsd: 0,
      byService: [],
      byRegion: [],
      byAccount: [],
      cached: false,
    };
  }
  const forecast = dataset.forecast;
  return {
    available: true,
    start: dataset.start,
    end: dataset.end,
    metric: dataset.metric,
    totalUsd: cents(sumOf(dataset.series.total)),
    daily: [...(dataset.series.total ?? [])].sort((a, b) => a.date.localeCompare(b.date)).map((d) => ({ date: d.date, usd: cents(d.amountUsd) })),
    byService: groups(dataset, 'service:', options.topN),
    byRegion: groups(dataset, 'region:'),
    byAccount: groups(dataset, 'account:'),
    ...(forecast
      ? {
          forecast: {
            start: forecast.start,
            end: forecast.end,
            amountUsd: cents(forecast.amountUsd),
            ...(forecast.lowerUsd !== undefined ? { lowerUsd: cents(forecast.lowerUsd) } : {}),
            ...(forecast.upperUsd !== undefined ? { upperUsd: cents(forecast.upperUsd) } : {}),
          },
        }
      : {}),
    cached: dataset.cached,
  };
}
