// `finops dismiss <recId> --reason "…" [--until 2027-01-31]`: leave a recommendation out of totals and notifications.
import type { Command } from 'commander';
import { EXIT, UsageError } from '@finops/core';
import { dismissRecommendation, trackingStoreFor } from '@finops/pipeline';
import { openContext, optionsOf, printResult, type CommandRegistration } from '../cli-runtime.js';

export const registerDismiss: CommandRegistration = (program, cli) => {
  program
    .command('dismiss')
    .argument('<recId>', 'the recommendation id (rec_…), as in report.json or recommendations.csv')
    .description('dismiss a recommendation: the next reports list it as suppressed with the reason, out of totals and notifications')
    .option('--reason <text>', 'why (required)')
    .option('--until <date>', 'end of the dismissal: a date (through that day, UTC) or an ISO time; default: until revoked')
    .option('--undo', 'revoke the dismissal instead')
    .action(async (recId: string, _o, command: Command) => {
      const o = optionsOf<{ reason?: string; until?: string; undo?: boolean }>(command);
      if (!o.undo && !o.reason) throw new UsageError('--reason is required', { hint: 'finops dismiss rec_… --reason "kept for the Q1 migration" [--until 2027-01-31]' });
      const ctx = await openContext(o, { service: 'cli' });
      try {
        const tracking = trackingStoreFor(ctx);
        if (o.undo) {
          const revoked = await tracking.undismiss(recId);
          printResult(o, revoked ? `${recId} is no longer dismissed` : `${recId} was not dismissed`, { id: recId, revoked });
          cli.setCode(revoked ? EXIT.ok : EXIT.usage);
          return;
        }
        const { record, dismissal } = await dismissRecommendation(tracking, { id: recId, reason: o.reason ?? '', until: o.until, by: 'cli' }, new Date());
        const what = `${record.recommendation.checkId} on ${record.recommendation.resourceId} (${record.recommendation.accountId}, ${record.recommendation.region})`;
        printResult(o, `dismissed ${recId}: ${what}${dismissal.until ? ` until ${dismissal.until}` : ' until revoked'}`, { id: recId, dismissal });
        cli.setCode(EXIT.ok);
      } finally {
        await ctx.close();
      }
    });
};
