// Reports of earlier scans: the latest one, and the one before a given scan (for diffs and "new" notifications).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@finops/core';
import type { ScanRecord, ScanStore } from '@finops/queues';
import type { Report } from '@finops/reports';

/** How many recent scans are searched for a completed one. */
const HISTORY = 200;

/**
 * report.json of a report directory. Not re-validated against the current schema: a report written by an older
 * version of the contract is still a report to compare with (its fields are a subset).
 */
export async function readReportFile(reportDir: string): Promise<Report> {
  const path = join(reportDir, 'report.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'the report directory was moved or deleted (reporting.outputDir must be shared by the reporter and the API)',
    });
  }
  const report = JSON.parse(text) as Report;
  if (typeof report?.scanId !== 'string' || !Array.isArray(report.recommendations)) throw new UsageError(`${path} is not a scan report`);
  return report;
}

/** Completed scans with a report, newest first. */
export async function completedScans(store: ScanStore, limit = HISTORY): Promise<(ScanRecord & { reportDir: string })[]> {
  return (await store.listScans(limit)).filter((s): s is ScanRecord & { reportDir: string } => s.status === 'completed' && !!s.reportDir);
}

/** The newest completed scan's report, or undefined when no scan has completed (or its data expired). */
export async function latestReport(store: ScanStore): Promise<Report | undefined> {
  const [latest] = await completedScans(store, 50);
  return latest ? readReportFile(latest.reportDir) : undefined;
}

/** The report of the newest completed scan that started before `startedAt` (ISO time). */
export async function reportBefore(store: ScanStore, startedAt: string): Promise<Report | undefined> {
  const before = (await completedScans(store)).find((s) => s.plan.startedAt < startedAt);
  return before ? readReportFile(before.reportDir).catch(() => undefined) : undefined;
}
