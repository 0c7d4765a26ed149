// `finops scan` and `finops optimize`: run a scan (following its progress to the report) or queue it; --continuous repeats.
import type { Command } from 'commander';
import { EXIT } from '@finops/core';
import { startScan, type ScanOptions, type ServiceContext } from '@finops/pipeline';
import { list, openContext, optionsOf, parseInterval, parseServices, printResult, type CliRuntime, type CommandRegistration, type GlobalOptions } from '../cli-runtime.js';
import { optimizationReport } from '../report-types.js';
import { ensureWorkers } from '../local-workers.js';
import { describeIncomplete, runScan, type ScanRun } from '../scan-runner.js';
import { formatSummary } from '../summary.js';

interface ScanFlags {
  wait?: boolean;
  local?: boolean;
  continuous?: boolean;
}

function scanOptions(o: GlobalOptions, trigger: string, purpose?: ScanOptions['purpose']): ScanOptions {
  return {
    trigger,
    ...(purpose ? { purpose } : {}),
    services: parseServices(o.services),
    regions: list(o.regions),
    accounts: list(o.accounts),
    // The scan's mode comes from safety.dryRun; --live cannot turn a dry-run configuration live, --dry-run always wins.
    ...(o.dryRun ? { dryRun: true } : {}),
  };
}

function jsonResult(run: ScanRun): unknown {
  return {
    scanId: run.scanId,
    status: run.progress.status,
    reportDir: run.progress.reportDir,
    copiedTo: run.copiedTo,
    totals: run.report?.totals,
    errors: run.report?.errors,
    failedJobs: run.progress.failedJobs,
  };
}

/** Prints one finished scan: the summary (scan) or the recommendations (optimize). */
function printRun(o: GlobalOptions, run: ScanRun, view: 'summary' | 'recommendations'): void {
  if (o.json) return printResult(o, '', jsonResult(run));
  if (!run.report || !run.progress.reportDir) return printResult(o, describeIncomplete(run), undefined);
  const text =
    view === 'summary'
      ? formatSummary(run.report, { reportDir: run.progress.reportDir })
      : `${optimizationReport.render(run.report).text}\nReport: ${run.progress.reportDir}`;
  printResult(o, `${text}${run.copiedTo ? `\nCopied to: ${run.copiedTo}` : ''}`, undefined);
}

async function once(ctx: ServiceContext, o: GlobalOptions & ScanFlags, view: 'summary' | 'recommendations', trigger: string): Promise<number> {
  if (o.wait === false) {
    const plan = await startScan(ctx, scanOptions(o, trigger));
    printResult(o, `queued scan ${plan.scanId}: follow it with \`finops console\` (scans) or GET /api/scans/${plan.scanId}`, { scanId: plan.scanId, status: 'queued' });
    return EXIT.ok;
  }
  const run = await runScan(ctx, { scan: scanOptions(o, trigger), local: o.local, quiet: o.json, output: o.output });
  printRun(o, run, view);
  return run.exitCode;
}

/**
 * The seed's `--continuous [--interval M]`: a monitoring scan every M minutes (default schedules.monitoring.everyMinutes)
 * until Ctrl-C. A run still going when the next is due delays it: runs never overlap.
 */
async function continuous(ctx: ServiceContext, o: GlobalOptions & ScanFlags): Promise<number> {
  const minutes = parseInterval(o.interval, ctx.config.schedules.monitoring.everyMinutes);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let code: number = EXIT.ok;
  // Started once for the whole loop: a worker's name stays on the shared connection after it closes, so a
  // second look for running workers would find this process's own.
  const workers = await ensureWorkers(ctx, list(o.regions) ?? (await ctx.aws.regions()), o.local ?? false);
  try {
    while (!stop.signal.aborted) {
      const started = Date.now();
      const scan = scanOptions(o, 'cli:continuous', 'monitor');
      const run = await runScan(ctx, { scan, workersStarted: true, quiet: o.json, output: o.output, signal: stop.signal });
      code = run.exitCode;
      if (o.json) process.stdout.write(`${JSON.stringify(jsonResult(run))}\n`);
      else process.stdout.write(`${new Date().toISOString()} ${run.report ? `scan ${run.scanId}: ${run.report.inventory.total} resources, ${run.report.totals.recommendations} recommendations, ${run.report.errors.length} errors` : describeIncomplete(run)}\n`);
      const wait = Math.max(0, minutes * 60_000 - (Date.now() - started));
      if (!o.json) process.stderr.write(`next run in ${Math.round(wait / 1000)}s (Ctrl-C stops)\n`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        stop.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await workers.close();
  }
  return code;
}

async function scanAction(command: Command, cli: CliRuntime, view: 'summary' | 'recommendations'): Promise<void> {
  const o = optionsOf<ScanFlags>(command);
  const ctx = await openContext(o, { service: 'cli' });
  try {
    cli.setCode(o.continuous ? await continuous(ctx, o) : await once(ctx, o, view, 'cli'));
  } finally {
    await ctx.close();
  }
}

function scanFlags(command: Command): Command {
  return command
    .option('--wait', 'follow the scan to its report (the default)')
    .option('--no-wait', 'queue the scan and return at once')
    .option('--local', 'run the workers in this process even when others are running')
    .option('--continuous', 'repeat: a monitoring scan every --interval minutes until Ctrl-C');
}

export const registerScan: CommandRegistration = (program, cli) => {
  scanFlags(
    program
      .command('scan')
      .description('scan the accounts and regions (--services, --regions, --accounts narrow it) and print the summary'),
  ).action(async (_o, command: Command) => scanAction(command, cli, 'summary'));
};

export const registerOptimize: CommandRegistration = (program, cli) => {
  scanFlags(program.command('optimize').description('scan, then print the recommendations and their savings')).action(async (_o, command: Command) =>
    scanAction(command, cli, 'recommendations'),
  );
};
