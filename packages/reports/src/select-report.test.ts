// selectReport: a report narrowed to services, regions and accounts keeps the contract and recomputes its totals.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import type { ReportAnomaly } from './insights-schema.js';
import { reportSchema } from './report-schema.js';
import { sectionsOf, selectReport } from './select-report.js';
import { reportInput } from './test-fixtures.js';

describe('selectReport', () => {
  const anomaly = (series: string, dimension: ReportAnomaly['dimension']): ReportAnomaly => ({
    id: `anom_${series.length.toString(16).padStart(16, '0')}`,
    series,
    dimension,
    startDate: '2026-11-20',
    latestDate: '2026-11-20',
    status: 'open',
    days: 1,
    baselineUsdPerDay: 10,
    actualUsdPerDay: 50,
    impactUsdPerDay: 40,
    impactUsdToDate: 40,
    deviationPercent: 400,
    peakImpactUsd: 40,
    severity: 'high',
    rootCauses: [],
    firstSeenAt: '2026-11-20T12:00:00.000Z',
  });
  const report = {
    ...buildReport(reportInput()),
    anomalies: [anomaly('region:eu-west-1', 'region'), anomaly('region:us-east-1', 'region'), anomaly('total', 'total')],
  };

  it('returns the report itself for an empty selection', () => {
    expect(selectReport(report, {})).toBe(report);
  });

  it('narrows recommendations, inventory and errors to a region and recomputes the totals', () => {
    const eu = selectReport(report, { regions: ['eu-west-1'] });
    expect(() => reportSchema.parse(eu)).not.toThrow();
    expect(eu.regions).toEqual(['eu-west-1']);
    expect(eu.recommendations.every((r) => r.region === 'eu-west-1')).toBe(true);
    expect(eu.totals).toMatchObject({ monthlySavingsUsd: 0.3, recommendations: 2, byRegion: { 'eu-west-1': { count: 2, monthlySavingsUsd: 0.3 } } });
    expect(eu.inventory.byAccountRegion.map((p) => p.region)).toEqual(['eu-west-1']);
    expect(eu.errors).toHaveLength(1);
    // The total's anomaly spans every region and stays.
    expect(eu.anomalies.map((a) => a.series)).toEqual(['region:eu-west-1', 'total']);
  });

  it('narrows to services by their resource kinds, and to accounts', () => {
    const ec2Instances = selectReport(report, { kinds: ['ec2-instance'], accounts: ['222222222222'] });
    expect(ec2Instances.recommendations.map((r) => r.checkId)).toEqual(['ec2-idle-instance']);
    expect(ec2Instances.inventory).toMatchObject({ total: 4, byKind: { 'ec2-instance': 4 } });
    const lambda = selectReport(report, { services: ['lambda'] });
    expect(lambda.totals.recommendations).toBe(0);
    expect(lambda.suppressed).toEqual([]);
  });

  it('maps report types to sections', () => {
    expect(sectionsOf('all')).toEqual({ inventory: true, savings: true, anomalies: true, budgets: true });
    expect(sectionsOf('budget')).toEqual({ inventory: false, savings: false, anomalies: false, budgets: true });
  });
});
