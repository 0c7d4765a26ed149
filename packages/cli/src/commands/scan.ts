// `finops scan`: queue one scan for running workers; `--wait` follows it to its report.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVICE_NAMES, UsageError, type ServiceName } from '@finops/core';
import { bootstrap, startScan, waitForScan } from '@finops/pipeline';
import type { Report } from '@finops/reports';
import { ProgressPrinter, formatProgress } from '../progress.js';
import { formatSummary } from '../summary.js';

export interface ScanCommandOptions {
  config?: string;
  services?: string;
  regions?: string;
  accounts?: string;
  wait?: boolean;
  json?: boolean;
}

function list(value: string | undefined): string[] | undefined {
  return value?.split(',').map((v) => v.trim()).filter(Boolean);
}

export function parseServices(value: string | undefined): ServiceName[] | undefined {
  const services = list(value);
  const unknown = services?.filter((s) => !SERVICE_NAMES.includes(s as ServiceName));
  if (unknown?.length) throw new UsageError(`--services: unknown service ${unknown.join(', ')}`, { hint: `use a comma list of ${SERVICE_NAMES.join(', ')}` });
  return services as ServiceName[] | undefined;
}

export async function scanCommand(options: ScanCommandOptions): Promise<number> {
  const services = parseServices(options.services);
  const ctx = await bootstrap({ service: 'cli', argv: options.config ? ['--config', options.config] : [] });
  try {
    const plan = await startScan(ctx, { trigger: 'cli', services, regions: list(options.regions), accounts: list(options.accounts) });
    if (!options.wait) {
      process.stdout.write(options.json ? `${JSON.stringify({ scanId: plan.scanId, status: 'queued' })}\n` : `queued scan ${plan.scanId}\n`);
      return 0;
    }
    const printer = new ProgressPrinter();
    const started = Date.now();
    const progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, {
      onProgress: (p) => !options.json && printer.update(formatProgress(p, Date.now() - started)),
    });
    printer.done();
    if (progress.status !== 'completed' || !progress.reportDir) {
      process.stdout.write(options.json ? `${JSON.stringify(progress)}\n` : `scan ${plan.scanId} ${progress.status}: ${progress.failedJobs.map((j) => `${j.id}: ${j.reason}`).join('; ')}\n`);
      return 1;
    }
    const report = JSON.parse(await readFile(join(progress.reportDir, 'report.json'), 'utf8')) as Report;
    process.stdout.write(options.json ? `${JSON.stringify({ scanId: plan.scanId, reportDir: progress.reportDir, totals: report.totals, errors: report.errors.length })}\n` : `${formatSummary(report, { reportDir: progress.reportDir })}\n`);
    return report.errors.length ? 1 : 0;
  } finally {
    await ctx.close();
  }
}
