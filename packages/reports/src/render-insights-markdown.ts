// The Markdown of the report's cost anomalies and budgets: what was found, against which thresholds, in which unit.
import { describeRootCause, usdPerDay } from '@finops/anomalies';
import { formatUsd } from './format-usd.js';
import type { AnomalyDetectionSummary, ReportAnomaly, ReportBudget } from './insights-schema.js';

/** A table cell: pipes and line breaks would break the table. */
function cell(value: string | number): string {
  return String(value).replace(/\|/g, '\\|').replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function row(values: (string | number)[]): string {
  return `| ${values.map(cell).join(' | ')} |`;
}

const percent = (value: number | null) => (value === null ? '—' : `${value}%`);

/** The anomaly's top root cause as one phrase, or the note that says why there is none. */
export function rootCauseText(anomaly: ReportAnomaly): string {
  const top = anomaly.rootCauses[0];
  return top ? describeRootCause(top) : (anomaly.rootCauseNote ?? '—');
}

/** `## Cost anomalies`: the thresholds and unit, one row per anomaly, and the series not judged yet. */
export function renderAnomaliesMarkdown(anomalies: readonly ReportAnomaly[], summary: AnomalyDetectionSummary | undefined): string[] {
  if (!summary && anomalies.length === 0) return [];
  const lines = ['## Cost anomalies', ''];
  if (summary) {
    const t = summary.thresholds;
    lines.push(
      `- Judged ${summary.seriesJudged} series over ${summary.seriesDaysJudged} series-days, data ${summary.dataStart} → ${summary.latestDay}`,
      `- An anomaly is more than ${formatUsd(t.minImpactUsdPerDay)} per day **and** more than ${t.minDeviationPercent}% over a weekday baseline (median of the same weekday over ${t.baselineDays} days), and more than ${t.minRobustZScore}× the series' usual spread. Amounts in ${summary.unit} unless stated.`,
    );
    if (summary.seriesLackingHistory.length > 0) {
      lines.push(
        `- Not judged yet (less than ${t.minHistoryDays} days of history): ${summary.seriesLackingHistory.map((s) => `${s.series} (${s.historyDays} days)`).join(', ')}`,
      );
    }
    if (summary.usageTypeRequests > 0) lines.push(`- Cost Explorer requests to name usage types in root causes: ${summary.usageTypeRequests}`);
    if (summary.note) lines.push(`- ${summary.note}`);
    lines.push('');
  }
  if (anomalies.length === 0) {
    lines.push('No cost anomalies.', '');
    return lines;
  }
  lines.push(
    row(['Severity', 'Status', 'Series', 'Days', 'Baseline/day', 'Actual/day', 'Impact/day', 'Impact to date', 'Deviation', 'Top root cause']),
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...anomalies.map((a) =>
      row([
        a.severity,
        a.status,
        a.series,
        `${a.startDate} → ${a.latestDate}`,
        formatUsd(a.baselineUsdPerDay),
        formatUsd(a.actualUsdPerDay),
        usdPerDay(a.impactUsdPerDay),
        formatUsd(a.impactUsdToDate),
        a.deviationPercent === null ? 'new spend' : `+${a.deviationPercent}%`,
        rootCauseText(a),
      ]),
    ),
    '',
  );
  return lines;
}

/** `## Budgets`: one row per budget with its actual, both forecasts and the thresholds crossed, then the notes. */
export function renderBudgetsMarkdown(budgets: readonly ReportBudget[]): string[] {
  if (budgets.length === 0) return [];
  const money = (usd: number | null) => (usd === null ? '—' : formatUsd(usd));
  const lines = [
    '## Budgets',
    '',
    row(['Budget', 'Scope', 'Period', 'Amount', 'Actual', 'Forecast (CE)', 'Forecast (platform)', 'Crossed (actual)', 'Crossed (forecast)', 'Approval']),
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...budgets.map((b) =>
      row([
        b.parent ? `${b.name ?? b.id} (in ${b.parent})` : (b.name ?? b.id),
        b.scopeLabel,
        b.periodLabel,
        formatUsd(b.amountUsd),
        b.actualUsd === null ? '—' : `${money(b.actualUsd)} (${percent(b.actualPercent)})`,
        money(b.forecast.costExplorerUsd),
        money(b.forecast.platformUsd),
        b.thresholdsCrossed.actual.map((p) => `${p}%`).join(', ') || '—',
        b.thresholdsCrossed.forecast.map((p) => `${p}%`).join(', ') || '—',
        b.approvalRequired ? `required${b.approval ? ` (${b.approval.status})` : ''}` : '—',
      ]),
    ),
    '',
  ];
  const notes = budgets.flatMap((b) => [b.dataNote, b.forecast.note].filter((n): n is string => Boolean(n)).map((n) => `- ${b.id}: ${n}`));
  if (notes.length > 0) lines.push(...notes, '');
  return lines;
}
