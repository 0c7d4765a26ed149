// writeReportFiles: the requested files in a fresh directory, report.json always, no temp files left behind.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { REPORT_FORMATS } from './report-formats.js';
import { reportSchema } from './report-schema.js';
import type { Report } from './report-schema.js';
import { reportInput } from './test-fixtures.js';
import { writeReportFiles } from './write-report-files.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'finops-reports-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('writeReportFiles', () => {
  const report = buildReport(reportInput());

  it('writes report.json, report.md and recommendations.csv into a new directory', async () => {
    const dir = join(await tempDir(), 'nested', report.scanId);
    const written = await writeReportFiles(report, dir, ['json', 'md', 'csv']);
    expect(written).toEqual([join(dir, 'report.json'), join(dir, 'report.md'), join(dir, 'recommendations.csv')]);
    expect((await readdir(dir)).sort()).toEqual(['recommendations.csv', 'report.json', 'report.md']);
    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as unknown;
    expect(reportSchema.parse(json)).toEqual(report);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('$75.38');
    expect(await readFile(join(dir, 'recommendations.csv'), 'utf8')).toMatch(/^id,status,/);
  });

  it('always writes report.json, and only the other formats asked for', async () => {
    const dir = await tempDir();
    expect(await writeReportFiles(report, dir, ['csv'])).toEqual([join(dir, 'report.json'), join(dir, 'recommendations.csv')]);
    expect((await readdir(dir)).sort()).toEqual(['recommendations.csv', 'report.json']);
  });

  it('replaces files of an earlier run', async () => {
    const dir = await tempDir();
    await writeReportFiles(report, dir, ['md']);
    const later = buildReport(reportInput({ recommendations: [] }));
    await writeReportFiles(later, dir, ['md']);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('No open recommendations.');
    expect((await readdir(dir)).sort()).toEqual(['report.json', 'report.md']);
  });

  it('refuses a report that breaks the contract and writes nothing', async () => {
    const dir = await tempDir();
    const broken = { ...report, extra: true } as Report;
    await expect(writeReportFiles(broken, dir, ['md'])).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('report formats registry', () => {
  it('has a distinct file and a non-empty rendering for every format the config allows', () => {
    const report = buildReport(reportInput());
    const names = Object.values(REPORT_FORMATS).map((spec) => spec.fileName);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(REPORT_FORMATS).sort()).toEqual(['csv', 'html', 'json', 'md']);
    for (const spec of Object.values(REPORT_FORMATS)) expect(spec.render(report).length).toBeGreaterThan(0);
  });
});
