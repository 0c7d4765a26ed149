// Budgets over synthetic cost data: actual to date, both forecasts, thresholds once per period, tag-scope limits.
import { addDays, weekdayOf } from '@finops/anomalies';
import { configSchema, type CostDataset } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { budgetPeriodOf } from './budget-period.js';
import type { BudgetConfig } from './budget-scope.js';
import { evaluateBudgets } from './evaluate-budgets.js';
import { budgetThresholdKey, planBudgetAlerts } from './plan-budget-alerts.js';

const NOW = new Date('2026-11-16T08:00:00Z');
const EC2 = 'Amazon Elastic Compute Cloud - Compute';

/** Flat costs from `start` to 2026-11-16: account 111 EC2 $100/day, account 222 Lambda $50/day. */
function dataset(start = '2026-08-01', forecast: CostDataset['forecast'] | null = { start: '2026-11-16', end: '2026-12-01', amountUsd: 2700 }): CostDataset {
  const end = '2026-11-16';
  const days: string[] = [];
  for (let d = start; d < end; d = addDays(d, 1)) days.push(d);
  const series = (amount: number) => days.map((date) => ({ date, amountUsd: amount }));
  return {
    fetchedAt: NOW.toISOString(),
    start,
    end,
    metric: 'NetUnblendedCost',
    series: {
      total: series(150),
      [`service:${EC2}`]: series(100),
      'service:AWS Lambda': series(50),
      'region:us-east-1': series(150),
      'account:111111111111': series(100),
      'account:222222222222': series(50),
    },
    breakdown: days.flatMap((date) => [
      { date, service: EC2, region: 'us-east-1', accountId: '111111111111', amountUsd: 100 },
      { date, service: 'AWS Lambda', region: 'us-east-1', accountId: '222222222222', amountUsd: 50 },
    ]),
    ...(forecast ? { forecast } : {}),
    cached: true,
  };
}

const budgets: BudgetConfig[] = configSchema.parse({
  budgets: {
    items: [
      { id: 'org', name: 'Organization', amountUsd: 6000 },
      { id: 'team-a', parent: 'org', amountUsd: 2000, scope: { accounts: ['111111111111'] }, requireApprovalAbovePercent: 70 },
      { id: 'lambda', parent: 'org', amountUsd: 1000, scope: { accounts: ['222222222222'], services: ['AWS Lambda'] } },
      { id: 'data-team', parent: 'org', amountUsd: 500, scope: { tags: { team: ['data'] } } },
      { id: 'org-quarter', period: 'quarterly', amountUsd: 20000, forecastThresholdsPercent: [90] },
    ],
  },
}).budgets.items;

