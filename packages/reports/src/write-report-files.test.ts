// writeReportFiles: the requested files in a fresh directory, report.json always, no temp files left behind.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test/support/temp-dir.js';
import { buildReport } from './build-report.js';
import { REPORT_FORMATS } from './report-formats.js';
import { reportSchema } from './report-schema.js';
import type { Report } from './report-schema.js';
import { recommendation, reportInput } from './test-fixtures.js';
import { writeReportFiles } from './write-report-files.js';

const tempDir = useTempDirs('finops-reports-');

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

describe('writeReportFiles on a large report', () => {
  it('writes each file exactly as its renderer renders it, across many write batches', async () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      recommendation({ monthlySavingsUsd: (i % 97) + 0.25, reason: `reason ${i}: ${'x'.repeat(400)}`, tags: { Name: `=cmd|${i}`, team: 'a,b' } }),
    );
    // One recommendation larger than the write buffer, in characters that take 2 and 3 bytes in UTF-8.
    many.push(recommendation({ reason: 'ü→'.repeat(300_000) }));
    const large = buildReport(reportInput({ recommendations: many }));
    const dir = await tempDir();
    await writeReportFiles(large, dir, ['md', 'csv', 'html']);
    for (const spec of Object.values(REPORT_FORMATS)) expect(await readFile(join(dir, spec.fileName), 'utf8')).toBe(spec.render(large));
    expect(await readFile(join(dir, 'report.json'), 'utf8')).toBe(`${JSON.stringify(large, null, 2)}\n`);
  });

  it('refuses a report with one bad recommendation deep in a list, with the error a full parse gives', async () => {
    const dir = await tempDir();
    const many = Array.from({ length: 50 }, () => recommendation());
    const large = buildReport(reportInput({ recommendations: many }));
    const broken = { ...large, recommendations: large.recommendations.map((r, i) => (i === 40 ? { ...r, monthlySavingsUsd: -1 } : r)) } as Report;
    const expected = (() => {
      try {
        reportSchema.parse(broken);
      } catch (error) {
        return error;
      }
    })();
    expect(expected).toBeDefined();
    await expect(writeReportFiles(broken, dir, ['csv'])).rejects.toEqual(expected);
    const misplaced = { ...large, suppressed: [large.recommendations[0]] } as Report;
    await expect(writeReportFiles(misplaced, dir, ['csv'])).rejects.toThrow(/other than .*open.* in suppressed/);
    expect(await readdir(dir)).toEqual([]);
  });
});
