// Reads the cost trend, anomalies and budgets of a report for the charts and tables, each number with its JSON path,
// so the page can say where every figure comes from. Reports of older scans lack these sections: the readers then
// return nothing and the page says so.
import type { ReportFields } from '../report-digest.js';

/** A number shown on the page and where it is in report.json (`budgets[0].amountUsd`). */
export interface Sourced {
  value: number;
  path: string;
}

export interface CostPoint {
  date: string;
  amountUsd: number;
  path: string;
}

export interface AnomalyView {
  index: number;
  /** First day of the anomaly. */
  date: string;
  /** Latest anomalous day (the same as `date` for a one-day anomaly). */
  endDate: string;
  label: string;
  severity: string;
  status: string;
  impact: Sourced;
  actual: Sourced;
  expected: Sourced;
}

export interface BudgetView {
  index: number;
  id: string;
  name: string;
  amount: Sourced;
  actual: Sourced;
  forecast?: Sourced;
  /** First and last day (inclusive) of the budget's current period. */
  periodStart: string;
  periodEnd: string;
  /** Spend per day in the period so far. */
  daily: CostPoint[];
  /** `exceeded` (actual ≥ 100%), `at-risk` (forecast ≥ 100%) or `ok`. */
  status: 'exceeded' | 'at-risk' | 'ok';
}

const DAY_MS = 86_400_000;
const previousDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/** The account's total daily cost (`costs.daily`); empty when the scan read no cost data. */
export function readCostTrend(report: ReportFields): CostPoint[] {
  return (report.costs?.daily ?? []).map((d, i) => ({ date: d.date, amountUsd: d.usd, path: `costs.daily[${i}].usd` }));
}

/** Anomalies in date order, each with its index in report.json. */
export function readAnomalies(report: ReportFields): AnomalyView[] {
  return report.anomalies
    .map((a, index) => {
      const path = `anomalies[${index}]`;
      return {
        index,
        date: a.startDate,
        endDate: a.latestDate,
        label: a.series,
        severity: a.severity,
        status: a.status,
        impact: { value: a.impactUsdToDate, path: `${path}.impactUsdToDate` },
        actual: { value: a.actualUsdPerDay, path: `${path}.actualUsdPerDay` },
        expected: { value: a.baselineUsdPerDay, path: `${path}.baselineUsdPerDay` },
      };
    })
    .sort((a, b) => a.date.localeCompare(b.date) || a.index - b.index);
}

/** Budgets with an actual spend (a budget whose scope has no cost data yet is listed, not charted). */
export function readBudgets(report: ReportFields): BudgetView[] {
  const views: BudgetView[] = [];
  report.budgets.forEach((b, index) => {
    if (b.actualUsd === null) return;
    const path = `budgets[${index}]`;
    const crossed = (list: number[]) => list.some((p) => p >= 100);
    views.push({
      index,
      id: b.id,
      name: b.name ?? b.id,
      amount: { value: b.amountUsd, path: `${path}.amountUsd` },
      actual: { value: b.actualUsd, path: `${path}.actualUsd` },
      forecast: b.forecastUsd === null ? undefined : { value: b.forecastUsd, path: `${path}.forecastUsd` },
      periodStart: b.periodStart,
      // periodEnd is exclusive in the contract: the chart ends on the period's last day.
      periodEnd: previousDay(b.periodEnd),
      daily: b.daily.map((d, i) => ({ date: d.date, amountUsd: d.amountUsd, path: `${path}.daily[${i}].amountUsd` })),
      status: crossed(b.thresholdsCrossed.actual) ? 'exceeded' : crossed(b.thresholdsCrossed.forecast) ? 'at-risk' : 'ok',
    });
  });
  return views;
}