describe('evaluateBudgets', () => {
  const statuses = evaluateBudgets({ budgets, dataset: dataset(), now: NOW });
  const byId = Object.fromEntries(statuses.map((s) => [s.id, s]));

  it('totals the actual to date and shows both forecasts for the organization, judging on Cost Explorer\'s', () => {
    expect(byId.org).toMatchObject({
      scopeLabel: 'organization',
      periodLabel: '2026-11',
      periodStart: '2026-11-01',
      periodEnd: '2026-12-01',
      children: ['team-a', 'lambda', 'data-team'],
      dataThrough: '2026-11-15',
      actualUsd: 2250,
      actualPercent: 37.5,
      forecast: { source: 'cost-explorer', costExplorerUsd: 4950, platformUsd: 4500, usd: 4950, percent: 82.5, differencePercent: -9.1 },
      thresholdsCrossed: { actual: [], forecast: [50, 80] },
      approvalRequired: false,
    });
    expect(byId.org.dataNote).toBeUndefined();
    expect(byId.org.daily).toHaveLength(15);
    expect(byId.org.daily[0]).toEqual({ date: '2026-11-01', amountUsd: 150 });
  });

  it('lists every budget without numbers when there is no cost data, saying why', () => {
    const none = evaluateBudgets({ budgets, dataset: undefined, now: NOW, noDataReason: 'Cost Explorer is not enabled for the payer account' });
    expect(none.map((s) => [s.id, s.actualUsd, s.dataNote])).toEqual(
      budgets.map((b) => [b.id, null, 'no cost data: Cost Explorer is not enabled for the payer account']),
    );
    expect(planBudgetAlerts(none, new Set(), NOW)).toEqual([]);
  });

  it('scopes by account, and by account and service through the breakdown, with the platform forecast', () => {
    expect(byId['team-a']).toMatchObject({
      parent: 'org',
      actualUsd: 1500,
      actualPercent: 75,
      forecast: { source: 'platform', platformUsd: 3000, costExplorerUsd: null, percent: 150, note: expect.stringContaining('organization only') },
      thresholdsCrossed: { actual: [50], forecast: [50, 80, 100] },
      approvalRequired: true,
    });
    expect(byId.lambda).toMatchObject({ scopeLabel: 'accounts 222222222222 · services AWS Lambda', actualUsd: 750, actualPercent: 75 });
  });

  it('says there is no data for a tag scope instead of inventing numbers', () => {
    expect(byId['data-team']).toMatchObject({ actualUsd: null, forecast: { usd: null, source: null }, thresholdsCrossed: { actual: [], forecast: [] } });
    expect(byId['data-team'].dataNote).toMatch(/^no data for tag scope "team"/);
    const withTags = dataset();
    withTags.series['tag:team=data'] = withTags.series.total.map((d) => ({ ...d, amountUsd: 20 }));
    withTags.series['tag:team=web'] = withTags.series.total.map((d) => ({ ...d, amountUsd: 30 }));
    const tagged = evaluateBudgets({ budgets, dataset: withTags, now: NOW }).find((s) => s.id === 'data-team');
    expect(tagged).toMatchObject({ actualUsd: 300, actualPercent: 60, forecast: { platformUsd: 600 } });
    expect(tagged?.dataNote).toBeUndefined();
  });

  it('counts quarters, uses its own forecast thresholds, and explains why Cost Explorer\'s month forecast does not apply', () => {
    expect(byId['org-quarter']).toMatchObject({
      periodLabel: '2026-Q4',
      periodStart: '2026-10-01',
      periodEnd: '2027-01-01',
      actualUsd: 46 * 150,
      forecast: { source: 'platform', platformUsd: 92 * 150, costExplorerUsd: null },
      thresholdsPercent: { actual: [50, 80, 100], forecast: [90] },
      thresholdsCrossed: { actual: [], forecast: [] },
    });
    expect(byId['org-quarter'].forecast.note).toContain('covers 2026-11-16 to 2026-12-01');
    const late = evaluateBudgets({ budgets, dataset: dataset('2026-10-15'), now: NOW }).find((s) => s.id === 'org-quarter');
    expect(late?.dataNote).toContain('the actual is a lower bound');
  });

  it('forecasts each remaining day at its weekday\'s level', () => {
    const weekly = dataset('2026-08-01', null);
    weekly.series.total = weekly.series.total.map((d) => ({ ...d, amountUsd: [0, 6].includes(weekdayOf(d.date)) ? 50 : 150 }));
    const [org] = evaluateBudgets({ budgets: budgets.slice(0, 1), dataset: weekly, now: NOW });
    // 2026-11-16 to 2026-11-30: 11 weekdays, 4 weekend days.
    const actual = weekly.series.total.filter((d) => d.date >= '2026-11-01').reduce((s, d) => s + d.amountUsd, 0);
    expect(org.forecast).toMatchObject({ source: 'platform', platformUsd: actual + 11 * 150 + 4 * 50, costExplorerUsd: null });
    expect(org.forecast.note).toContain('no forecast');
  });
});

describe('planBudgetAlerts', () => {
  const statuses = evaluateBudgets({ budgets, dataset: dataset(), now: NOW });

  it('alerts each newly crossed threshold once, naming the highest, and a forecast only above what actual reached', () => {
    const planned = planBudgetAlerts(statuses, new Set(), NOW);
    expect(planned.map((p) => p.keys)).toEqual([
      [budgetThresholdKey('org', '2026-11-01', 'forecast', 80), budgetThresholdKey('org', '2026-11-01', 'forecast', 50)],
      [budgetThresholdKey('team-a', '2026-11-01', 'actual', 50)],
      [budgetThresholdKey('team-a', '2026-11-01', 'forecast', 100), budgetThresholdKey('team-a', '2026-11-01', 'forecast', 80)],
      [budgetThresholdKey('lambda', '2026-11-01', 'actual', 50)],
      [budgetThresholdKey('lambda', '2026-11-01', 'forecast', 100), budgetThresholdKey('lambda', '2026-11-01', 'forecast', 80)],
    ]);
    const teamA = planned[1].alert;
    expect(teamA).toMatchObject({ event: 'budget-threshold', dedupKey: 'budget-threshold:team-a:2026-11-01:actual:50', severity: 'medium' });
    expect(teamA.message).toContain("needs an operator's approval");
    expect(planned[0].alert.message).toContain('from Cost Explorer; the platform forecasts $4,500');

    const raised = new Set(planned.flatMap((p) => p.keys));
    expect(planBudgetAlerts(statuses, raised, NOW)).toEqual([]);
  });

  it('alerts again in the next period', () => {
    const raised = new Set(planBudgetAlerts(statuses, new Set(), NOW).flatMap((p) => p.keys));
    const december = new Date('2026-12-20T08:00:00Z');
    const later = dataset();
    for (let d = '2026-11-16'; d < '2026-12-20'; d = addDays(d, 1)) later.series.total.push({ date: d, amountUsd: 150 });
    later.end = '2026-12-20';
    delete later.forecast;
    const [org] = evaluateBudgets({ budgets: budgets.slice(0, 1), dataset: later, now: december });
    expect(budgetPeriodOf('monthly', '2026-12-20').start).toBe(org.periodStart);
    // $2,850 so far (47.5%), $4,650 forecast (77.5%).
    expect(planBudgetAlerts([org], raised, december).map((p) => p.alert.dedupKey)).toEqual(['budget-threshold:org:2026-12-01:forecast:50']);
  });
});
