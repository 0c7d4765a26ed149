// report.html: one self-contained page (inline CSS and SVG, no script, no network) with the report's charts and tables.
import { roundCents } from '@finops/core';
import type { ReportDiff } from './diff-reports.js';
import { ACTION_OUTCOME_LABELS, readActions, shownOutcomes } from './actions-view.js';
import { diffSection } from './html/diff-section.js';
import { escapeHtml } from './html/escape.js';
import { readAnomalies, readBudgets, readCostTrend, type Sourced } from './html/report-extras.js';
import { REPORT_CSS } from './html/styles.js';
import { barChart, burnDownChart, timeSeriesChart, type BarDatum, type TimeMarker } from './html/svg-charts.js';
import { formatUsd } from './format-usd.js';
import { digestOf, firstOf, isDigest, type ReportDigest, type ReportFields } from './report-digest.js';
import type { Report, SavingsBucket } from './report-schema.js';
import { sectionsOf, type ReportType } from './select-report.js';

export interface HtmlOptions {
  /** Sections to show (default `all`). */
  type?: ReportType;
  /** Rows of the top recommendations table (default 20). */
  top?: number;
  /** Changes since the previous scan, shown near the top when given. */
  diff?: ReportDiff;
}

/** A JSON path segment for a record key: `["ec2-instance"]`. */
const key = (k: string) => `[${JSON.stringify(k)}]`;

/** A number on the page, tied to its place in report.json. */
function figure(value: number, path: string, text: string, tag = 'span', className?: string): string {
  return `<${tag}${className ? ` class="${className}"` : ''} data-json-path="${escapeHtml(path)}" data-value="${value}">${escapeHtml(text)}</${tag}>`;
}

const usdFigure = (s: Sourced, tag = 'span', className?: string) => figure(s.value, s.path, formatUsd(s.value), tag, className);

function card(label: string, body: string, className = ''): string {
  return `<div class="card ${className}"><div class="label">${escapeHtml(label)}</div><div class="figure">${body}</div></div>`;
}

