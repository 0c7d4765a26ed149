// Approval while over budget: one request per period, decisions kept, scope matching for remediation.
import { describe, expect, it } from 'vitest';
import { approvalsHolding, budgetsRequiringApproval, decideApproval, inBudgetScope, planApprovals } from './budget-approvals.js';
import type { BudgetStatus } from './evaluate-budgets.js';

const NOW = new Date('2026-11-16T08:00:00Z');

function status(actualPercent: number, overrides: Partial<BudgetStatus> = {}): BudgetStatus {
  return {
    id: 'team-a',
    children: [],
    scope: { accounts: ['111111111111'], tags: { team: ['a'] } },
    scopeLabel: 'accounts 111111111111 · tag team=a',
    period: 'monthly',
    periodLabel: '2026-11',
    periodStart: '2026-11-01',
    periodEnd: '2026-12-01',
    amountUsd: 1000,
    dataThrough: '2026-11-15',
    actualUsd: actualPercent * 10,
    actualPercent,
    forecast: { source: 'platform', usd: 2000, percent: 200, costExplorerUsd: null, platformUsd: 2000, differencePercent: null },
    thresholdsPercent: { actual: [50, 80, 100], forecast: [50, 80, 100] },
    thresholdsCrossed: { actual: [], forecast: [] },
    requireApprovalAbovePercent: 90,
    approvalRequired: actualPercent >= 90,
    daily: [],
    ...overrides,
  };
}

describe('planApprovals', () => {
  it('opens one request when spend reaches the threshold, and keeps it (and its decision) for the period', () => {
    expect(planApprovals([status(80)], [], NOW)).toEqual({ approvals: [], opened: [] });
    const first = planApprovals([status(95)], [], NOW);
    expect(first.opened).toHaveLength(1);
    expect(first.opened[0]).toMatchObject({ id: 'approval:team-a:2026-11-01', status: 'pending', active: true, thresholdPercent: 90, openedAtPercent: 95 });
    expect(budgetsRequiringApproval(first.approvals, NOW).map((a) => a.id)).toEqual(['approval:team-a:2026-11-01']);

    const again = planApprovals([status(97)], first.approvals, NOW);
    expect(again.opened).toEqual([]);
    expect(again.approvals[0]).toMatchObject({ actualPercent: 97, openedAtPercent: 95 });

    const approved = [decideApproval(again.approvals[0], 'approved', 'ops@example.com', NOW, 'cleanup agreed')];
    expect(budgetsRequiringApproval(approved, NOW)).toEqual([]);
    expect(planApprovals([status(99)], approved, NOW).approvals[0]).toMatchObject({ status: 'approved', decidedBy: 'ops@example.com' });
    const rejected = [decideApproval(again.approvals[0], 'rejected', 'ops@example.com', NOW)];
    expect(budgetsRequiringApproval(rejected, NOW)).toHaveLength(1);
  });

  it('releases the hold when spend falls back, and when the period ends', () => {
    const { approvals } = planApprovals([status(95)], [], NOW);
    const refunded = planApprovals([status(60)], approvals, NOW).approvals;
    expect(refunded[0].active).toBe(false);
    expect(budgetsRequiringApproval(refunded, NOW)).toEqual([]);
    const december = new Date('2026-12-02T08:00:00Z');
    const next = planApprovals([status(5, { periodLabel: '2026-12', periodStart: '2026-12-01', periodEnd: '2027-01-01' })], approvals, december);
    expect(next.approvals).toHaveLength(1);
    expect(next.approvals[0]).toMatchObject({ id: 'approval:team-a:2026-11-01', active: false });
    expect(budgetsRequiringApproval(approvals, december)).toEqual([]);
  });
});

describe('approvalsHolding', () => {
  const { approvals } = planApprovals([status(95)], [], NOW);

  it('holds resources inside the budget scope only', () => {
    expect(approvalsHolding({ accountId: '111111111111', kind: 'ec2-instance', tags: { team: 'a' } }, approvals, NOW)).toHaveLength(1);
    expect(approvalsHolding({ accountId: '111111111111', kind: 'ec2-instance', tags: { team: 'b' } }, approvals, NOW)).toEqual([]);
    expect(approvalsHolding({ accountId: '222222222222', kind: 'ec2-instance', tags: { team: 'a' } }, approvals, NOW)).toEqual([]);
  });

  it('matches services by the Cost Explorer service a resource kind is billed under', () => {
    const scope = { services: ['EC2 - Other'] };
    expect(inBudgetScope(scope, { accountId: '1', kind: 'ebs-volume', tags: {} })).toBe(true);
    expect(inBudgetScope(scope, { accountId: '1', kind: 'ec2-instance', tags: {} })).toBe(false);
  });
});
