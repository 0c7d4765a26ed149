// Budget periods: calendar months and quarters in UTC, as AWS Budgets counts them.
import { addDays, dayOf } from '@finops/anomalies';

export type BudgetPeriodKind = 'monthly' | 'quarterly';

export interface BudgetPeriod {
  kind: BudgetPeriodKind;
  /** First day (inclusive) and the day after the last (exclusive), YYYY-MM-DD. */
  start: string;
  end: string;
  /** `2026-11` or `2026-Q4`. */
  label: string;
}

/** The calendar month or quarter (UTC) that holds `day`. */
export function budgetPeriodOf(kind: BudgetPeriodKind, day: string): BudgetPeriod {
  const [year, month] = day.split('-').map(Number);
  if (kind === 'monthly') {
    return {
      kind,
      start: dayOf(Date.UTC(year, month - 1, 1)),
      end: dayOf(Date.UTC(year, month, 1)),
      label: `${year}-${String(month).padStart(2, '0')}`,
    };
  }
  const quarter = Math.floor((month - 1) / 3);
  return {
    kind,
    start: dayOf(Date.UTC(year, quarter * 3, 1)),
    end: dayOf(Date.UTC(year, quarter * 3 + 3, 1)),
    label: `${year}-Q${quarter + 1}`,
  };
}

/** The period before `period`. */
export function previousPeriod(period: BudgetPeriod): BudgetPeriod {
  return budgetPeriodOf(period.kind, addDays(period.start, -1));
}
