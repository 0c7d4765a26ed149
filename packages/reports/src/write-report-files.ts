// Writes a report's files into a directory, each atomically (temp file + rename): readers never see half a file.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { REPORT_FORMATS } from './report-formats.js';
import type { ReportFormat } from './report-formats.js';
import { reportSchema } from './report-schema.js';
import type { Report } from './report-schema.js';

async function writeAtomic(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes report.json (always) and the other requested formats into `dir`, creating it.
 * Returns the absolute paths written, json first.
 * @example await writeReportFiles(report, 'reports/scan-1', ['md', 'csv'])
 */
export async function writeReportFiles(report: Report, dir: string, formats: readonly ReportFormat[]): Promise<string[]> {
  // A report that breaks the contract must not reach disk, whoever built it.
  reportSchema.parse(report);
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const wanted = new Set<ReportFormat>(['json', ...formats]);
  const written: string[] = [];
  for (const format of Object.keys(REPORT_FORMATS) as ReportFormat[]) {
    if (!wanted.has(format)) continue;
    const spec = REPORT_FORMATS[format];
    const path = join(target, spec.fileName);
    await writeAtomic(path, spec.render(report));
    written.push(path);
  }
  return written;
}
