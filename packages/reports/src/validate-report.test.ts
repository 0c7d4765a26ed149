// The compiled recommendation check and zod's schema reach the same verdict on every kind of defect: the fast check
// may stand in for zod only where the two agree.
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { recommendationSchema, reportSchema, type Report } from './report-schema.js';
import { recommendation, reportInput } from './test-fixtures.js';
import { assertValidReport, recommendationCheck } from './validate-report.js';

/** Values of every JSON type and the edges the contract cares about: empty, negative, fractional, non-finite, dates. */
const VALUES: unknown[] = [
  undefined, null, '', 'x', 'rec_00000000000000ab', 'rec_00000000000000AB', 'rec_0000', -1, 0, 0.5, 1, 1.5, 2, 2 ** 53,
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, false, [], ['a'], [''], {}, { a: 'b' }, { a: 1 },
  '2026-11-27T00:00:00Z', '2026-11-27T00:00:00.123+02:00', '2026-11-27T00:00:00', '2026-02-30T00:00:00Z',
  '2028-02-29T12:00:00Z', '2026-11-27', '2026-11-27T24:00:00Z', 'low', 'open', 'resolved', 'tag', 'exact', 'ebs-volume',
];

/** A recommendation with every optional field set. */
const full = recommendation({
  relatedResourceIds: ['snap-1'],
  status: 'dismissed',
  suppression: { by: 'dismissal', reason: 'kept on purpose', until: '2027-01-01T00:00:00Z', at: '2026-11-20T08:00:00.000Z' },
  foldedInto: 'rec_00000000000000ff',
  tracking: { firstSeenAt: '2026-11-01T00:00:00Z', lastSeenAt: '2026-11-26T00:00:00Z', seenCount: 3, resolvedAt: '2026-11-26T00:00:00Z' },
});

type Path = string[];
function withValue(base: unknown, path: Path, value: unknown): unknown {
  const [head, ...rest] = path as [string, ...string[]];
  const copy = { ...(base as Record<string, unknown>) };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
  } else copy[head] = withValue(copy[head], rest, value);
  return copy;
}

/** Every field of `full` and of its nested objects, plus an unknown key at each level. */
const PATHS: Path[] = [
  ...Object.keys(full).map((k) => [k]),
  ...['type', 'description', 'params', 'extra'].map((k) => ['action', k]),
  ['action', 'params', 'any'],
  ['evidence', 'any'],
  ['tags', 'any'],
  ...['by', 'reason', 'until', 'at', 'extra'].map((k) => ['suppression', k]),
  ...['firstSeenAt', 'lastSeenAt', 'seenCount', 'resolvedAt', 'extra'].map((k) => ['tracking', k]),
  ['extra'],
];

describe('the compiled recommendation check', () => {
  const check = recommendationCheck();

  it('agrees with zod on every field set to every kind of value, removed, or added', () => {
    let variants = 0;
    let rejected = 0;
    for (const base of [full, recommendation()]) {
      expect(check(base)).toBe(true);
      for (const path of PATHS) {
        for (const value of VALUES) {
          const variant = withValue(base, path, value);
          const zod = recommendationSchema.safeParse(variant).success;
          expect(check(variant), `${path.join('.')} = ${String(value)}`).toBe(zod);
          variants += 1;
          if (!zod) rejected += 1;
        }
      }
    }
    // Both verdicts were exercised, many times over.
    expect(rejected).toBeGreaterThan(1000);
    expect(variants - rejected).toBeGreaterThan(200);
    for (const notAnObject of [null, undefined, 'rec', 1, []]) expect(check(notAnObject)).toBe(recommendationSchema.safeParse(notAnObject).success);
  });

  it('leaves the report-level verdict and error to zod: a defect deep in a list throws what reportSchema.parse throws', () => {
    const report = buildReport(reportInput({ recommendations: Array.from({ length: 30 }, () => recommendation()) }));
    const broken = { ...report, recommendations: report.recommendations.map((r, i) => (i === 25 ? { ...r, evidence: { x: Number.NaN } } : r)) } as Report;
    const misplaced = { ...report, recommendations: [{ ...report.recommendations[0]!, status: 'resolved' as const }] } as Report;
    for (const bad of [broken, misplaced]) {
      let expected: unknown;
      try {
        reportSchema.parse(bad);
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeDefined();
      expect(() => assertValidReport(bad)).toThrow(expected as Error);
    }
    expect(() => assertValidReport(report)).not.toThrow();
  });
});
