// jsonLayout: its pieces, the lists' slots filled, are exactly JSON.stringify(report, null, 2) + '\n', whatever the
// report's fields hold.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { renderLayout } from './file-layout.js';
import { jsonItem, jsonLayout } from './json-chunks.js';
import { digestOf, type ReportDigest } from './report-digest.js';
import type { Report } from './report-schema.js';
import { recommendation, reportInput } from './test-fixtures.js';

const stringified = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
/** The layout of a report's digest, filled from its lists. */
const laidOut = (report: Report) => renderLayout(jsonLayout(digestOf(report)), jsonItem, report);

describe('jsonLayout', () => {
  it('writes a report exactly as JSON.stringify does, a slot for each list', () => {
    const report = buildReport(
      reportInput({
        recommendations: [
          recommendation({ monthlySavingsUsd: 12.5, reason: 'line one\nline two, "quoted" \\ and ünïcode \u2028' }),
          recommendation({ status: 'suppressed', suppression: { by: 'tag', reason: 'tag finops:ignore' } }),
          recommendation({ tags: {}, evidence: {}, action: { type: 'x.y', description: '', params: {} } }),
        ],
      }),
    );
    expect(laidOut(report)).toBe(stringified(report));
    const parts = [...jsonLayout(digestOf(report))];
    expect(parts.filter((part) => typeof part !== 'string')).toEqual([{ list: 'recommendations' }, { list: 'suppressed' }]);
    // The other top-level arrays come an element at a time.
    expect(parts.length).toBeGreaterThan(Object.keys(report).length + report.errors.length);
  });

  it('matches JSON.stringify on empty lists and on empty, nested, null and omitted field values', () => {
    const report = buildReport(reportInput({ recommendations: [] }));
    const fields: Record<string, unknown>[] = [
      {},
      { a: [] },
      { a: {} },
      { a: undefined, b: () => 1, c: Symbol('s') },
      { a: [undefined, () => 1, null, 0, '', [], {}, [[1, [2]]], { x: { y: [] } }] },
      { a: [{ toJSON: () => undefined }, { toJSON: () => ({ replaced: [1, 2] }) }] },
      { 'key "with" quotes\n': [{ 'é': 'x\ny' }], n: null, t: true, f: -0.5e-9 },
      { last: undefined },
    ];
    for (const extra of fields) {
      const value = { ...report, ...extra } as Report;
      expect(laidOut(value)).toBe(stringified(value));
      const first = { ...extra, ...report } as Report;
      expect(laidOut(first)).toBe(stringified(first));
    }
    const oneEach = { ...report, recommendations: [recommendation()], suppressed: [recommendation({ status: 'dismissed' })] } as Report;
    expect(laidOut(oneEach)).toBe(stringified(oneEach));
  });

  it('refuses a report whose fields are not plain data', () => {
    const digest = digestOf(buildReport(reportInput()));
    expect(() => [...jsonLayout({ ...digest, when: new Date(0) } as unknown as ReportDigest)]).toThrow(/report scan-20261126-abc123: a field of the report has a toJSON method/);
  });
});
