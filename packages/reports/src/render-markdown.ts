// report.md: the report for people — summary, totals by check, account and region, top recommendations, remediation actions, errors, API usage.
import { formatUsd } from './format-usd.js';
import { ACTION_OUTCOME_LABELS, readActions, shownOutcomes } from './actions-view.js';
import { renderCostsMarkdown } from './render-costs-markdown.js';
import { renderAnomaliesMarkdown, renderBudgetsMarkdown } from './render-insights-markdown.js';
import { digestOf, firstOf, isDigest, type ReportDigest, type ReportFields } from './report-digest.js';
import type { Report, SavingsBucket } from './report-schema.js';

export interface MarkdownOptions {
  /** Rows of the top recommendations table; the rest are in recommendations.csv. */
  top?: number;
}

/** A table cell: pipes and line breaks would break the table, so they are escaped or flattened. */
function cell(value: string | number): string {
  return String(value).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function table(header: string[], align: ('l' | 'r')[], rows: (string | number)[][]): string[] {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

function savingsTable(title: string, label: string, buckets: Record<string, SavingsBucket>, total: SavingsBucket): string[] {
  const entries = Object.entries(buckets);
  if (entries.length === 0) return [`## ${title}`, '', 'No open recommendations.', ''];
  return [
    `## ${title}`,
    '',
    ...table(
      [label, 'Recommendations', 'Monthly savings'],
      ['l', 'r', 'r'],
      [
        ...entries.map(([key, bucket]) => [key, bucket.count, formatUsd(bucket.monthlySavingsUsd)]),
        ['**Total**', `**${total.count}**`, `**${formatUsd(total.monthlySavingsUsd)}**`],
      ],
    ),
    '',
  ];
}

/**
 * `## Actions`: remediation since the previous scan — counts by outcome, the savings it resolved, and the most recent
 * audit entries. Nothing for a report without the section; one line when the window saw none.
 */
function actionsMarkdown(report: ReportFields): string[] {
  const view = readActions(report);
  if (!view) return [];
  if (view.empty) return ['## Actions', '', 'No remediation since the previous scan.', ''];
  const total = view.rows.length + view.more;
  const counts = shownOutcomes(view)
    .map((o) => `${ACTION_OUTCOME_LABELS[o]} ${view.counts[o]}`)
    .join(', ');
  const others = view.otherEvents.length ? ` (${view.otherEvents.map(([event, n]) => `${event} ${n}`).join(', ')})` : '';
  const lines = [
    '## Actions',
    '',
    `- Since the previous scan: ${view.since} → ${view.until}`,
    `- Audit entries: ${total} — ${counts}${others}`,
    `- **Savings resolved: ${formatUsd(view.resolvedMonthlySavingsUsd)}/month** from ${view.resolvedActions} of ${view.appliedActions} live action(s) applied whose waste this scan no longer finds`,
    '',
  ];
  if (view.rows.length === 0) return lines;
  lines.push(
    `The ${view.rows.length} most recent, newest first:`,
    '',
    ...table(
      ['When', 'Actor', 'Action', 'Resource', 'Outcome', 'Reason'],
      ['l', 'l', 'l', 'l', 'l', 'l'],
      view.rows.map((r) => [
        r.at,
        r.actor,
        r.actionType || '—',
        [r.accountId, r.region, r.resourceId].filter(Boolean).join(' / ') || '—',
        r.outcomeText,
        r.reason,
      ]),
    ),
    '',
  );
  if (view.more > 0) lines.push(`…and ${view.more} more in report.json (actions.entries).`, '');
  return lines;
}

/** Renders the report as Markdown, from the whole report or its digest (which must hold the `top` first of each list). */
export function renderMarkdown(source: Report | ReportDigest, { top = 25 }: MarkdownOptions = {}): string {
  const report = isDigest(source) ? source : digestOf(source, top);
  const { totals, inventory, apiUsage } = report;
  const folded = totals.folded ?? { count: 0, monthlySavingsUsd: 0 };
  // The by-check, account and region tables count what the total counts: folded alternatives are left out.
  const total: SavingsBucket = { count: totals.recommendations - folded.count, monthlySavingsUsd: totals.monthlySavingsUsd };
  const kinds = Object.entries(inventory.byKind)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const callCount = Object.values(apiUsage.calls).reduce((sum, n) => sum + n, 0);
  const lines: string[] = [
    `# FinOps report: scan ${report.scanId}`,
    '',
    `- **Estimated savings: ${formatUsd(totals.monthlySavingsUsd)}/month** from ${totals.recommendations} open recommendation(s)`,
    `- Mode: ${report.dryRun ? 'dry run (nothing was changed)' : 'live'}, provider ${report.provider}`,
    `- Accounts: ${report.accounts.join(', ') || '—'}`,
    `- Regions: ${report.regions.join(', ') || '—'}`,
    `- Scan: ${report.startedAt} → ${report.finishedAt}`,
    `- Resources inventoried: ${inventory.total}${kinds ? ` (${kinds})` : ''}`,
    ...(folded.count > 0
      ? [`- Folded (alternatives on a resource another recommendation already covers, not counted): ${folded.count}, ${formatUsd(folded.monthlySavingsUsd)}/month`]
      : []),
    `- Suppressed, dismissed or resolved (not counted): ${report.suppressed.count}`,
    `- Errors: ${report.errors.length}`,
    `- Report schema: ${report.schemaVersion}`,
    '',
    ...savingsTable('Savings by check', 'Check', totals.byCheck, total),
    ...savingsTable('Savings by account', 'Account', totals.byAccount, total),
    ...savingsTable('Savings by region', 'Region', totals.byRegion, total),
    '## Top recommendations',
    '',
  ];

  const shown = firstOf(report.recommendations, top);
  if (shown.length === 0) {
    lines.push('No open recommendations.', '');
  } else {
    lines.push(
      ...table(
        ['#', 'Check', 'Resource', 'Account', 'Region', 'Risk', 'Monthly savings', 'Action', 'Reason'],
        ['r', 'l', 'l', 'l', 'l', 'l', 'r', 'l', 'l'],
        shown.map((r, index) => [
          index + 1,
          r.checkId,
          r.resourceName ? `${r.resourceId} (${r.resourceName})` : r.resourceId,
          r.accountId,
          r.region,
          r.risk,
          `${formatUsd(r.monthlySavingsUsd)}${r.priceConfidence === 'estimated' ? ' (est.)' : ''}${r.foldedInto ? ` (folded into ${r.foldedInto})` : ''}`,
          r.action.type,
          r.reason,
        ]),
      ),
      '',
    );
    const rest = report.recommendations.count - shown.length;
    if (rest > 0) lines.push(`…and ${rest} more in recommendations.csv.`, '');
  }

  if (report.suppressed.count > 0) {
    lines.push(
      '## Suppressed, dismissed and resolved',
      '',
      ...table(
        ['Status', 'Check', 'Resource', 'Monthly savings', 'Why'],
        ['l', 'l', 'l', 'r', 'l'],
        firstOf(report.suppressed, top).map((r) => [
          r.status,
          r.checkId,
          r.resourceId,
          formatUsd(r.monthlySavingsUsd),
          r.suppression
            ? `${r.suppression.by}: ${r.suppression.reason}${r.suppression.until ? ` (until ${r.suppression.until.slice(0, 10)})` : ''}`
            : r.status === 'resolved'
              ? `no longer found${r.tracking?.resolvedAt ? ` (scan of ${r.tracking.resolvedAt.slice(0, 10)})` : ''}`
              : '',
        ]),
      ),
      '',
    );
    if (report.suppressed.count > top) lines.push(`…and ${report.suppressed.count - top} more in recommendations.csv.`, '');
  }

  lines.push(...actionsMarkdown(report));
  lines.push(...renderCostsMarkdown(report.costs));
  lines.push(...renderAnomaliesMarkdown(report.anomalies, report.anomalyDetection), ...renderBudgetsMarkdown(report.budgets));

  lines.push('## Errors', '');
  if (report.errors.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push(
      ...table(
        ['Stage', 'Account', 'Region', 'Kind', 'Code', 'Message', 'Fix'],
        ['l', 'l', 'l', 'l', 'l', 'l', 'l'],
        report.errors.map((e) => [
          e.stage,
          e.accountId ?? '',
          e.region ?? '',
          e.kind ?? '',
          e.code,
          e.message,
          e.hint ?? '',
        ]),
      ),
      '',
    );
  }

  lines.push(
    '## AWS API usage',
    '',
    `- Calls: ${callCount} (${apiUsage.throttled} throttled)`,
    `- CloudWatch metrics requested: ${apiUsage.metricsRequested}`,
    `- Cost Explorer requests: ${apiUsage.costExplorerRequests}`,
    `- Estimated cost of this scan's API calls: ${formatUsd(apiUsage.estimatedCostUsd)}`,
    '',
  );
  const calls = Object.entries(apiUsage.calls).sort(([a], [b]) => a.localeCompare(b));
  if (calls.length > 0) lines.push(...table(['API', 'Calls'], ['l', 'r'], calls), '');
  return lines.join('\n');
}
