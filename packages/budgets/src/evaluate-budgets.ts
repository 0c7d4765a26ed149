// Budget status from cost data: actual to date, Cost Explorer's and the platform's forecasts, thresholds crossed.
import { dayAxis, dayOf, daysBetween } from '@finops/anomalies';
import { roundCents, type CostDataset, type DailyCost } from '@finops/core';
import { budgetPeriodOf, type BudgetPeriodKind } from './budget-period.js';
import { describeScope, scopeSeries, type BudgetConfig, type BudgetScope, type ScopeSeries } from './budget-scope.js';
import { projectDays, weekdayProfile } from './platform-forecast.js';

/** A cross-check gap above this (platform vs Cost Explorer, percent) is pointed out in the forecast's note. */
export const FORECAST_DISAGREEMENT_PERCENT = 20;

export interface BudgetForecast {
  /** What thresholds are judged on: Cost Explorer's forecast when there is one for this scope and period, else the platform's. */
  source: 'cost-explorer' | 'platform' | null;
  usd: number | null;
  percent: number | null;
  /** Cost Explorer GetCostForecast: actual to date plus its forecast for the rest of the period. */
  costExplorerUsd: number | null;
  /** The platform's: actual to date plus each remaining day at its weekday's recent median. */
  platformUsd: number | null;
  /** (platform − Cost Explorer) / Cost Explorer, percent, when both exist. */
  differencePercent: number | null;
  note?: string;
}

export interface BudgetStatus {
  id: string;
  name?: string;
  parent?: string;
  children: string[];
  scope: BudgetScope;
  /** `organization`, or the accounts, services and tag values it covers. */
  scopeLabel: string;
  period: BudgetPeriodKind;
  /** `2026-11` or `2026-Q4`. */
  periodLabel: string;
  /** First day and the day after the last day of the period. */
  periodStart: string;
  periodEnd: string;
  amountUsd: number;
  /** Last day of cost data counted in the actual; null when the period has none yet. */
  dataThrough: string | null;
  actualUsd: number | null;
  actualPercent: number | null;
  forecast: BudgetForecast;
  thresholdsPercent: { actual: number[]; forecast: number[] };
  thresholdsCrossed: { actual: number[]; forecast: number[] };
  requireApprovalAbovePercent?: number;
  /** Actual spend is at or above requireApprovalAbovePercent. */
  approvalRequired: boolean;
  /** The scope's cost per day in the period so far, oldest first (empty without data). */
  daily: DailyCost[];
  /** Why numbers are missing or partial ("no data for tag scope …"). */
  dataNote?: string;
}

const percentOf = (usd: number, amount: number) => Math.round((usd / amount) * 1000) / 10;

/**
 * The status of every budget in its current period (the calendar month or quarter, UTC, that holds `now`).
 * Without a dataset (costs disabled, or Cost Explorer failed) every budget is listed with no numbers and
 * `noDataReason` as its note.
 *
 * @example
 * const statuses = evaluateBudgets({ budgets: config.budgets.items, dataset, now: new Date() });
 */
