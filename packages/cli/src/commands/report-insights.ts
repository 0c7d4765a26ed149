// `finops report --type anomaly|budget` (report types over report.json), and `finops budgets approvals|approve|reject`
// for the approval requests budgets open.
import type { Command } from 'commander';
import { usdPerDay } from '@finops/anomalies';
import { budgetsRequiringApproval } from '@finops/budgets';
import { EXIT, UsageError } from '@finops/core';
import { InsightState } from '@finops/pipeline';
import { formatUsd, rootCauseText, type Report } from '@finops/reports';
import { openContext, optionsOf, printResult, type CommandRegistration } from '../cli-runtime.js';
import type { ReportType } from '../report-types.js';

const money = (usd: number | null) => (usd === null ? '—' : formatUsd(usd));
const percents = (values: readonly number[]) => (values.length ? values.map((p) => `${p}%`).join(', ') : '—');

export const anomalyReport: ReportType = {
  id: 'anomaly',
  description: 'cost anomalies: series, days, impact per day and to date, severity, root cause, status',
  render(report: Report) {
    const summary = report.anomalyDetection;
    const lines: string[] = [];
    if (!summary) {
      lines.push(`Cost anomalies of scan ${report.scanId}: not evaluated (no cost data, or anomalyDetection.enabled is false)`);
    } else {
      const t = summary.thresholds;
      lines.push(
        `Cost anomalies of scan ${report.scanId}: ${report.anomalies.length} (${report.anomalies.filter((a) => a.status === 'open').length} open), data ${summary.dataStart} → ${summary.latestDay}. Amounts in ${summary.unit} unless stated.`,
        `An anomaly: more than ${formatUsd(t.minImpactUsdPerDay)}/day and more than ${t.minDeviationPercent}% over the same-weekday median of ${t.baselineDays} days, and more than ${t.minRobustZScore}× the series' usual spread. ${summary.seriesJudged} series judged over ${summary.seriesDaysJudged} series-days.`,
      );
    }
    for (const a of report.anomalies) {
      const deviation = a.deviationPercent === null ? 'new spend' : `+${a.deviationPercent}%`;
      lines.push(
        `  ${a.severity.toUpperCase().padEnd(8)} ${a.status.padEnd(6)} ${a.startDate} → ${a.latestDate} (${a.days} d)  ${a.series}`,
        `           ${usdPerDay(a.impactUsdPerDay)} over ${formatUsd(a.baselineUsdPerDay)}/day (${deviation}), ${formatUsd(a.impactUsdToDate)} to date`,
        `           root cause: ${rootCauseText(a)}`,
      );
    }
    if (summary?.seriesLackingHistory.length) {
      lines.push(`Not judged yet (less than ${summary.thresholds.minHistoryDays} days of history): ${summary.seriesLackingHistory.map((s) => `${s.series} (${s.historyDays} d)`).join(', ')}`);
    }
    if (summary?.note) lines.push(summary.note);
    return { text: lines.join('\n'), json: { scanId: report.scanId, anomalyDetection: summary ?? null, anomalies: report.anomalies } };
  },
};

export const budgetReport: ReportType = {
  id: 'budget',
  description: 'budgets: amount, actual to date, Cost Explorer and platform forecasts, thresholds crossed, approvals',
  render(report: Report) {
    const lines = [report.budgets.length ? `Budgets of scan ${report.scanId}:` : `Budgets of scan ${report.scanId}: none configured (budgets.items)`];
    for (const b of report.budgets) {
      const f = b.forecast;
      lines.push(
        `  ${b.id}${b.name ? ` (${b.name})` : ''}${b.parent ? ` in ${b.parent}` : ''} — ${b.scopeLabel}, ${b.period} ${b.periodLabel}`,
        `    amount ${formatUsd(b.amountUsd)}; actual ${money(b.actualUsd)}${b.actualPercent === null ? '' : ` (${b.actualPercent}%)`}${b.dataThrough ? ` through ${b.dataThrough}` : ''}`,
        `    forecast ${money(f.usd)}${f.percent === null ? '' : ` (${f.percent}%)`}${f.source ? ` from ${f.source}` : ''}; Cost Explorer ${money(f.costExplorerUsd)}, platform ${money(f.platformUsd)}${f.differencePercent === null ? '' : ` (${f.differencePercent > 0 ? '+' : ''}${f.differencePercent}%)`}`,
        `    crossed: actual ${percents(b.thresholdsCrossed.actual)}; forecast ${percents(b.thresholdsCrossed.forecast)} (of ${percents(b.thresholdsPercent.actual)} / ${percents(b.thresholdsPercent.forecast)})`,
      );
      if (b.approvalRequired) lines.push(`    approval required for remediation in scope${b.approval ? `: ${b.approval.id} ${b.approval.status}` : ''}`);
      for (const note of [b.dataNote, f.note]) if (note) lines.push(`    note: ${note}`);
    }
    return { text: lines.join('\n'), json: { scanId: report.scanId, budgets: report.budgets } };
  },
};

/** `finops budgets approvals` lists the requests; `approve`/`reject <id>` records an operator's decision. */
export const registerBudgetApprovals: CommandRegistration = (program, cli) => {
  const budgets = program.command('budgets').description('budget approval requests: remediation in an over-budget scope waits for an operator');
  budgets
    .command('approvals')
    .description('list approval requests, and which budgets hold remediation now')
    .action(async (_o, command: Command) => {
      const o = optionsOf(command);
      const ctx = await openContext(o, { service: 'cli' });
      try {
        const approvals = await new InsightState(ctx.redis, ctx.config.redis.prefix).loadApprovals();
        const holding = new Set(budgetsRequiringApproval(approvals).map((a) => a.id));
        const text = approvals.length
          ? approvals
              .map((a) => `${a.id}  ${a.status}${holding.has(a.id) ? ' (holding remediation)' : ''}  ${a.actualPercent}% of budget (threshold ${a.thresholdPercent}%)${a.decidedBy ? `  decided by ${a.decidedBy}` : ''}`)
              .join('\n')
          : 'No budget approval requests.';
        printResult(o, text, { approvals, holding: [...holding] });
        cli.setCode(EXIT.ok);
      } finally {
        await ctx.close();
      }
    });
  for (const decision of ['approve', 'reject'] as const) {
    budgets
      .command(`${decision} <id>`)
      .description(decision === 'approve' ? 'let remediation run in the budget\'s scope for the rest of the period' : 'keep remediation in the budget\'s scope on hold')
      .option('--by <name>', 'who decides (default: $USER)')
      .option('--note <text>', 'why')
      .action(async (id: string, _o, command: Command) => {
        const o = optionsOf<{ by?: string; note?: string }>(command);
        const by = o.by ?? process.env.USER;
        if (!by) throw new UsageError('who decides is unknown', { hint: 'pass --by <name>' });
        const ctx = await openContext(o, { service: 'cli' });
        try {
          const decided = await new InsightState(ctx.redis, ctx.config.redis.prefix).decideApproval(id, decision === 'approve' ? 'approved' : 'rejected', by, { note: o.note });
          printResult(o, `${decided.id}: ${decided.status} by ${decided.decidedBy}`, decided);
          cli.setCode(EXIT.ok);
        } finally {
          await ctx.close();
        }
      });
  }
};
