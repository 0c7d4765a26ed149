// selectReport: a report narrowed to services, regions and accounts keeps the contract and recomputes its totals.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import type { ReportAnomaly } from './insights-schema.js';
import { reportSchema } from './report-schema.js';
import { sectionsOf, selectReport } from './select-report.js';
import { actionEntry, reportInput, sampleActions } from './test-fixtures.js';

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

  it('keeps only the remediation actions of the selection, and the savings they resolved there', () => {
    const base = sampleActions();
    const actions = sampleActions({
      entries: [
        ...base.entries,
        actionEntry({ at: '2026-11-26T07:00:00.000Z', region: 'eu-west-1', resourceId: 'vol-00000000000000009', result: 'applied' }),
        // An approval names no account: no selection can judge it.
        actionEntry({ at: '2026-11-26T06:00:00.000Z', event: 'approved', accountId: undefined, region: undefined, resourceKind: undefined, result: 'approved' }),
      ],
    });
    const withActions = { ...report, actions };

    const other = selectReport(withActions, { accounts: ['222222222222'] });
    expect(() => reportSchema.parse(other)).not.toThrow();
    expect(other.actions?.entries.map((e) => [e.accountId, e.resourceId])).toEqual([
      ['222222222222', 'i-0ccccccccccccccc3'],
      [undefined, 'vol-00000000000000001'],
    ]);
    expect(other.actions?.applied.map((a) => a.actionId)).toEqual(['act_0000000000000007']);
    // Its one applied action is still open: nothing resolved in this account.
    expect(other.actions?.resolvedMonthlySavingsUsd).toBe(0);

    const eu = selectReport(withActions, { regions: ['eu-west-1'] });
    expect(eu.actions?.entries.map((e) => e.resourceId)).toEqual(['vol-00000000000000009', 'vol-00000000000000001']);
    expect(eu.actions?.applied).toEqual([]);

    const home = selectReport(withActions, { accounts: ['111111111111'], regions: ['us-east-1'] });
    expect(home.actions?.applied.map((a) => a.actionId)).toEqual(['act_0000000000000006']);
    expect(home.actions?.resolvedMonthlySavingsUsd).toBe(12.5);

    // By kind: the resize names an instance; the volume actions (and the entries left at the fixture's volume kind) go.
    const instances = selectReport(withActions, { kinds: ['ec2-instance'] });
    expect(instances.actions?.entries.map((e) => e.actionType)).toEqual(['ec2.resize-instance', 'ebs.delete-volume']);
    expect(instances.actions?.entries[1]?.event).toBe('approved');
    // Neither applied action's recommendation is in this report nor its kind in an entry of the same action: kept.
    expect(instances.actions?.applied.map((a) => a.actionId)).toEqual(['act_0000000000000006', 'act_0000000000000007']);
    const byEntry = selectReport(
      { ...withActions, actions: { ...actions, entries: [...actions.entries, actionEntry({ actionId: 'act_0000000000000006', resourceKind: 'ebs-volume' })] } },
      { kinds: ['ec2-instance'] },
    );
    expect(byEntry.actions?.applied.map((a) => a.actionId)).toEqual(['act_0000000000000007']);
    expect(byEntry.actions?.resolvedMonthlySavingsUsd).toBe(0);
  });

  it('maps report types to sections', () => {
    expect(sectionsOf('all')).toEqual({ inventory: true, savings: true, anomalies: true, budgets: true });
    expect(sectionsOf('budget')).toEqual({ inventory: false, savings: false, anomalies: false, budgets: true });
  });
});
