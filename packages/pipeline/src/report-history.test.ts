// listedRecommendationIds: which ids an earlier report.json lists, read a chunk at a time, as a full parse would say.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport, writeReportFiles } from '@finops/reports';
import { afterEach, describe, expect, it } from 'vitest';
import { recommendation, reportInput, sampleActions } from '../../reports/src/test-fixtures.js';
import { listedRecommendationIds } from './report-history.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-history-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('listedRecommendationIds', () => {
  // Open and suppressed recommendations, long enough that lines fall across the reader's 1 MB chunks; ids that
  // appear elsewhere in the file (a tag value, an applied action, an anomaly-like key) are not listed.
  const open = Array.from({ length: 1500 }, (_, i) => recommendation({ monthlySavingsUsd: i, reason: `${'x'.repeat(900)} ${i}` }));
  const suppressed = recommendation({ status: 'dismissed', suppression: { by: 'dismissal', reason: 'kept' } });
  const elsewhere = recommendation();
  const report = buildReport(
    reportInput({
      recommendations: [...open, suppressed, recommendation({ tags: { id: elsewhere.id }, evidence: { id: elsewhere.id } })],
      actions: sampleActions({ applied: [{ ...sampleActions().applied[0]!, recommendationId: elsewhere.id }] }),
    }),
  );
  const asked = new Set([open[0]!.id, open[1499]!.id, open[777]!.id, suppressed.id, elsewhere.id, 'rec_ffffffffffffffff']);
  const listed = new Set([open[0]!.id, open[1499]!.id, open[777]!.id, suppressed.id]);

  it('finds the asked ids a report lists, open or suppressed, and no other', async () => {
    const dir = tempDir();
    await writeReportFiles(report, dir, []);
    expect(await listedRecommendationIds(dir, asked)).toEqual(listed);
  });

  it('parses a report.json not indented as the report writers indent it whole', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    expect(await listedRecommendationIds(dir, asked)).toEqual(listed);
  });

  it('reads nothing when asked for nothing, and fails on a missing file', async () => {
    const dir = tempDir();
    expect(await listedRecommendationIds(dir, new Set())).toEqual(new Set());
    await expect(listedRecommendationIds(dir, asked)).rejects.toThrow(/ENOENT/);
  });
});
