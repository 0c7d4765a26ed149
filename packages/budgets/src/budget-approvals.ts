// Approval while over budget: a budget at or above requireApprovalAbovePercent holds remediation in its scope for
// an operator's decision, and opens one approval request per period.
import { dayOf } from '@finops/anomalies';
import type { ResourceKind, Tags } from '@finops/core';
import type { BudgetScope } from './budget-scope.js';
import type { BudgetStatus } from './evaluate-budgets.js';

export type ApprovalDecision = 'approved' | 'rejected';

export interface BudgetApproval {
  /** `approval:<budget>:<period start>`: one request per budget and period. */
  id: string;
  budgetId: string;
  budgetName?: string;
  scope: BudgetScope;
  periodLabel: string;
  periodStart: string;
  periodEnd: string;
  /** requireApprovalAbovePercent, and actual spend (percent of the amount) when the request opened and now. */
  thresholdPercent: number;
  openedAtPercent: number;
  actualPercent: number;
  /** Actual spend is still at or above the threshold (it can fall back with credits or refunds). */
  active: boolean;
  status: 'pending' | ApprovalDecision;
  openedAt: string;
  updatedAt: string;
  decidedAt?: string;
  decidedBy?: string;
  note?: string;
}

/** Requests whose period ended more than this many days ago are dropped from the state. */
export const APPROVAL_RETENTION_DAYS = 90;

export function approvalId(budgetId: string, periodStart: string): string {
  return `approval:${budgetId}:${periodStart}`;
}

/**
 * The approval state after an evaluation: a budget that reached its threshold this period opens a pending request
 * (listed in `opened`); an existing request keeps its decision and follows the spend (`active`); requests of ended
 * periods stay until APPROVAL_RETENTION_DAYS have passed.
 */
export function planApprovals(
  statuses: readonly BudgetStatus[],
  previous: readonly BudgetApproval[],
  now: Date,
): { approvals: BudgetApproval[]; opened: BudgetApproval[] } {
  const at = now.toISOString();
  const byId = new Map(previous.map((a) => [a.id, a]));
  const opened: BudgetApproval[] = [];
  for (const s of statuses) {
    if (s.requireApprovalAbovePercent === undefined || s.actualPercent === null) continue;
    const id = approvalId(s.id, s.periodStart);
    const existing = byId.get(id);
    if (existing) {
      byId.set(id, { ...existing, actualPercent: s.actualPercent, active: s.approvalRequired, updatedAt: at });
    } else if (s.approvalRequired) {
      const request: BudgetApproval = {
        id,
        budgetId: s.id,
        ...(s.name ? { budgetName: s.name } : {}),
        scope: s.scope,
        periodLabel: s.periodLabel,
        periodStart: s.periodStart,
        periodEnd: s.periodEnd,
        thresholdPercent: s.requireApprovalAbovePercent,
        openedAtPercent: s.actualPercent,
        actualPercent: s.actualPercent,
        active: true,
        status: 'pending',
        openedAt: at,
        updatedAt: at,
      };
      byId.set(id, request);
      opened.push(request);
    }
  }
  const today = dayOf(now);
  const horizon = dayOf(now.getTime() - APPROVAL_RETENTION_DAYS * 86_400_000);
  const approvals = [...byId.values()]
    .filter((a) => a.periodEnd > horizon)
    .map((a) => (a.periodEnd <= today && a.active ? { ...a, active: false, updatedAt: at } : a))
    .sort((a, b) => a.id.localeCompare(b.id));
  return { approvals, opened };
}

/** An operator's decision on a request. Deciding again replaces the earlier decision. */
export function decideApproval(approval: BudgetApproval, decision: ApprovalDecision, by: string, now: Date, note?: string): BudgetApproval {
  const at = now.toISOString();
  return { ...approval, status: decision, decidedAt: at, decidedBy: by, updatedAt: at, ...(note ? { note } : {}) };
}

/**
 * Budgets that hold remediation for an operator now: over their threshold in the current period, and not approved
 * (pending or rejected). The remediation stage asks this before acting on a resource in their scope.
 *
 * @example
 * const holding = budgetsRequiringApproval(await loadBudgetApprovals(redis, prefix), new Date());
 */
export function budgetsRequiringApproval(approvals: readonly BudgetApproval[], now: Date = new Date()): BudgetApproval[] {
  const today = dayOf(now);
  return approvals.filter((a) => a.active && a.status !== 'approved' && a.periodStart <= today && today < a.periodEnd);
}

/**
 * Cost Explorer SERVICE under which each resource kind is billed, so a resource can be matched with a budget's
 * services. Elastic IPs bill as public IPv4 addresses (VPC); NAT gateways, EBS volumes and snapshots as EC2 - Other.
 */
export const CE_SERVICE_OF_KIND: Record<ResourceKind, string> = {
  'ec2-instance': 'Amazon Elastic Compute Cloud - Compute',
  'ebs-volume': 'EC2 - Other',
  'ebs-snapshot': 'EC2 - Other',
  'elastic-ip': 'Amazon Virtual Private Cloud',
  'nat-gateway': 'EC2 - Other',
  'rds-instance': 'Amazon Relational Database Service',
  'rds-snapshot': 'Amazon Relational Database Service',
  'lambda-function': 'AWS Lambda',
  'load-balancer': 'Amazon Elastic Load Balancing',
};

/** Whether a resource falls in a budget's scope (every dimension the scope names must match). */
export function inBudgetScope(scope: BudgetScope, target: { accountId: string; kind: ResourceKind; tags: Tags }): boolean {
  if (scope.accounts?.length && !scope.accounts.includes(target.accountId)) return false;
  if (scope.services?.length && !scope.services.includes(CE_SERVICE_OF_KIND[target.kind])) return false;
  return Object.entries(scope.tags ?? {}).every(([key, values]) => key in target.tags && values.includes(target.tags[key]));
}

/** The budgets holding remediation of this resource for approval (empty: none). */
export function approvalsHolding(target: { accountId: string; kind: ResourceKind; tags: Tags }, approvals: readonly BudgetApproval[], now: Date = new Date()): BudgetApproval[] {
  return budgetsRequiringApproval(approvals, now).filter((a) => inBudgetScope(a.scope, target));
}