export function evaluateBudgets(input: {
  budgets: readonly BudgetConfig[];
  dataset: CostDataset | undefined;
  now: Date;
  noDataReason?: string;
}): BudgetStatus[] {
  const { budgets, now } = input;
  const data = input.dataset ? { dataset: input.dataset, axis: dayAxis(input.dataset) } : undefined;
  const today = dayOf(now);
  return budgets.map((budget) => {
    const period = budgetPeriodOf(budget.period, today);
    const actualThresholds = [...budget.thresholdsPercent].sort((a, b) => a - b);
    const forecastThresholds = [...(budget.forecastThresholdsPercent ?? budget.thresholdsPercent)].sort((a, b) => a - b);
    const series: ScopeSeries = data
      ? scopeSeries(budget.scope, data.dataset, data.axis)
      : { values: undefined, note: `no cost data: ${input.noDataReason ?? 'none was given'}` };
    const base = {
      id: budget.id,
      ...(budget.name ? { name: budget.name } : {}),
      ...(budget.parent ? { parent: budget.parent } : {}),
      children: budgets.filter((b) => b.parent === budget.id).map((b) => b.id),
      scope: budget.scope,
      scopeLabel: describeScope(budget.scope),
      period: budget.period,
      periodLabel: period.label,
      periodStart: period.start,
      periodEnd: period.end,
      amountUsd: budget.amountUsd,
      thresholdsPercent: { actual: actualThresholds, forecast: forecastThresholds },
      ...(budget.requireApprovalAbovePercent !== undefined ? { requireApprovalAbovePercent: budget.requireApprovalAbovePercent } : {}),
    };
    if (series.values === undefined || !data) {
      return {
        ...base,
        dataThrough: null,
        actualUsd: null,
        actualPercent: null,
        forecast: { source: null, usd: null, percent: null, costExplorerUsd: null, platformUsd: null, differencePercent: null },
        thresholdsCrossed: { actual: [], forecast: [] },
        approvalRequired: false,
        daily: [],
        dataNote: series.note,
      };
    }
    const { dataset, axis } = data;
    const values = series.values;
    const from = Math.max(0, daysBetween(axis.start, period.start));
    const to = Math.min(values.length, daysBetween(axis.start, period.end));
    const actualUsd = roundCents(values.slice(from, Math.max(from, to)).reduce((sum, v) => sum + v, 0));
    const dataThrough = to > from ? axis.days[to - 1] : null;
    const notes = series.note ? [series.note] : [];
    if (axis.start > period.start) notes.push(`cost data starts ${axis.start}, after the period start: the actual is a lower bound`);

    const remainingFrom = axis.end > period.start ? axis.end : period.start;
    const profile = weekdayProfile(values, axis);
    const platformUsd = profile && remainingFrom < period.end ? roundCents(actualUsd + projectDays(profile, remainingFrom, period.end)) : profile ? actualUsd : null;
    const ce = costExplorerForecast(budget.scope, dataset, remainingFrom, period.end, actualUsd);
    const primary = ce.usd ?? platformUsd;
    const differencePercent = ce.usd !== null && platformUsd !== null && ce.usd > 0 ? Math.round(((platformUsd - ce.usd) / ce.usd) * 1000) / 10 : null;
    const forecastNotes = [ce.note, differencePercent !== null && Math.abs(differencePercent) > FORECAST_DISAGREEMENT_PERCENT ? `the platform's forecast differs from Cost Explorer's by ${differencePercent}%` : undefined].filter(Boolean);
    const actualPercent = percentOf(actualUsd, budget.amountUsd);
    const forecastPercent = primary === null ? null : percentOf(primary, budget.amountUsd);
    return {
      ...base,
      dataThrough,
      actualUsd,
      actualPercent,
      forecast: {
        source: ce.usd !== null ? 'cost-explorer' : platformUsd !== null ? 'platform' : null,
        usd: primary,
        percent: forecastPercent,
        costExplorerUsd: ce.usd,
        platformUsd,
        differencePercent,
        ...(forecastNotes.length > 0 ? { note: forecastNotes.join('; ') } : {}),
      },
      thresholdsCrossed: {
        actual: actualThresholds.filter((p) => actualPercent >= p),
        forecast: forecastPercent === null ? [] : forecastThresholds.filter((p) => forecastPercent >= p),
      },
      approvalRequired: budget.requireApprovalAbovePercent !== undefined && actualPercent >= budget.requireApprovalAbovePercent,
      daily: values.slice(from, Math.max(from, to)).map((amountUsd, i) => ({ date: axis.days[from + i], amountUsd: roundCents(amountUsd) })),
      ...(notes.length > 0 ? { dataNote: notes.join('; ') } : {}),
    };
  });
}

/**
 * Cost Explorer's forecast for a budget: the dataset carries one, for every scanned account together, from the
 * end of the data to the end of the month. It fits an organization-scope budget whose period ends with that month.
 */
function costExplorerForecast(scope: BudgetScope, dataset: CostDataset, from: string, to: string, actualUsd: number): { usd: number | null; note?: string } {
  const scoped = (scope.accounts?.length ?? 0) > 0 || (scope.services?.length ?? 0) > 0 || Object.keys(scope.tags ?? {}).length > 0;
  if (scoped) return { usd: null, note: 'Cost Explorer\'s forecast is fetched for the whole organization only' };
  if (from >= to) return { usd: actualUsd };
  const f = dataset.forecast;
  if (!f) return { usd: null, note: 'Cost Explorer gave no forecast (too little history, or ce:GetCostForecast not allowed)' };
  if (f.start !== from || f.end !== to) return { usd: null, note: `Cost Explorer's forecast covers ${f.start} to ${f.end}, not the rest of this period (${from} to ${to})` };
  return { usd: roundCents(actualUsd + f.amountUsd) };
}
