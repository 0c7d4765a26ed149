// The report formats: file name and renderer of each format `reporting.formats` can name.
import type { Config } from '@finops/core';
import { jsonChunks } from './json-chunks.js';
import { csvLines } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import type { Report } from './report-schema.js';

export type ReportFormat = Config['reporting']['formats'][number];

export interface ReportFormatSpec {
  fileName: string;
  /** The file's content in pieces, for writing a large report without holding all of it as one string. */
  chunks(report: Report): Iterable<string>;
  /** The file's content: the pieces of `chunks`, joined. */
  render(report: Report): string;
}

/** A format from its pieces; `render` joins them. */
function format(fileName: string, chunks: (report: Report) => Iterable<string>): ReportFormatSpec {
  return { fileName, chunks, render: (report) => [...chunks(report)].join('') };
}

export const REPORT_FORMATS: Record<ReportFormat, ReportFormatSpec> = {
  json: format('report.json', jsonChunks),
  // report.md and report.html show the top recommendations only: small enough to render whole.
  md: format('report.md', (report) => [renderMarkdown(report)]),
  csv: format('recommendations.csv', csvLines),
  html: format('report.html', (report) => [renderHtml(report)]),
};
