// One entry point to render a report in any format, for a type and a selection: what the CLI and the API call.
import { diffReports, renderDiffMarkdown, type ReportDiff } from './diff-reports.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderCostsMarkdown } from './render-costs-markdown.js';
import { renderAnomaliesMarkdown, renderBudgetsMarkdown } from './render-insights-markdown.js';
import { renderMarkdown } from './render-markdown.js';
import { REPORT_FORMATS, type ReportFormat } from './report-formats.js';
import type { Report } from './report-schema.js';
import { sectionsOf, selectReport, type ReportSelection, type ReportType } from './select-report.js';

export interface RenderReportOptions extends ReportSelection {
  /** Sections of md and html (default `all`). json and csv always carry everything in the selection. */
  type?: ReportType;
  /** The previous scan's report: md and html then show the changes since it. */
  previous?: Report;
}

export interface RenderedReport {
  content: string;
  contentType: string;
  /** The file name the format is written under (report.json, report.md, recommendations.csv, report.html). */
  fileName: string;
  /** The report after the selection: what the content was rendered from. */
  report: Report;
  diff?: ReportDiff;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** Markdown of one type: the whole report.md for `all`, `optimization` and `discovery`; else only its sections. */
function markdownOf(report: Report, type: ReportType): string {
  const show = sectionsOf(type);
  if (show.savings || show.inventory) return renderMarkdown(report);
  const lines = [`# FinOps ${type} report: scan ${report.scanId}`, ''];
  if (show.anomalies) lines.push(...renderCostsMarkdown(report.costs), ...renderAnomaliesMarkdown(report.anomalies, report.anomalyDetection));
  if (show.budgets) lines.push(...renderBudgetsMarkdown(report.budgets));
  return lines.join('\n');
}

/**
 * Renders a report: narrowed to the selection, in one format, with the sections of a type.
 *
 * @example renderReport(report, 'html', { type: 'optimization', regions: ['eu-west-1'], previous })
 */
export function renderReport(source: Report, format: ReportFormat, options: RenderReportOptions = {}): RenderedReport {
  const { type = 'all', previous, ...selection } = options;
  const report = selectReport(source, selection);
  const diff = previous ? diffReports(selectReport(previous, selection), report) : undefined;
  const fileName = REPORT_FORMATS[format].fileName;
  const contentType = CONTENT_TYPES[format];
  let content: string;
  switch (format) {
    case 'json':
      content = `${JSON.stringify(report, null, 2)}\n`;
      break;
    case 'csv':
      content = renderCsv(report);
      break;
    case 'html':
      content = renderHtml(report, { type, diff });
      break;
    case 'md':
      content = [markdownOf(report, type).trimEnd(), '', ...(diff ? [renderDiffMarkdown(diff)] : [])].join('\n');
      break;
  }
  return { content, contentType, fileName, report, diff };
}