function table(head: { label: string; num?: boolean }[], rows: string[][]): string {
  const th = head.map((h) => `<th${h.num ? ' class="num"' : ''}>${escapeHtml(h.label)}</th>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows.map((cells) => `<tr>${cells.join('')}</tr>`).join('')}</tbody></table>`;
}

const td = (text: string | number, className?: string) => `<td${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</td>`;
const tdRaw = (html: string, className?: string) => `<td${className ? ` class="${className}"` : ''}>${html}</td>`;

function bars(buckets: Record<string, SavingsBucket>, base: string): BarDatum[] {
  return Object.entries(buckets).map(([name, bucket]) => ({
    label: name,
    value: bucket.monthlySavingsUsd,
    path: `${base}${key(name)}.monthlySavingsUsd`,
    display: `${formatUsd(bucket.monthlySavingsUsd)} · ${bucket.count}`,
  }));
}

function savingsSection(report: ReportFields): string {
  const charts = (
    [
      ['by-check', 'By check', 'totals.byCheck', report.totals.byCheck],
      ['by-account', 'By account', 'totals.byAccount', report.totals.byAccount],
      ['by-region', 'By region', 'totals.byRegion', report.totals.byRegion],
    ] as const
  ).map(
    ([id, title, base, buckets]) =>
      `<div><h3>${title}</h3>${
        Object.keys(buckets).length
          ? barChart({ id: `savings-${id}`, title: `Monthly savings ${title.toLowerCase()}`, data: bars(buckets, base), width: 500 })
          : '<p class="empty">No open recommendations.</p>'
      }</div>`,
  );
  return `<section id="savings"><h2>Savings per month</h2><div class="grid-2">${charts.join('')}</div><p class="legend">Each bar: monthly savings · open recommendations.</p></section>`;
}

function recommendationsSection(report: ReportDigest, top: number): string {
  const shown = firstOf(report.recommendations, top);
  const rest = report.recommendations.count - shown.length;
  const body = shown.length
    ? table(
        [
          { label: '#', num: true },
          { label: 'Check' },
          { label: 'Resource' },
          { label: 'Account' },
          { label: 'Region' },
          { label: 'Risk' },
          { label: 'Monthly savings', num: true },
          { label: 'Action' },
          { label: 'Reason' },
        ],
        shown.map((r, i) => [
          td(i + 1, 'num'),
          tdRaw(`<code>${escapeHtml(r.checkId)}</code>`),
          tdRaw(`<code>${escapeHtml(r.resourceId)}</code>${r.resourceName ? `<br>${escapeHtml(r.resourceName)}` : ''}`),
          td(r.accountId),
          td(r.region),
          td(r.risk, `risk-${r.risk}`),
          tdRaw(
            figure(r.monthlySavingsUsd, `recommendations[${i}].monthlySavingsUsd`, formatUsd(r.monthlySavingsUsd)) +
              (r.priceConfidence === 'estimated' ? ' <small>(est.)</small>' : ''),
            'num',
          ),
          tdRaw(`<code>${escapeHtml(r.action.type)}</code>`),
          td(r.reason, 'reason'),
        ]),
      ) + (rest > 0 ? `<p class="legend">…and ${rest} more in recommendations.csv.</p>` : '')
    : '<p class="empty">No open recommendations.</p>';
  return `<section id="recommendations"><h2>Top ${top} recommendations</h2>${body}</section>`;
}

function costSection(report: ReportFields): string {
  const trend = readCostTrend(report);
  const anomalies = readAnomalies(report);
  if (!trend.length && !anomalies.length) {
    return `<section id="cost-trend"><h2>Daily cost and anomalies</h2><p class="empty">This report has no daily cost data (Cost Explorer was not read in this scan).</p></section>`;
  }
  const costOn = new Map(trend.map((p) => [p.date, p.amountUsd]));
  const markers: TimeMarker[] = anomalies.map((a) => ({
    date: a.date,
    value: costOn.get(a.date) ?? a.actual.value,
    label: `${a.date} ${a.label}: ${a.severity}, ${formatUsd(a.impact.value)} above the baseline to date`,
    className: 'anomaly-marker',
    attributes: { 'data-anomaly-index': String(a.index) },
  }));
  const chart = timeSeriesChart({
    id: 'cost-trend-chart',
    title: 'Daily cost with anomalies marked',
    bands: anomalies
      .filter((a) => a.endDate > a.date)
      .map((a) => ({ start: a.date, end: a.endDate, label: `${a.date} – ${a.endDate} ${a.label}`, className: 'anomaly-band' })),
    lines: trend.length ? [{ className: 'cost', label: 'daily cost', points: trend.map((p) => ({ date: p.date, value: p.amountUsd, path: p.path })) }] : [],
    markers,
    width: 1040,
  });
  const total = trend.reduce((sum, p) => sum + p.amountUsd, 0);
  const summary = trend.length
    ? `<p class="legend"><i class="cost"></i>daily cost (${trend[0].date} – ${trend[trend.length - 1].date}, ${escapeHtml(formatUsd(roundCents(total)))} in all)<i class="anomaly"></i>anomaly</p>`
    : `<p class="legend"><i class="anomaly"></i>anomaly (no daily cost series in this report)</p>`;
  return `<section id="cost-trend"><h2>Daily cost and anomalies</h2>${chart}${summary}</section>`;
}

function anomaliesSection(report: ReportFields): string {
  const anomalies = readAnomalies(report);
  if (!anomalies.length) return `<section id="anomalies"><h2>Anomalies</h2><p class="empty">No cost anomalies.</p></section>`;
  const perDay = (v: Sourced) => `${usdFigure(v)}/day`;
  const rows = anomalies.map((a) => [
    td(a.endDate > a.date ? `${a.date} – ${a.endDate}` : a.date),
    td(a.label),
    td(a.severity, `severity-${a.severity}`),
    td(a.status),
    tdRaw(usdFigure(a.impact), 'num'),
    tdRaw(perDay(a.actual), 'num'),
    tdRaw(perDay(a.expected), 'num'),
  ]);
  return (
    `<section id="anomalies"><h2>Anomalies (${figure(report.anomalies.length, 'anomalies.length', String(report.anomalies.length))})</h2>` +
    table(
      [{ label: 'Days' }, { label: 'Series' }, { label: 'Severity' }, { label: 'Status' }, { label: 'Impact to date', num: true }, { label: 'Actual', num: true }, { label: 'Baseline', num: true }],
      rows,
    ) +
    `</section>`
  );
}

function budgetsSection(report: ReportFields): string {
  if (!report.budgets.length) return `<section id="budgets"><h2>Budgets</h2><p class="empty">No budgets configured.</p></section>`;
  const budgets = readBudgets(report);
  const reportDay = report.finishedAt.slice(0, 10);
  const charts = budgets.map(
    (b) =>
      `<div><h3>${escapeHtml(b.name)}</h3>` +
      burnDownChart({
        id: `burn-down-${b.index}`,
        title: `Budget ${b.name}: remaining budget over the period`,
        amountUsd: b.amount.value,
        actualUsd: b.actual.value,
        forecastUsd: b.forecast?.value,
        periodStart: b.periodStart,
        periodEnd: b.periodEnd,
        asOf: b.daily.length ? b.daily[b.daily.length - 1].date : reportDay,
        daily: b.daily,
      }) +
      `</div>`,
  );
  const views = new Map(budgets.map((b) => [b.index, b]));
  const rows = report.budgets.map((b, i) => {
    const view = views.get(i);
    return [
      tdRaw(`<code>${escapeHtml(b.id)}</code>${b.name ? ` ${escapeHtml(b.name)}` : ''}<br><small>${escapeHtml(b.periodLabel)} · ${escapeHtml(b.scopeLabel)}</small>`),
      tdRaw(figure(b.amountUsd, `budgets[${i}].amountUsd`, formatUsd(b.amountUsd)), 'num'),
      tdRaw(view ? usdFigure(view.actual) : escapeHtml(b.dataNote ?? 'no data'), 'num'),
      tdRaw(view?.forecast ? usdFigure(view.forecast) : '', 'num'),
      tdRaw(b.actualPercent === null ? '' : `${figure(b.actualPercent, `budgets[${i}].actualPercent`, String(b.actualPercent))}%`, 'num'),
      td(view?.status ?? '', view ? `status-${view.status}` : undefined),
    ];
  });
  return (
    `<section id="budgets"><h2>Budgets</h2>` +
    (charts.length ? `<div class="grid-3">${charts.join('')}</div>` : '') +
    `<p class="legend"><i class="burn"></i>remaining budget<i class="ideal"></i>even burn<i class="forecast"></i>forecast to period end</p>` +
    table([{ label: 'Budget' }, { label: 'Amount', num: true }, { label: 'Actual', num: true }, { label: 'Forecast', num: true }, { label: 'Used', num: true }, { label: 'Status' }], rows) +
    `</section>`
  );
}

/**
 * Remediation since the previous scan: counts by outcome, the savings it resolved, and the most recent audit entries.
 * Nothing for a report without the `actions` section; one line when the window saw none.
 */
function actionsSection(report: ReportFields): string {
  const view = readActions(report);
  if (!view) return '';
  const head = `<section id="actions"><h2>Actions since the previous scan</h2>`;
  if (view.empty) return `${head}<p class="empty">No remediation since the previous scan.</p></section>`;
  const stat = (label: string, outcome: string, count: number) =>
    `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="figure" data-outcome="${escapeHtml(outcome)}" data-value="${count}">${count}</div></div>`;
  const others = view.otherEvents.length ? ` Other: ${view.otherEvents.map(([event, n]) => `${escapeHtml(event)} ${n}`).join(', ')}.` : '';
  const rows = view.rows.map((r) => [
    td(r.at),
    td(r.actor),
    tdRaw(r.actionType ? `<code>${escapeHtml(r.actionType)}</code>` : '—'),
    tdRaw(`${escapeHtml([r.accountId, r.region].filter(Boolean).join(' ') || '—')}${r.resourceId ? `<br><code>${escapeHtml(r.resourceId)}</code>` : ''}`),
    td(r.outcomeText, `outcome-${r.outcome}`),
    td(r.reason, 'reason'),
  ]);
  return (
    head +
    `<p class="legend">${escapeHtml(view.since)} → ${escapeHtml(view.until)}.${others}</p>` +
    `<div class="cards">${shownOutcomes(view)
      .map((o) => stat(ACTION_OUTCOME_LABELS[o], o, view.counts[o]))
      .join('')}${card('Savings resolved per month', figure(view.resolvedMonthlySavingsUsd, 'actions.resolvedMonthlySavingsUsd', formatUsd(view.resolvedMonthlySavingsUsd)), 'savings')}</div>` +
    `<p class="legend">From ${view.resolvedActions} of ${view.appliedActions} live action(s) applied whose waste this scan no longer finds.</p>` +
    (rows.length
      ? `<h3>The ${rows.length} most recent, newest first</h3>` +
        table([{ label: 'When' }, { label: 'Actor' }, { label: 'Action' }, { label: 'Resource' }, { label: 'Outcome' }, { label: 'Reason' }], rows) +
        (view.more > 0 ? `<p class="legend">…and ${view.more} more in report.json (actions.entries).</p>` : '')
      : '') +
    `</section>`
  );
}

function inventorySection(report: ReportFields): string {
  const kinds = Object.entries(report.inventory.byKind);
  const byKind = kinds.length
    ? table(
        [{ label: 'Resource kind' }, { label: 'Resources', num: true }],
        kinds.map(([kind, n]) => [td(kind), tdRaw(figure(n ?? 0, `inventory.byKind${key(kind)}`, String(n)), 'num')]),
      )
    : '<p class="empty">Nothing was inventoried.</p>';
  const partitions = report.inventory.byAccountRegion.map((p, i) => [
    td(p.accountId),
    td(p.region),
    tdRaw(
      Object.entries(p.byKind)
        .map(([kind, n]) => `${escapeHtml(kind)} ${figure(n ?? 0, `inventory.byAccountRegion[${i}].byKind${key(kind)}`, String(n))}`)
        .join(', '),
    ),
  ]);
  return (
    `<section id="inventory"><h2>Inventory</h2>${byKind}` +
    (partitions.length ? `<h3>By account and region</h3>${table([{ label: 'Account' }, { label: 'Region' }, { label: 'Resources' }], partitions)}` : '') +
    `</section>`
  );
}

function errorsSection(report: ReportFields): string {
  if (!report.errors.length) return '';
  return (
    `<section id="errors"><h2>Errors</h2>` +
    table(
      [{ label: 'Stage' }, { label: 'Account' }, { label: 'Region' }, { label: 'Kind' }, { label: 'Code' }, { label: 'Message' }, { label: 'Fix' }],
      report.errors.map((e) => [td(e.stage), td(e.accountId ?? ''), td(e.region ?? ''), td(e.kind ?? ''), td(e.code), td(e.message, 'reason'), td(e.hint ?? '', 'reason')]),
    ) +
    `</section>`
  );
}

/**
 * Renders the report (whole, or its digest holding the `top` first of each list) as one HTML page that needs nothing else to open: styles inline, charts as inline SVG, no
 * script, and a Content-Security-Policy that forbids every fetch. Every number shown carries `data-json-path` and
 * `data-value` naming its place in report.json.
 *
 * @example await writeFile('report.html', renderHtml(report, { type: 'optimization' }))
 */
export function renderHtml(source: Report | ReportDigest, { type = 'all', top = 20, diff }: HtmlOptions = {}): string {
  const report = isDigest(source) ? source : digestOf(source, top);
  const show = sectionsOf(type);
  const { totals } = report;
  const cards = [
    show.savings ? card('Savings per month', figure(totals.monthlySavingsUsd, 'totals.monthlySavingsUsd', formatUsd(totals.monthlySavingsUsd)), 'savings') : '',
    show.savings ? card('Open recommendations', figure(totals.recommendations, 'totals.recommendations', String(totals.recommendations))) : '',
    card('Resources inventoried', figure(report.inventory.total, 'inventory.total', String(report.inventory.total))),
    show.anomalies ? card('Anomalies', figure(report.anomalies.length, 'anomalies.length', String(report.anomalies.length)), report.anomalies.length ? 'alert' : '') : '',
    show.budgets ? card('Budgets', figure(report.budgets.length, 'budgets.length', String(report.budgets.length))) : '',
    card('Errors', figure(report.errors.length, 'errors.length', String(report.errors.length)), report.errors.length ? 'alert' : ''),
  ].join('');
  const sections = [
    diff ? diffSection(diff) : '',
    show.anomalies ? costSection(report) : '',
    show.savings ? savingsSection(report) : '',
    show.budgets ? budgetsSection(report) : '',
    show.savings ? recommendationsSection(report, top) : '',
    // Spread, not '': a report without the section keeps the page it had before 1.3.0, blank lines included.
    ...(show.savings && report.actions ? [actionsSection(report)] : []),
    show.anomalies ? anomaliesSection(report) : '',
    show.inventory ? inventorySection(report) : '',
    errorsSection(report),
  ].join('\n');
  const title = `FinOps ${type === 'all' ? '' : `${type} `}report: scan ${report.scanId}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main data-report-type="${escapeHtml(type)}" data-scan-id="${escapeHtml(report.scanId)}">
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta"><span>${escapeHtml(report.startedAt)} → ${escapeHtml(report.finishedAt)}</span><span>${report.dryRun ? 'dry run: nothing was changed' : 'live mode'}</span><span>provider ${escapeHtml(report.provider)}</span><span>${report.accounts.length} account(s): ${escapeHtml(report.accounts.join(', ') || '—')}</span><span>regions ${escapeHtml(report.regions.join(', ') || '—')}</span></p>
</header>
<div class="cards">${cards}</div>
${sections}
<footer>report.json schema ${escapeHtml(report.schemaVersion)} · ${report.suppressed.count} suppressed recommendation(s) not counted · generated by advanced-finops</footer>
</main>
</body>
</html>
`;
}
