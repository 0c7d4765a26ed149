// The report formats: file name and renderer of each format `reporting.formats` can name.
import type { Config } from '@finops/core';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import type { Report } from './report-schema.js';

export type ReportFormat = Config['reporting']['formats'][number];

export interface ReportFormatSpec {
  fileName: string;
  render(report: Report): string;
}

export const REPORT_FORMATS: Record<ReportFormat, ReportFormatSpec> = {
  json: { fileName: 'report.json', render: (report) => `${JSON.stringify(report, null, 2)}\n` },
  md: { fileName: 'report.md', render: (report) => renderMarkdown(report) },
  csv: { fileName: 'recommendations.csv', render: renderCsv },
  html: { fileName: 'report.html', render: (report) => renderHtml(report) },
};
