// Daily cost of one service by usage type, for the root cause of a cost anomaly (what inside the service grew).
import { GetCostAndUsageCommand, type CostExplorerClient, type Expression } from '@aws-sdk/client-cost-explorer';
import type { DailyCost, UsageTypeCosts } from '@finops/core';
import type { AwsScope } from '../types.js';
import { amountOf, chooseMetric, type CostRow } from './aggregate-costs.js';
import { costExplorerError } from './cost-explorer-error.js';
import { checkCostPeriod, daysOf } from './cost-window.js';

export interface FetchUsageTypeCostsOptions {
  /** A Cost Explorer SERVICE value, e.g. `Amazon Elastic Compute Cloud - Compute`. */
  service: string;
  region?: string;
  accountId?: string;
  /** YYYY-MM-DD, inclusive. */
  start: string;
  /** YYYY-MM-DD, exclusive. */
  end: string;
  /** For checking `start` against what Cost Explorer keeps. Default: now. */
  now?: Date;
}

/** One GetCostAndUsage request set (GroupBy USAGE_TYPE, filtered to the service and the optional region and account). */
export async function fetchUsageTypeCostSeries(
  ce: CostExplorerClient,
  scope: AwsScope,
  options: FetchUsageTypeCostsOptions,
): Promise<Omit<UsageTypeCosts, 'cached'>> {
  const { service, region, accountId, start, end } = options;
  const now = options.now ?? new Date();
  checkCostPeriod(start, end, now);
  const parts: Expression[] = [{ Dimensions: { Key: 'SERVICE', Values: [service] } }];
  if (region) parts.push({ Dimensions: { Key: 'REGION', Values: [region] } });
  if (accountId) parts.push({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [accountId] } });
  const filter: Expression = parts.length === 1 ? (parts[0] as Expression) : { And: parts };
  const rows: (CostRow & { usageType: string })[] = [];
  let token: string | undefined;
  do {
    try {
      const page = await ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: start, End: end },
          Granularity: 'DAILY',
          Metrics: ['NetUnblendedCost', 'UnblendedCost'],
          GroupBy: [{ Type: 'DIMENSION', Key: 'USAGE_TYPE' }],
          Filter: filter,
          ...(token ? { NextPageToken: token } : {}),
        }),
      );
      for (const result of page.ResultsByTime ?? []) {
        const date = result.TimePeriod?.Start;
        if (!date) continue;
        for (const group of result.Groups ?? []) {
          const net = Number(group.Metrics?.NetUnblendedCost?.Amount);
          const unblended = Number(group.Metrics?.UnblendedCost?.Amount);
          rows.push({
            date,
            purpose: 'dimensions',
            usageType: group.Keys?.[0] ?? '',
            ...(Number.isFinite(net) ? { net } : {}),
            ...(Number.isFinite(unblended) ? { unblended } : {}),
          });
        }
      }
      token = page.NextPageToken || undefined;
    } catch (error) {
      throw costExplorerError(error, scope, 'ce:GetCostAndUsage');
    }
  } while (token);

  const metric = chooseMetric(rows);
  const days = daysOf(start, end);
  const index = new Map(days.map((day, i) => [day, i]));
  const series: Record<string, DailyCost[]> = {};
  for (const row of rows) {
    const i = index.get(row.date);
    if (i === undefined) continue;
    series[row.usageType] ??= days.map((date) => ({ date, amountUsd: 0 }));
    (series[row.usageType] as DailyCost[])[i]!.amountUsd += amountOf(row, metric);
  }
  const sorted = Object.fromEntries(Object.entries(series).sort(([a], [b]) => a.localeCompare(b)));
  return {
    fetchedAt: now.toISOString(),
    start,
    end,
    metric,
    service,
    ...(region ? { region } : {}),
    ...(accountId ? { accountId } : {}),
    series: sorted,
  };
}
