// `finops rollback <actionId>`: undo what an applied action changed, as far as it can be undone, and say what cannot.
import type { Command } from 'commander';
import { EXIT, UsageError } from '@finops/core';
import { remediationDeps } from '@finops/pipeline';
import { actionRecord, defaultActor, finishedRollback, requestRollback, waitForRollback, type RollbackRecord } from '@finops/remediation';
import { optionsOf, printResult, type CommandRegistration } from '../cli-runtime.js';
import { ensureRemediationWorkers, remediationContext } from './apply.js';

interface RollbackFlags {
  actor?: string;
  wait?: boolean;
  local?: boolean;
  timeout?: string;
}

function alreadyLine(r: RollbackRecord): string {
  return `already rolled back at ${r.at} by ${r.by} (${r.status}: ${r.message}); nothing to do`;
}

/** Seconds to wait for the rollback job: its longest undo is a stop and a start, each waited for up to waitTimeoutSec. */
function timeoutSeconds(flag: string | undefined, waitTimeoutSec: number): number {
  if (flag === undefined) return 2 * waitTimeoutSec + 60;
  const seconds = Number(flag);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout ${flag} is not a number of seconds greater than 0`, { hint: 'e.g. --timeout 600' });
  return seconds;
}

export const registerRollback: CommandRegistration = (program, cli) => {
  program
    .command('rollback <actionId>')
    .description('undo an applied action where possible (previous type, a deleted volume from its snapshot…) and explain what cannot be undone')
    .option('--actor <who>', 'who asks, for the audit trail (default: $USER@host)')
    .option('--no-wait', 'queue the rollback for the workers and return')
    .option('--local', 'run the rollback job in this process even when workers run elsewhere')
    .option('--timeout <seconds>', 'how long to wait for the rollback job (default: 2 × safety.waitTimeoutSec + 60)')
    .action(async (actionId: string, _o, command: Command) => {
      const o = optionsOf<RollbackFlags>(command);
      const ctx = await remediationContext(o);
      try {
        const deps = remediationDeps(ctx.deps, ctx.logger);
        const timeoutSec = timeoutSeconds(o.timeout, ctx.config.safety.waitTimeoutSec);
        // A finished rollback is final: asked again, it is reported without queuing a job that could only repeat it.
        const current = await actionRecord(deps, actionId);
        const finished = finishedRollback(current);
        if (finished && current) {
          printResult(o, alreadyLine(finished), current);
          return cli.setCode(EXIT.ok);
        }
        const local = o.wait === false ? { close: async () => {} } : await ensureRemediationWorkers(ctx, o.local ?? false);
        try {
          const queued = await requestRollback(deps, { actionId, actor: o.actor ?? defaultActor() });
          if (o.wait === false) {
            printResult(o, `queued rollback of ${actionId} (job ${queued.jobId})`, queued);
            return cli.setCode(EXIT.ok);
          }
          const wait = await waitForRollback(deps, queued, { timeoutMs: timeoutSec * 1000, ...(current?.rollback ? { previous: current.rollback } : {}) });
          if (wait.outcome === 'finished') {
            const r = wait.record.rollback!;
            const line = wait.earlier ? alreadyLine(r) : `${r.status}: ${r.message}${r.requestIds?.length ? `\nrequest ids: ${r.requestIds.join(', ')}` : ''}`;
            printResult(o, line, wait.record);
            return cli.setCode(r.status === 'failed' ? EXIT.partial : EXIT.ok);
          }
          if (wait.outcome === 'job-failed') {
            printResult(o, `rollback job ${wait.jobId} failed: ${wait.reason} — retry it in Bull Board (/admin/queues, queue \`remediation\`) once the cause is fixed`, wait);
            return cli.setCode(EXIT.partial);
          }
          printResult(
            o,
            `rollback of ${actionId} not finished after ${timeoutSec} s (job ${wait.jobId} is ${wait.state}): check the job in Bull Board (/admin/queues, queue \`remediation\`) ` +
              'and that the optimizer workers serving that queue are running (`finops workers --role optimizer`); the job stays queued: ' +
              `\`finops audit --action ${actionId}\` or GET /api/remediation/actions/${actionId} shows its result`,
            wait,
          );
          return cli.setCode(EXIT.partial);
        } finally {
          await local.close();
        }
      } finally {
        await ctx.close();
      }
    });
};
