// `finops approve <ids…>`: approve recommendations for live remediation, in the state their scan saw.
import type { Command } from 'commander';
import { EXIT } from '@finops/core';
import { remediationDeps } from '@finops/pipeline';
import { decide, defaultActor, type ApprovalRecord } from '@finops/remediation';
import { optionsOf, printResult, type CliRuntime, type CommandRegistration } from '../cli-runtime.js';
import { remediationContext } from './apply.js';

export interface DecisionFlags {
  scan?: string;
  actor?: string;
  reason?: string;
}

function decisionLine(record: ApprovalRecord): string {
  return `${record.decision} ${record.recommendationId} (${record.actionType} on ${record.resourceId}, ${record.accountId}/${record.region}) by ${record.actor} at ${record.at}${record.reason ? `: ${record.reason}` : ''} — for state ${record.stateDigest.slice(0, 12)} of scan ${record.scanId}`;
}

/** Records one decision on each id; shared by `approve` and `reject`. */
export async function runDecision(cli: CliRuntime, command: Command, ids: string[], decision: ApprovalRecord['decision']): Promise<void> {
  const o = optionsOf<DecisionFlags>(command);
  const ctx = await remediationContext(o);
  try {
    const records = await decide(remediationDeps(ctx.deps, ctx.logger), {
      recommendationIds: ids,
      decision,
      actor: o.actor ?? defaultActor(),
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.scan ? { scanId: o.scan } : {}),
    });
    const note = decision === 'approved' ? '\nAn approval is for this state: if the resource changes before the action runs, it is void.' : '';
    printResult(o, `${records.map(decisionLine).join('\n')}${note}`, { decisions: records });
    cli.setCode(EXIT.ok);
  } finally {
    await ctx.close();
  }
}

export const registerApprove: CommandRegistration = (program, cli) => {
  program
    .command('approve <recommendationIds...>')
    .description('approve recommendations for a live run (needed from safety.approvalRequiredFrom risk, or while a budget requires it)')
    .option('--scan <scanId>', 'the scan whose recommendations are approved (default: the newest completed)')
    .option('--actor <who>', 'who approves, for the audit trail (default: $USER@host)')
    .option('--reason <text>', 'why')
    .action((ids: string[], _o, command: Command) => runDecision(cli, command, ids, 'approved'));
};
