// `finops apply [ids…]`: one remediation run — a dry run unless --live and safety.dryRun: false — followed to its end.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { EXIT, UsageError } from '@finops/core';
import { remediationDeps, startRoleWorkers, type ServiceContext } from '@finops/pipeline';
import { jobQueueName } from '@finops/queues';
import { defaultActor, previewRun, startRun, waitForRun, type ActionRecord, type RunPreview, type RunProgress } from '@finops/remediation';
import { formatUsd } from '@finops/reports';
import { openContext, optionsOf, printResult, type CommandRegistration, type GlobalOptions } from '../cli-runtime.js';

interface ApplyFlags {
  scan?: string;
  actor?: string;
  yes?: boolean;
  wait?: boolean;
  local?: boolean;
}

/**
 * A context for the remediation commands. The global --live/--dry-run are left out of the configuration: for
 * remediation, --live is a request that safety.dryRun: false in the config must also allow, never an override of it.
 */
export function remediationContext(o: GlobalOptions): Promise<ServiceContext> {
  if (o.live && o.dryRun) throw new UsageError('--live and --dry-run contradict each other', { hint: 'pass one of them' });
  return openContext({ ...o, live: undefined, dryRun: undefined }, { service: 'cli' });
}

/** Runs the optimizer role's workers here when no worker serves the remediation queue (or with --local). */
export async function ensureRemediationWorkers(ctx: ServiceContext, force: boolean): Promise<{ close(): Promise<void> }> {
  const served = (await ctx.queues.get(jobQueueName('remediate')).getWorkersCount()) > 0;
  if (served && !force) return { close: async () => {} };
  ctx.logger.info('no worker serves the remediation queue: running the optimizer workers in this process');
  const workers = await startRoleWorkers(ctx, 'optimizer');
  return { close: () => workers.close() };
}

async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes)$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

function previewText(preview: RunPreview): string {
  const lines = [`${preview.mode === 'live' ? 'LIVE' : 'Dry'} run on scan ${preview.scanId}: ${preview.actions} action(s), ${formatUsd(preview.monthlySavingsUsd)}/month`];
  for (const [status, bucket] of Object.entries(preview.byStatus)) {
    if (status !== 'ready' && bucket) lines.push(`  ${status}: ${bucket.count} (${formatUsd(bucket.monthlySavingsUsd)}/month)`);
  }
  return lines.join('\n');
}

function actionLine(action: ActionRecord): string {
  const where = `${action.resourceId} (${action.accountId}/${action.region})`;
  const detail =
    action.status === 'planned'
      ? `would call ${(action.plannedCalls ?? []).filter((c) => !c.note?.startsWith('waiter') && !c.note?.startsWith('poll')).map((c) => c.api).join(', ')}${action.reason ? `; ${action.reason}` : ''}`
      : action.status === 'applied'
        ? `request ids ${(action.requestIds ?? []).join(', ') || '—'}${action.notes?.length ? `; ${action.notes.join('; ')}` : ''}`
        : (action.reason ?? '');
  return `  ${action.status.padEnd(15)} ${action.actionId}  ${action.actionType.padEnd(26)} ${where}  ${formatUsd(action.monthlySavingsUsd)}/mo${action.replayed ? ' (reported again)' : ''}\n      ${detail}`;
}

function progressText(progress: RunProgress): string {
  const { run } = progress;
  const counts = Object.entries(progress.counts).map(([status, n]) => `${n} ${status}`).join(', ') || 'nothing to do';
  const lines = [`run ${run.runId} (${run.mode}) on scan ${run.scanId} by ${run.actor}: ${counts}`];
  for (const batch of progress.batches) for (const action of batch.actions) lines.push(actionLine(action));
  for (const job of progress.failedJobs) lines.push(`  job ${job.id} failed: ${job.reason} — retry it in Bull Board once the cause is fixed`);
  lines.push(run.mode === 'dry-run' ? 'Dry run: nothing was changed. Every call above is in `finops audit --run <runId>`.' : `Undo an action with \`finops rollback <actionId>\`.`);
  return lines.join('\n');
}

async function apply(ctx: ServiceContext, o: GlobalOptions & ApplyFlags, ids: string[]): Promise<number> {
  const deps = remediationDeps(ctx.deps, ctx.logger);
  const request = { ...(o.scan ? { scanId: o.scan } : {}), ...(ids.length ? { recommendationIds: ids } : {}), live: Boolean(o.live), actor: o.actor ?? defaultActor(), trigger: 'cli' };
  const preview = await previewRun(deps, request);
  if (preview.unknownActionTypes.length) process.stderr.write(`warning: no executor knows ${preview.unknownActionTypes.join(', ')} (safety.allowedActions / autoApprove)\n`);
  if (preview.mode === 'live' && !o.yes && process.stdin.isTTY && process.stderr.isTTY) {
    process.stderr.write(`${previewText(preview)}\n`);
    if (!(await confirm(`Apply ${preview.actions} action(s) saving ${formatUsd(preview.monthlySavingsUsd)}/month in AWS now? [y/N] `))) {
      printResult(o, 'cancelled: nothing was changed', { status: 'cancelled', preview });
      return EXIT.ok;
    }
  }
  const local = o.wait === false ? { close: async () => {} } : await ensureRemediationWorkers(ctx, o.local ?? false);
  try {
    const run = await startRun(deps, request);
    if (o.wait === false) {
      printResult(o, `queued ${run.mode} run ${run.runId} on scan ${run.scanId} (${run.partitions.length} account/region job(s))`, { run, preview });
      return EXIT.ok;
    }
    const progress = await waitForRun(deps, run.runId);
    printResult(o, () => progressText(progress), progress);
    return (progress.counts.failed ?? 0) > 0 || progress.status !== 'completed' ? EXIT.partial : EXIT.ok;
  } finally {
    await local.close();
  }
}

export const registerApply: CommandRegistration = (program, cli) => {
  program
    .command('apply [recommendationIds...]')
    .description('act on a scan\'s recommendations: a dry run by default; live needs --live and safety.dryRun: false (asks first in a terminal)')
    .option('--scan <scanId>', 'the scan whose recommendations to act on (default: the newest completed)')
    .option('--actor <who>', 'who starts the run, for the audit trail (default: $USER@host)')
    .option('--yes', 'do not ask for confirmation before a live run')
    .option('--no-wait', 'queue the run for the workers and return')
    .option('--local', 'run the remediation jobs in this process even when workers run elsewhere')
    .action(async (ids: string[], _o, command: Command) => {
      const o = optionsOf<ApplyFlags>(command);
      const ctx = await remediationContext(o);
      try {
        cli.setCode(await apply(ctx, o, ids));
      } finally {
        await ctx.close();
      }
    });
};
