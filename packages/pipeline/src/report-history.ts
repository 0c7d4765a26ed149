// Reports of earlier scans: the latest one, and the one before a given scan (for diffs and "new" notifications).
import { createReadStream } from 'node:fs';
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
  const before = await completedScanBefore(store, startedAt);
  return before ? readReportFile(before.reportDir).catch(() => undefined) : undefined;
}

/** The newest completed scan (with a report) that started before `startedAt`. */
async function completedScanBefore(store: ScanStore, startedAt: string): Promise<(ScanRecord & { reportDir: string }) | undefined> {
  return (await completedScans(store)).find((s) => s.plan.startedAt < startedAt);
}

/**
 * A line of report.json as JSON.stringify(report, null, 2) indents it (each line's indent its depth): a top-level
 * key (2 spaces), or the id of an object in a top-level list (6 spaces), as a JSON string.
 */
const REPORT_LINE = /\n(?: {2}"((?:[^"\\\n]|\\.)*)":| {6}"id": ("(?:[^"\\\n]|\\.)*"))/g;

/**
 * Which of `ids` report.json of `reportDir` lists, open or suppressed. Read a megabyte at a time, never whole: a
 * report of 100k recommendations is over 100 MB of JSON and several times that parsed. A file not indented as the
 * report writers indent it is parsed whole.
 */
export async function listedRecommendationIds(reportDir: string, ids: ReadonlySet<string>): Promise<Set<string>> {
  const found = new Set<string>();
  if (ids.size === 0) return found;
  const path = join(reportDir, 'report.json');
  let rest = '';
  let key: string | undefined;
  let started = false;
  const scan = (text: string) => {
    for (const match of text.matchAll(REPORT_LINE)) {
      if (match[1] !== undefined) key = match[1];
      else if (key === 'recommendations' || key === 'suppressed') {
        const id = JSON.parse(match[2] as string) as string;
        if (ids.has(id)) found.add(id);
      }
    }
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    if (!started) {
      if (text.length < 4) {
        rest = text;
        continue;
      }
      if (!text.startsWith('{\n  "')) {
        const report = await readReportFile(reportDir);
        for (const r of [...report.recommendations, ...(report.suppressed ?? [])]) if (ids.has(r.id)) found.add(r.id);
        return found;
      }
      started = true;
    }
    // Whole lines only: the last, perhaps cut, waits for the next chunk (a match starts at a line break).
    const cut = text.lastIndexOf('\n');
    scan(text.slice(0, Math.max(cut, 0)));
    rest = cut === -1 ? text : text.slice(cut);
  }
  scan(rest);
  return found;
}

/**
 * Which of `ids` the report of the newest completed scan before `startedAt` lists: none when there is no such
 * scan or its report cannot be read (as reportBefore finds none).
 */
export async function listedBefore(store: ScanStore, startedAt: string, ids: ReadonlySet<string>): Promise<Set<string>> {
  if (ids.size === 0) return new Set();
  const before = await completedScanBefore(store, startedAt);
  return before ? listedRecommendationIds(before.reportDir, ids).catch(() => new Set<string>()) : new Set();
}
