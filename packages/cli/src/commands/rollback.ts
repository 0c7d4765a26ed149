// `finops rollback <actionId>`: undo what an applied action changed, as far as it can be undone, and say what cannot.
import type { Command } from 'commander';
import { EXIT } from '@finops/core';
import { remediationDeps } from '@finops/pipeline';
import { jobQueueName } from '@finops/queues';
import { actionRecord, defaultActor, requestRollback } from '@finops/remediation';
import { optionsOf, printResult, type CommandRegistration } from '../cli-runtime.js';
import { ensureRemediationWorkers, remediationContext } from './apply.js';

interface RollbackFlags {
  actor?: string;
  wait?: boolean;
  local?: boolean;
}

export const registerRollback: CommandRegistration = (program, cli) => {
  program
    .command('rollback <actionId>')
    .description('undo an applied action where possible (previous type, a deleted volume from its snapshot…) and explain what cannot be undone')
    .option('--actor <who>', 'who asks, for the audit trail (default: $USER@host)')
    .option('--no-wait', 'queue the rollback for the workers and return')
    .option('--local', 'run the rollback job in this process even when workers run elsewhere')
    .action(async (actionId: string, _o, command: Command) => {
      const o = optionsOf<RollbackFlags>(command);
      const ctx = await remediationContext(o);
      try {
        const deps = remediationDeps(ctx.deps, ctx.logger);
        const local = o.wait === false ? { close: async () => {} } : await ensureRemediationWorkers(ctx, o.local ?? false);
        try {
          const { jobId, payload } = await requestRollback(deps, { actionId, actor: o.actor ?? defaultActor() });
          if (o.wait === false) {
            printResult(o, `queued rollback of ${actionId} (job ${jobId})`, { jobId, payload });
            return cli.setCode(EXIT.ok);
          }
          const queue = ctx.queues.get(jobQueueName('rollback-action'));
          for (;;) {
            const job = await queue.getJob(jobId);
            const state = job ? await job.getState() : 'unknown';
            const record = await actionRecord(deps, actionId);
            if (record?.rollback && record.rollback.at >= payload.requestedAt) {
              const r = record.rollback;
              printResult(o, `${r.status}: ${r.message}${r.requestIds?.length ? `\nrequest ids: ${r.requestIds.join(', ')}` : ''}`, record);
              return cli.setCode(r.status === 'failed' ? EXIT.partial : EXIT.ok);
            }
            if (state === 'failed') {
              printResult(o, `rollback job ${jobId} failed: ${job?.failedReason ?? 'unknown'} — retry it in Bull Board once the cause is fixed`, { jobId, failedReason: job?.failedReason });
              return cli.setCode(EXIT.partial);
            }
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
        } finally {
          await local.close();
        }
      } finally {
        await ctx.close();
      }
    });
};
