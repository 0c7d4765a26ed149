// Reports for the report tests: a realistic scan with recommendations, anomalies, budgets and a daily cost trend.
import { buildReport, reportSchema, type Report } from '@finops/reports';
import type { ReportAnomaly, ReportBudget } from '../../packages/reports/src/insights-schema.js';
import { recommendation, reportInput } from '../../packages/reports/src/test-fixtures.js';

/** A 30-day daily cost series for November 2026 with a spike from the 18th to the 20th. */
export function dailyCosts(): { date: string; amountUsd: number }[] {
  return Array.from({ length: 30 }, (_, i) => {
    const day = i + 1;
    const weekly = [0, 6].includes(new Date(Date.UTC(2026, 10, day)).getUTCDay()) ? -35 : 0;
    const spike = day >= 18 && day <= 20 ? 260 : 0;
    return { date: `2026-11-${String(day).padStart(2, '0')}`, amountUsd: Math.round((410 + weekly + spike + (day % 5) * 3.7) * 100) / 100 };
  });
}

/** One anomaly as report.json carries it (see insights-schema.ts). */
export function anomaly(overrides: Partial<ReportAnomaly> = {}): ReportAnomaly {
  return {
    id: 'anom_00000000000000a1',
    series: 'service:Amazon Elastic Compute Cloud - Compute',
    dimension: 'service',
    startDate: '2026-11-18',
    latestDate: '2026-11-20',
    status: 'closed',
    days: 3,
    baselineUsdPerDay: 180.5,
    actualUsdPerDay: 440.5,
    impactUsdPerDay: 260,
    impactUsdToDate: 780,
    deviationPercent: 144,
    peakImpactUsd: 262.4,
    severity: 'critical',
    rootCauses: [],
    firstSeenAt: '2026-11-19T06:00:00.000Z',
    closedAt: '2026-11-21T06:00:00.000Z',
    ...overrides,
  };
}

export function anomalies(): ReportAnomaly[] {
  return [
    anomaly(),
    anomaly({
      id: 'anom_00000000000000b2',
      series: 'region:eu-west-1',
      dimension: 'region',
      startDate: '2026-11-26',
      latestDate: '2026-11-26',
      status: 'open',
      days: 1,
      baselineUsdPerDay: 95,
      actualUsdPerDay: 131.25,
      impactUsdPerDay: 36.25,
      impactUsdToDate: 36.25,
      deviationPercent: 38.2,
      peakImpactUsd: 36.25,
      severity: 'medium',
      firstSeenAt: '2026-11-26T12:00:00.000Z',
      closedAt: undefined,
    }),
  ];
}

/** One budget as report.json carries it (see insights-schema.ts). */
export function budget(overrides: Partial<ReportBudget> = {}): ReportBudget {
  return {
    id: 'data-team',
    name: 'Data team',
    children: [],
    scope: { accounts: ['222222222222'] },
    scopeLabel: 'account 222222222222',
    period: 'monthly',
    periodLabel: '2026-11',
    periodStart: '2026-11-01',
    periodEnd: '2026-12-01',
    amountUsd: 2500,
    dataThrough: '2026-11-25',
    actualUsd: 1210.4,
    actualPercent: 48.4,
    forecastUsd: 1396.62,
    forecast: { source: 'platform', usd: 1396.62, percent: 55.9, costExplorerUsd: null, platformUsd: 1396.62, differencePercent: null },
    thresholdsPercent: { actual: [50, 80, 100], forecast: [100] },
    thresholdsCrossed: { actual: [], forecast: [] },
    approvalRequired: false,
    daily: [],
    ...overrides,
  };
}

/** Budgets with actuals to date, a forecast and their daily spend. */
export function budgets(): ReportBudget[] {
  const daily = dailyCosts().slice(0, 25);
  const actual = Math.round(daily.reduce((s, d) => s + d.amountUsd, 0) * 100) / 100;
  const forecast = Math.round((actual / 25) * 30 * 100) / 100;
  return [
    budget({
      id: 'platform',
      name: 'Platform (all accounts)',
      scope: {},
      scopeLabel: 'all accounts',
      amountUsd: 11500,
      actualUsd: actual,
      actualPercent: Math.round((actual / 11500) * 1000) / 10,
      forecastUsd: forecast,
      forecast: { source: 'platform', usd: forecast, percent: Math.round((forecast / 11500) * 1000) / 10, costExplorerUsd: null, platformUsd: forecast, differencePercent: null },
      thresholdsCrossed: { actual: [50, 80], forecast: [100] },
      daily,
    }),
    budget(),
    budget({ id: 'tagged', name: undefined, scope: { tags: { team: ['ml'] } }, scopeLabel: 'tag team=ml', actualUsd: null, actualPercent: null, forecastUsd: null, forecast: { source: null, usd: null, percent: null, costExplorerUsd: null, platformUsd: null, differencePercent: null }, dataNote: 'no cost data for tag scope team=ml' }),
  ];
}

/** The costs section with the daily trend the HTML report charts. */
export function costs(): NonNullable<Report['costs']> {
  const daily = dailyCosts();
  return {
    available: true,
    start: '2026-11-01',
    end: '2026-12-01',
    metric: 'NetUnblendedCost',
    totalUsd: Math.round(daily.reduce((s, d) => s + d.amountUsd, 0) * 100) / 100,
    daily: daily.map((d) => ({ date: d.date, usd: d.amountUsd })),
    byService: [{ name: 'Amazon Elastic Compute Cloud - Compute', usd: 8000 }],
    byRegion: [{ name: 'us-east-1', usd: 9000 }],
    byAccount: [{ name: '111111111111', usd: 7000 }],
    cached: false,
  };
}

/** A report valid against the current report schema, with costs, anomalies and budgets. */
export function richReport(overrides: Partial<Report> = {}): Report {
  const many = Array.from({ length: 26 }, (_, i) =>
    recommendation({
      checkId: ['ebs-unattached-volume', 'ec2-idle-instance', 'eip-unassociated', 'ebs-gp2-to-gp3'][i % 4],
      region: i % 3 ? 'us-east-1' : 'eu-west-1',
      accountId: i % 2 ? '111111111111' : '222222222222',
      monthlySavingsUsd: Math.round((400 / (i + 1)) * 100) / 100,
      risk: (['low', 'medium', 'high'] as const)[i % 3],
      resourceName: i === 3 ? 'name with <b>markup</b> & "quotes"' : `resource-${i}`,
    }),
  );
  const base = buildReport(reportInput({ recommendations: [...reportInput().recommendations, ...many] }));
  return reportSchema.parse({ ...base, anomalies: anomalies(), budgets: budgets(), costs: costs(), ...overrides });
}
