// @finops/budgets: hierarchical budgets over cost data — actuals, forecasts, threshold alerts once per period, approvals.
export { budgetPeriodOf, previousPeriod, type BudgetPeriod, type BudgetPeriodKind } from './budget-period.js';
export { describeScope, scopeSeries, type BudgetConfig, type BudgetScope, type ScopeSeries } from './budget-scope.js';
export { FORECAST_PROFILE_DAYS, projectDays, weekdayProfile } from './platform-forecast.js';
export { evaluateBudgets, FORECAST_DISAGREEMENT_PERCENT, type BudgetForecast, type BudgetStatus } from './evaluate-budgets.js';
export { budgetThresholdKey, planBudgetAlerts, type PlannedBudgetAlert, type ThresholdBasis } from './plan-budget-alerts.js';
export {
  approvalId,
  approvalsHolding,
  APPROVAL_RETENTION_DAYS,
  budgetsRequiringApproval,
  CE_SERVICE_OF_KIND,
  decideApproval,
  inBudgetScope,
  planApprovals,
  type ApprovalDecision,
  type BudgetApproval,
} from './budget-approvals.js';
