// The end-of-scan summary: resources, recommendations by check, savings, where the report is.
import { existsSync, readdirSync } from 'node:fs';
import type { Report } from '@finops/reports';

const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function formatSummary(report: Report, extras: { reportDir: string; boardUrl?: string; boardAuthHint?: string }): string {
  const lines: string[] = [];
  const byKind = Object.entries(report.inventory.byKind)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  lines.push(`Scan ${report.scanId} (${report.dryRun ? 'dry run' : 'LIVE'}, ${report.provider}) — ${report.accounts.length} account(s) × ${report.regions.length} region(s)`);
  lines.push(`Resources: ${report.inventory.total} (${byKind})`);
  lines.push(`Recommendations: ${report.totals.recommendations}, total ${usd(report.totals.monthlySavingsUsd)}/month`);
  const byCheck = Object.entries(report.totals.byCheck).sort((a, b) => b[1].monthlySavingsUsd - a[1].monthlySavingsUsd);
  const idWidth = Math.max(0, ...byCheck.map(([checkId]) => checkId.length));
  for (const [checkId, t] of byCheck) {
    lines.push(`  ${checkId.padEnd(idWidth)} ${String(t.count).padStart(5)}  ${usd(t.monthlySavingsUsd).padStart(12)}/month`);
  }
  if (report.suppressed.length) lines.push(`Suppressed (not counted): ${report.suppressed.length}`);
  const costs = report.costs;
  if (costs?.available) {
    const forecast = costs.forecast ? `, forecast ${usd(costs.forecast.amountUsd)} to ${costs.forecast.end}` : '';
    lines.push(`Costs ${costs.start} → ${costs.end}: ${usd(costs.totalUsd)} (${costs.metric}${costs.cached ? ', cached' : ''})${forecast}`);
  } else if (costs) {
    lines.push(`Costs: not available (${costs.reason ?? 'no data'})`);
  }
  const calls = Object.values(report.apiUsage.calls).reduce((a, b) => a + b, 0);
  lines.push(
    `AWS API: ${calls} calls (${report.apiUsage.throttled} throttled), ${report.apiUsage.metricsRequested} CloudWatch metrics, ${report.apiUsage.costExplorerRequests} Cost Explorer requests, est. ${usd(report.apiUsage.estimatedCostUsd)}`,
  );
  if (report.errors.length) {
    lines.push(`Errors: ${report.errors.length}`);
    for (const e of report.errors.slice(0, 10)) lines.push(`  ${[e.stage, e.accountId, e.region, e.kind].filter(Boolean).join(' ')}: ${e.code}: ${e.message}`);
  }
  const files = existsSync(extras.reportDir) ? readdirSync(extras.reportDir).filter((f) => !f.startsWith('.')).sort() : [];
  lines.push(`Report: ${extras.reportDir}/${files.length ? ` (${files.join(', ')})` : ''}`);
  if (extras.boardUrl) lines.push(`Bull Board: ${extras.boardUrl}${extras.boardAuthHint ? ` (${extras.boardAuthHint})` : ''}`);
  return lines.join('\n');
}
