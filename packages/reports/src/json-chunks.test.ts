// jsonChunks: its pieces joined are exactly JSON.stringify(value, null, 2) + '\n', whatever the value holds.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { jsonChunks } from './json-chunks.js';
import { recommendation, reportInput } from './test-fixtures.js';

const stringified = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const joined = (value: unknown) => [...jsonChunks(value)].join('');

describe('jsonChunks', () => {
  it('writes a report exactly as JSON.stringify does, one recommendation per piece', () => {
    const report = buildReport(
      reportInput({
        recommendations: [
          recommendation({ monthlySavingsUsd: 12.5, reason: 'line one\nline two, "quoted" \\ and ünïcode \u2028' }),
          recommendation({ status: 'suppressed', suppression: { by: 'tag', reason: 'tag finops:ignore' } }),
          recommendation({ tags: {}, evidence: {}, action: { type: 'x.y', description: '', params: {} } }),
        ],
      }),
    );
    const pieces = [...jsonChunks(report)];
    expect(pieces.join('')).toBe(stringified(report));
    expect(pieces.length).toBeGreaterThan(report.recommendations.length + report.suppressed.length);
  });

  it('matches JSON.stringify on empty, nested, null and omitted values', () => {
    const cases: unknown[] = [
      {},
      { a: [] },
      { a: {} },
      { a: undefined, b: () => 1, c: Symbol('s') },
      { a: [undefined, () => 1, null, 0, '', [], {}, [[1, [2]]], { x: { y: [] } }] },
      { a: 1, b: undefined },
      { a: undefined, b: 'last' },
      { 'key "with" quotes\n': [{ 'é': 'x\ny' }], n: null, t: true, f: -0.5e-9 },
      { a: [{ toJSON: () => undefined }, { toJSON: () => ({ replaced: [1, 2] }) }] },
      { when: new Date(0), a: [1] },
      { a: { toJSON: () => undefined }, b: 1 },
      Object.assign(Object.create(null) as object, { a: [1, 2], b: { c: 'd' } }),
      [1, { a: [2] }],
      'text',
      42,
      null,
    ];
    for (const value of cases) expect(joined(value)).toBe(stringified(value));
  });
});
