// Which budget thresholds raise a `budget-threshold` alert now: each threshold once per period, on actual and on
// forecast, and one alert per budget and evaluation naming the highest threshold newly crossed.
import { usd, type InsightAlert, type Severity } from '@finops/anomalies';
import type { BudgetStatus } from './evaluate-budgets.js';

export type ThresholdBasis = 'actual' | 'forecast';

/** `budget-threshold:<budget>:<period start>:<actual|forecast>:<percent>` — one per threshold and period. */
export function budgetThresholdKey(budgetId: string, periodStart: string, basis: ThresholdBasis, percent: number): string {
  return `budget-threshold:${budgetId}:${periodStart}:${basis}:${percent}`;
}

export interface PlannedBudgetAlert {
  alert: InsightAlert;
  /**
   * Every threshold key this alert stands for (its own key first): thresholds crossed together (50% and 80% in
   * one jump) alert once, with the highest, and are all marked as raised.
   */
  keys: string[];
}

function severityOf(basis: ThresholdBasis, percent: number): Severity {
  if (basis === 'actual') return percent >= 100 ? 'critical' : percent >= 80 ? 'high' : 'medium';
  return percent >= 100 ? 'high' : 'medium';
}

/**
 * Plans the alerts of one evaluation. `raised` holds the threshold keys already alerted (the alert log). A
 * forecast threshold that actual spend has already crossed is not alerted again as a forecast.
 */
export function planBudgetAlerts(statuses: readonly BudgetStatus[], raised: ReadonlySet<string>, now: Date): PlannedBudgetAlert[] {
  const planned: PlannedBudgetAlert[] = [];
  for (const status of statuses) {
    if (status.actualUsd === null) continue;
    const newActual = status.thresholdsCrossed.actual.filter((p) => !raised.has(budgetThresholdKey(status.id, status.periodStart, 'actual', p)));
    if (newActual.length > 0) planned.push(budgetAlert(status, 'actual', newActual, now));
    const reached = Math.max(0, ...status.thresholdsCrossed.actual);
    const newForecast = status.thresholdsCrossed.forecast.filter(
      (p) => p > reached && !raised.has(budgetThresholdKey(status.id, status.periodStart, 'forecast', p)),
    );
    if (newForecast.length > 0) planned.push(budgetAlert(status, 'forecast', newForecast, now));
  }
  return planned;
}

function budgetAlert(status: BudgetStatus, basis: ThresholdBasis, crossed: readonly number[], now: Date): PlannedBudgetAlert {
  const percent = Math.max(...crossed);
  const keys = [percent, ...crossed.filter((p) => p !== percent)].map((p) => budgetThresholdKey(status.id, status.periodStart, basis, p));
  const name = status.name ?? status.id;
  const f = status.forecast;
  const actualText = `actual ${usd(status.actualUsd ?? 0)} is ${status.actualPercent}% of ${usd(status.amountUsd)}`;
  const forecastText =
    f.usd === null
      ? 'no forecast'
      : `forecast ${usd(f.usd)} (${f.percent}%) by ${status.periodEnd} from ${f.source === 'cost-explorer' ? 'Cost Explorer' : 'the platform'}` +
        (f.source === 'cost-explorer' && f.platformUsd !== null ? `; the platform forecasts ${usd(f.platformUsd)}` : '');
  const approval = status.approvalRequired
    ? ` Remediation in this budget's scope now needs an operator's approval (at or above ${status.requireApprovalAbovePercent}%).`
    : '';
  return {
    keys,
    alert: {
      event: 'budget-threshold',
      dedupKey: keys[0],
      severity: severityOf(basis, percent),
      title: `Budget ${name} ${status.periodLabel}: ${basis === 'actual' ? 'spend' : 'forecast'} reached ${percent}% (${usd(basis === 'actual' ? (status.actualUsd ?? 0) : (f.usd ?? 0))} of ${usd(status.amountUsd)})`,
      message:
        `Budget ${name} (${status.scopeLabel}, ${status.period} ${status.periodLabel}): ${actualText}, ${forecastText}. ` +
        `${basis === 'actual' ? 'Actual spend' : 'The forecast'} crossed ${crossed.map((p) => `${p}%`).join(', ')}.${approval}` +
        (status.dataNote ? ` Note: ${status.dataNote}.` : ''),
      raisedAt: now.toISOString(),
      details: {
        budgetId: status.id,
        budgetName: name,
        scope: status.scopeLabel,
        period: status.periodLabel,
        periodStart: status.periodStart,
        periodEnd: status.periodEnd,
        basis,
        thresholdPercent: percent,
        amountUsd: status.amountUsd,
        actualUsd: status.actualUsd,
        actualPercent: status.actualPercent,
        forecastUsd: f.usd,
        forecastPercent: f.percent,
        forecastSource: f.source,
        costExplorerForecastUsd: f.costExplorerUsd,
        platformForecastUsd: f.platformUsd,
        approvalRequired: status.approvalRequired,
      },
    },
  };
}
