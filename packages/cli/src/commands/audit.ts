// `finops audit`: the remediation audit trail, newest first, filterable by resource, account, run and time.
import type { Command } from 'commander';
import { EXIT, UsageError } from '@finops/core';
import { remediationDeps } from '@finops/pipeline';
import { remediationStores, type AuditEntry } from '@finops/remediation';
import { optionsOf, printResult, type CommandRegistration } from '../cli-runtime.js';
import { remediationContext } from './apply.js';

interface AuditFlags {
  resource?: string;
  account?: string;
  run?: string;
  action?: string;
  since?: string;
  until?: string;
  limit?: string;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO time, or a duration back from now: `30m`, `24h`, `7d`. */
export function parseTime(value: string | undefined, flag: string, now: Date = new Date()): Date | undefined {
  if (value === undefined) return undefined;
  const relative = /^(\d+)([mhd])$/.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (UNITS[relative[2]!] as number));
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`${flag}: expected an ISO time or a duration such as 24h or 7d, got "${value}"`);
  return new Date(time);
}

function entryLine(e: AuditEntry): string {
  const what = [e.actionType, e.resourceId && `${e.resourceId} (${e.accountId}/${e.region})`].filter(Boolean).join(' on ');
  const ids = [e.actionId, e.recommendationId, e.runId].filter(Boolean).join(' ');
  return `${e.at}  ${e.event.padEnd(15)} ${e.mode ? `${e.mode.padEnd(8)}` : ''.padEnd(8)} ${e.actor}  ${what}\n    ${e.result}${e.requestIds?.length ? `  [request ids ${e.requestIds.join(', ')}]` : ''}${ids ? `\n    ${ids}` : ''}`;
}

export const registerAudit: CommandRegistration = (program, cli) => {
  program
    .command('audit')
    .description('the remediation audit trail: dry runs, live actions, approvals, rejections and rollbacks, newest first')
    .option('--resource <id>', 'only entries about this resource')
    .option('--account <id>', 'only entries of this account')
    .option('--run <runId>', 'only entries of this remediation run')
    .option('--action <actionId>', 'only entries of this action')
    .option('--since <time>', 'from this time: ISO, or a duration back from now (24h, 7d)')
    .option('--until <time>', 'up to this time: ISO, or a duration back from now')
    .option('--limit <n>', 'most entries shown', '50')
    .action(async (_o, command: Command) => {
      const o = optionsOf<AuditFlags>(command);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit <= 0) throw new UsageError(`--limit: expected a positive integer, got "${o.limit}"`);
      const query = {
        ...(o.resource ? { resourceId: o.resource } : {}),
        ...(o.account ? { accountId: o.account } : {}),
        ...(o.run ? { runId: o.run } : {}),
        ...(o.action ? { actionId: o.action } : {}),
        ...(o.since ? { since: parseTime(o.since, '--since') } : {}),
        ...(o.until ? { until: parseTime(o.until, '--until') } : {}),
        limit,
      };
      const ctx = await remediationContext(o);
      try {
        const entries = await remediationStores(remediationDeps(ctx.deps)).audit.list(query);
        printResult(o, entries.length ? entries.map(entryLine).join('\n') : 'No audit entries match.', { entries });
        cli.setCode(EXIT.ok);
      } finally {
        await ctx.close();
      }
    });
};
