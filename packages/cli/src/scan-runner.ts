// One scan from the command line: start it, follow its progress, read its report, copy it, pick the exit code.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXIT } from '@finops/core';
import { startScan, waitForScan, type ScanOptions, type ScanProgress, type ServiceContext } from '@finops/pipeline';
import type { Report } from '@finops/reports';
import { ensureWorkers } from './local-workers.js';
import { ScanProgressView } from './progress.js';

export interface ScanRun {
  scanId: string;
  progress: ScanProgress;
  /** Present when the scan completed. */
  report?: Report;
  /** Where the report files were copied (--output). */
  copiedTo?: string;
  exitCode: number;
}

export interface RunScanOptions {
  scan: ScanOptions;
  /** Start in-process workers even when others run. */
  local?: boolean;
  /** Leave the workers to the caller (a loop that keeps its in-process workers across runs). */
  workersStarted?: boolean;
  /** No progress display (--json: stdout gets one JSON result, stderr no progress lines). */
  quiet?: boolean;
  /** Copy the report files here. */
  output?: string;
  signal?: AbortSignal;
}

/** Reads a completed scan's report.json. */
export async function readReport(reportDir: string): Promise<Report> {
  return JSON.parse(await readFile(join(reportDir, 'report.json'), 'utf8')) as Report;
}

/** Copies report.json and the other files the reporter wrote to `dir`. */
export async function copyReport(reportDir: string, dir: string): Promise<string> {
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  for (const file of ['report.json', 'report.md', 'recommendations.csv', 'report.html']) {
    await copyFile(join(reportDir, file), join(target, file)).catch((error: NodeJS.ErrnoException) => {
      // Only report.json is always written (reporting.formats decides the others).
      if (error.code !== 'ENOENT' || file === 'report.json') throw error;
    });
  }
  return target;
}

/**
 * Exit codes: 0 completed without errors; 1 completed with errors in some partitions, or stalled on a failed
 * job (retry it in Bull Board), or failed.
 */
export function scanExitCode(progress: ScanProgress, report: Report | undefined): number {
  if (progress.status !== 'completed' || !report) return EXIT.partial;
  return report.errors.length ? EXIT.partial : EXIT.ok;
}

export async function runScan(ctx: ServiceContext, options: RunScanOptions): Promise<ScanRun> {
  const regions = options.scan.regions ?? (await ctx.aws.regions());
  const local = options.workersStarted ? { started: false, close: async () => {} } : await ensureWorkers(ctx, regions, options.local ?? false);
  try {
    const plan = await startScan(ctx, options.scan);
    const view = options.quiet ? undefined : new ScanProgressView(Date.now());
    if (!options.quiet) process.stderr.write(`scan ${plan.scanId}: ${plan.accounts.length} account(s) × ${plan.regions.length} region(s) × ${plan.kinds.length} kind(s)${local.started ? ' (workers in this process)' : ''}\n`);
    let progress: ScanProgress;
    try {
      progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, {
        signal: options.signal,
        onProgress: (p) => view?.show(p),
        onError: (error) => ctx.logger.debug({ err: error.message }, 'job event stream error: progress comes from the periodic reads meanwhile'),
      });
    } finally {
      view?.done();
    }
    const report = progress.status === 'completed' && progress.reportDir ? await readReport(progress.reportDir) : undefined;
    const copiedTo = report && options.output ? await copyReport(progress.reportDir!, options.output) : undefined;
    return { scanId: plan.scanId, progress, report, copiedTo, exitCode: scanExitCode(progress, report) };
  } finally {
    await local.close();
  }
}

/** The lines to print about a scan that did not complete: which job failed and why, and what to do. */
export function describeIncomplete(run: ScanRun): string {
  const lines = [`scan ${run.scanId} ${run.progress.status}`];
  for (const job of run.progress.failedJobs) lines.push(`  failed job ${job.id} on ${job.queue}: ${job.reason}`);
  if (run.progress.failedJobs.length) lines.push('  fix the cause, then retry the failed jobs in Bull Board (/admin/queues): the scan resumes');
  return lines.join('\n');
}
