// buildReport and the report schema: totals math, ordering, suppression, and a strict, versioned contract.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { REPORT_SCHEMA_VERSION, reportSchema } from './report-schema.js';
import { recommendation, reportInput } from './test-fixtures.js';

describe('buildReport', () => {
  const report = buildReport(reportInput());

  it('produces a report the schema accepts, also after a JSON round trip', () => {
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(() => reportSchema.parse(JSON.parse(JSON.stringify(report)))).not.toThrow();
    expect(report.anomalies).toEqual([]);
    expect(report.budgets).toEqual([]);
  });

  it('sorts open recommendations by savings and keeps suppressed ones apart', () => {
    expect(report.recommendations.map((r) => r.monthlySavingsUsd)).toEqual([70.08, 5, 0.2, 0.1]);
    expect(report.suppressed.map((r) => r.monthlySavingsUsd)).toEqual([1000]);
  });

  it('totals open recommendations only, to the cent', () => {
    expect(report.totals).toEqual({
      monthlySavingsUsd: 75.38,
      recommendations: 4,
      byCheck: {
        'ec2-idle-instance': { count: 1, monthlySavingsUsd: 70.08 },
        'ebs-unattached-volume': { count: 3, monthlySavingsUsd: 5.3 },
      },
      byAccount: {
        '111111111111': { count: 3, monthlySavingsUsd: 5.3 },
        '222222222222': { count: 1, monthlySavingsUsd: 70.08 },
      },
      byRegion: {
        'eu-west-1': { count: 2, monthlySavingsUsd: 0.3 },
        'us-east-1': { count: 2, monthlySavingsUsd: 75.08 },
      },
      folded: { count: 0, monthlySavingsUsd: 0 },
    });
  });

  it('counts folded recommendations apart: listed, but not in the totals', () => {
    const stop = recommendation({ id: 'rec_00000000000000c1', resourceId: 'i-1', checkId: 'ec2-idle-instance', monthlySavingsUsd: 70 });
    const resize = recommendation({ id: 'rec_00000000000000c2', resourceId: 'i-1', checkId: 'ec2-underutilized-instance', monthlySavingsUsd: 35, foldedInto: stop.id });
    const built = buildReport(reportInput({ recommendations: [stop, resize] }));
    expect(built.recommendations.map((r) => [r.id, r.foldedInto])).toEqual([[stop.id, undefined], [resize.id, stop.id]]);
    expect(built.totals).toMatchObject({
      monthlySavingsUsd: 70,
      recommendations: 2,
      byCheck: { 'ec2-idle-instance': { count: 1, monthlySavingsUsd: 70 } },
      folded: { count: 1, monthlySavingsUsd: 35 },
    });
  });

  it('keeps tracking, suppression and related resources in the contract', () => {
    const tracked = recommendation({
      relatedResourceIds: ['vol-1'],
      tracking: { firstSeenAt: '2026-10-01T00:00:00.000Z', lastSeenAt: '2026-11-26T12:00:00.000Z', seenCount: 12 },
    });
    const dismissed = recommendation({
      status: 'dismissed',
      suppression: { by: 'dismissal', reason: 'kept for the migration', at: '2026-11-20T08:00:00.000Z', until: '2027-02-01T00:00:00.000Z' },
    });
    const built = buildReport(reportInput({ recommendations: [tracked, dismissed] }));
    expect(built.recommendations[0]).toMatchObject({ relatedResourceIds: ['vol-1'], tracking: { seenCount: 12 } });
    expect(built.suppressed[0]?.suppression?.reason).toBe('kept for the migration');
    expect(() => buildReport(reportInput({ recommendations: [recommendation({ foldedInto: 'nope' })] }))).toThrow(/foldedInto/);
  });

  it('counts the inventory by kind and by account and region', () => {
    expect(report.inventory).toEqual({
      total: 20,
      byKind: { 'ec2-instance': 10, 'ebs-volume': 10, 'elastic-ip': 0 },
      byAccountRegion: [
        { accountId: '111111111111', region: 'eu-west-1', byKind: { 'elastic-ip': 0 } },
        { accountId: '111111111111', region: 'us-east-1', byKind: { 'ec2-instance': 6, 'ebs-volume': 10 } },
        { accountId: '222222222222', region: 'us-east-1', byKind: { 'ec2-instance': 4 } },
      ],
    });
  });

  it('orders equal savings by id so reports are reproducible', () => {
    const a = recommendation({ id: 'rec_00000000000000aa', monthlySavingsUsd: 1 });
    const b = recommendation({ id: 'rec_00000000000000bb', monthlySavingsUsd: 1 });
    const built = buildReport(reportInput({ recommendations: [b, a] }));
    expect(built.recommendations.map((r) => r.id)).toEqual([a.id, b.id]);
  });

  it('reports an empty scan', () => {
    const empty = buildReport(reportInput({ recommendations: [], inventoryCounts: [], errors: [] }));
    expect(empty.totals).toEqual({
      monthlySavingsUsd: 0,
      recommendations: 0,
      byCheck: {},
      byAccount: {},
      byRegion: {},
      folded: { count: 0, monthlySavingsUsd: 0 },
    });
    expect(empty.inventory).toEqual({ total: 0, byKind: {}, byAccountRegion: [] });
  });

  it('refuses to build a report that breaks the contract', () => {
    expect(() => buildReport(reportInput({ recommendations: [recommendation({ monthlySavingsUsd: Number.NaN })] }))).toThrow(
      `does not match report schema ${REPORT_SCHEMA_VERSION}`,
    );
    expect(() => buildReport(reportInput({ startedAt: 'yesterday' }))).toThrow(/startedAt/);
  });
});

describe('reportSchema', () => {
  const report = buildReport(reportInput());

  it('rejects unknown keys at the top and inside', () => {
    expect(reportSchema.safeParse({ ...report, extra: 1 }).success).toBe(false);
    expect(reportSchema.safeParse({ ...report, totals: { ...report.totals, average: 3 } }).success).toBe(false);
    const [first, ...rest] = report.recommendations;
    expect(reportSchema.safeParse({ ...report, recommendations: [{ ...first, note: 'x' }, ...rest] }).success).toBe(false);
  });

  it('rejects another schema version', () => {
    expect(reportSchema.safeParse({ ...report, schemaVersion: '2.0.0' }).success).toBe(false);
  });

  it('keeps open and suppressed recommendations in their own lists', () => {
    expect(reportSchema.safeParse({ ...report, recommendations: report.suppressed }).success).toBe(false);
    expect(reportSchema.safeParse({ ...report, suppressed: report.recommendations }).success).toBe(false);
  });

  it('rejects unknown resource kinds in the inventory', () => {
    const inventory = { ...report.inventory, byKind: { ...report.inventory.byKind, 's3-bucket': 3 } };
    expect(reportSchema.safeParse({ ...report, inventory }).success).toBe(false);
  });
});
