// diffReports: new, resolved and changed recommendations by id, savings moved, and only the scope both scans covered.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { diffReports, renderDiffMarkdown } from './diff-reports.js';
import { recommendation, reportInput } from './test-fixtures.js';

describe('diffReports', () => {
  const kept = recommendation({ monthlySavingsUsd: 10 });
  const grown = recommendation({ monthlySavingsUsd: 20 });
  const gone = recommendation({ monthlySavingsUsd: 30 });
  const riskier = recommendation({ monthlySavingsUsd: 5, risk: 'low' });
  const previous = buildReport(reportInput({ scanId: 'scan-a', recommendations: [kept, grown, gone, riskier] }));
  const fresh = recommendation({ monthlySavingsUsd: 40 });
  const current = buildReport(
    reportInput({
      scanId: 'scan-b',
      finishedAt: '2026-11-27T12:03:10.000Z',
      recommendations: [kept, { ...grown, monthlySavingsUsd: 25.5 }, { ...riskier, risk: 'high' }, fresh],
    }),
  );
  const diff = diffReports(previous, current);

  it('finds new, resolved, changed and unchanged recommendations', () => {
    expect(diff.new.map((r) => r.id)).toEqual([fresh.id]);
    expect(diff.resolved.map((r) => r.id)).toEqual([gone.id]);
    expect(diff.changed.map((c) => [c.id, c.fields])).toEqual([
      [grown.id, ['monthlySavingsUsd']],
      [riskier.id, ['risk']],
    ]);
    expect(diff.changed[0].savingsDeltaUsd).toBe(5.5);
    expect(diff.unchanged).toBe(1);
  });

  it('moves the savings by exactly new − resolved + changed', () => {
    expect(diff.savings).toEqual({ previousUsd: 65, currentUsd: 80.5, deltaUsd: 15.5, newUsd: 40, resolvedUsd: 30, changedDeltaUsd: 5.5 });
    expect(diff.savings.newUsd - diff.savings.resolvedUsd + diff.savings.changedDeltaUsd).toBeCloseTo(diff.savings.deltaUsd, 2);
  });

  it('compares only the accounts, regions and kinds both scans covered', () => {
    const narrow = buildReport(reportInput({ scanId: 'scan-c', regions: ['eu-west-1'], recommendations: [] }));
    const d = diffReports(previous, narrow);
    expect(d.scope.regions).toEqual(['eu-west-1']);
    // Every recommendation of the fixtures is in us-east-1: outside the narrower scan, so nothing is "resolved".
    expect(d.resolved).toEqual([]);
  });

  it('renders a summary and the lists for people', () => {
    const md = renderDiffMarkdown(diff);
    expect(md).toContain('**Savings: $65.00 → $80.50/month (+$15.50)**');
    expect(md).toContain('- New: 1 (+$40.00)');
    expect(md).toContain('- Resolved: 1 (−$30.00)');
    expect(md).toContain('$20.00 → $25.50/month');
    expect(md).toContain('risk low → high');
  });
});
