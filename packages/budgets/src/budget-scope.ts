// A budget's scope as a daily cost series of the CostDataset — or the reason the data cannot say.
import { dayAxis, daysBetween, denseValues, type DayAxis } from '@finops/anomalies';
import type { Config, CostDataset } from '@finops/core';

export type BudgetConfig = Config['budgets']['items'][number];
export type BudgetScope = BudgetConfig['scope'];

export type ScopeSeries = { values: number[]; note?: string } | { values: undefined; note: string };

/** `organization`, or e.g. `accounts 111111111111 · services AWS Lambda · tag team=data|ml`. */
export function describeScope(scope: BudgetScope): string {
  const parts: string[] = [];
  if (scope.accounts?.length) parts.push(`accounts ${scope.accounts.join(', ')}`);
  if (scope.services?.length) parts.push(`services ${scope.services.join(', ')}`);
  for (const [key, values] of Object.entries(scope.tags ?? {})) parts.push(`tag ${key}=${values.join('|')}`);
  return parts.length > 0 ? parts.join(' · ') : 'organization';
}

function sumSeries(axis: DayAxis, dataset: CostDataset, keys: readonly string[]): number[] {
  const total = new Array<number>(axis.days.length).fill(0);
  for (const key of keys) denseValues(axis, dataset.series[key] ?? []).forEach((v, i) => (total[i] += v));
  return total;
}

/** Names of `wanted` that no series of the dataset has, e.g. a misspelt service. */
function missing(dataset: CostDataset, prefix: string, wanted: readonly string[]): string[] {
  return wanted.filter((value) => !(`${prefix}${value}` in dataset.series));
}

/**
 * The daily cost of a scope over the dataset's days. Accounts alone and services alone use their series; both
 * together use the (service, region, account) breakdown; one tag key uses its tag series. The dataset has no
 * tag × account or tag × service data and no tag series for keys it was not asked for: those scopes get no values
 * and a note saying why, rather than a made-up number.
 */
export function scopeSeries(scope: BudgetScope, dataset: CostDataset, axis: DayAxis = dayAxis(dataset)): ScopeSeries {
  const accounts = scope.accounts ?? [];
  const services = scope.services ?? [];
  const tagKeys = Object.keys(scope.tags ?? {});
  if (tagKeys.length > 0) {
    if (accounts.length > 0 || services.length > 0) {
      return { values: undefined, note: 'no data for tag scope combined with accounts or services: the cost data has tag series only as totals' };
    }
    if (tagKeys.length > 1) {
      return { values: undefined, note: `no data for a scope over several tag keys (${tagKeys.join(', ')}): the cost data cannot intersect tag series` };
    }
    const [key] = tagKeys;
    if (!Object.keys(dataset.series).some((k) => k.startsWith(`tag:${key}=`))) {
      return {
        values: undefined,
        note: `no data for tag scope "${key}": the cost data has no series for this tag key (add it to anomalyDetection.tagKeys and activate it as a cost allocation tag)`,
      };
    }
    return { values: sumSeries(axis, dataset, (scope.tags?.[key] ?? []).map((value) => `tag:${key}=${value}`)) };
  }
  if (accounts.length > 0 && services.length > 0) {
    const values = new Array<number>(axis.days.length).fill(0);
    for (const row of dataset.breakdown) {
      if (!accounts.includes(row.accountId) || !services.includes(row.service)) continue;
      const index = daysBetween(axis.start, row.date);
      if (index >= 0 && index < values.length) values[index] += row.amountUsd;
    }
    return withMissingNote(values, [...missing(dataset, 'account:', accounts), ...missing(dataset, 'service:', services)]);
  }
  if (accounts.length > 0) return withMissingNote(sumSeries(axis, dataset, accounts.map((a) => `account:${a}`)), missing(dataset, 'account:', accounts));
  if (services.length > 0) return withMissingNote(sumSeries(axis, dataset, services.map((s) => `service:${s}`)), missing(dataset, 'service:', services));
  if (!('total' in dataset.series)) return { values: undefined, note: 'no data: the cost data has no total series' };
  return { values: denseValues(axis, dataset.series.total) };
}

function withMissingNote(values: number[], absent: readonly string[]): ScopeSeries {
  return absent.length === 0
    ? { values }
    : { values, note: `no cost in the data for ${absent.join(', ')} (counted as $0; services are Cost Explorer SERVICE names)` };
}
