// The report types `finops report --type` prints from a scan's report.json: one entry each, listed in REPORT_TYPES.
import type { Report } from '@finops/reports';
import { anomalyReport, budgetReport } from './commands/report-insights.js';

export interface ReportType {
  /** `--type <id>`. */
  id: string;
  description: string;
  /** Human text and the JSON printed with --json, both from report.json. */
  render(report: Report): { text: string; json: unknown };
}

const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const discoveryReport: ReportType = {
  id: 'discovery',
  description: 'what was inventoried: resources by kind and by account and region, and partition errors',
  render(report) {
    const lines = [`Inventory of scan ${report.scanId} (${report.finishedAt}): ${report.inventory.total} resources`];
    for (const [kind, n] of Object.entries(report.inventory.byKind)) lines.push(`  ${kind.padEnd(20)} ${String(n).padStart(7)}`);
    lines.push('By account and region:');
    for (const p of report.inventory.byAccountRegion) {
      const total = Object.values(p.byKind).reduce((a, b) => a + (b ?? 0), 0);
      lines.push(`  ${p.accountId} ${p.region.padEnd(16)} ${String(total).padStart(7)}`);
    }
    if (report.errors.length) {
      lines.push(`Errors (${report.errors.length}):`);
      for (const e of report.errors) lines.push(`  ${[e.stage, e.accountId, e.region, e.kind].filter(Boolean).join(' ')}: ${e.code}: ${e.message}${e.hint ? `\n    fix: ${e.hint}` : ''}`);
    }
    return { text: lines.join('\n'), json: { scanId: report.scanId, inventory: report.inventory, errors: report.errors } };
  },
};

export const optimizationReport: ReportType = {
  id: 'optimization',
  description: 'open recommendations by check with their monthly savings, largest first',
  render(report) {
    const lines = [`Recommendations of scan ${report.scanId}: ${report.totals.recommendations}, ${usd(report.totals.monthlySavingsUsd)}/month${report.dryRun ? ' (dry run: nothing changed)' : ''}`];
    for (const [checkId, t] of Object.entries(report.totals.byCheck).sort((a, b) => b[1].monthlySavingsUsd - a[1].monthlySavingsUsd)) {
      lines.push(`  ${checkId.padEnd(30)} ${String(t.count).padStart(5)}  ${usd(t.monthlySavingsUsd).padStart(12)}/month`);
    }
    const top = report.recommendations.slice(0, 20);
    if (top.length) lines.push(`Largest ${top.length}:`);
    for (const r of top) {
      lines.push(`  ${usd(r.monthlySavingsUsd).padStart(11)}/month  ${r.checkId}  ${r.accountId} ${r.region} ${r.resourceId}${r.resourceName ? ` (${r.resourceName})` : ''} — ${r.action.description}`);
    }
    if (report.suppressed.length) lines.push(`Suppressed or dismissed (not counted): ${report.suppressed.length}`);
    return {
      text: lines.join('\n'),
      json: { scanId: report.scanId, dryRun: report.dryRun, totals: report.totals, recommendations: report.recommendations, suppressed: report.suppressed.length },
    };
  },
};

/** Every type `--type` accepts besides `all` (which prints each of these in turn). Add a type with one line. */
export const REPORT_TYPES: ReportType[] = [discoveryReport, optimizationReport, anomalyReport, budgetReport];

/** The renderer of `--type`; `all` joins every registered type. */
export function reportTypeFor(id: string): ReportType | undefined {
  if (id === 'all') {
    return {
      id: 'all',
      description: 'every report type',
      render(report) {
        const parts = REPORT_TYPES.map((t) => ({ id: t.id, ...t.render(report) }));
        return { text: parts.map((p) => p.text).join('\n\n'), json: Object.fromEntries(parts.map((p) => [p.id, p.json])) };
      },
    };
  }
  return REPORT_TYPES.find((t) => t.id === id);
}
