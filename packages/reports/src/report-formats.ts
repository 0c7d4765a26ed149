// The report formats: file name, layout and list item of each format `reporting.formats` can name.
import type { Config } from '@finops/core';
import { renderLayout, type FileLayout, type ListItem } from './file-layout.js';
import { jsonItem, jsonLayout } from './json-chunks.js';
import { csvItem, csvLayout } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { digestOf, type ReportDigest } from './report-digest.js';
import type { Report } from './report-schema.js';

export type ReportFormat = Config['reporting']['formats'][number];

export interface ReportFormatSpec {
  fileName: string;
  /**
   * The file from the report's digest: its text, and a slot for each list it carries whole (report.json,
   * recommendations.csv), so that a report too large to hold is written while its lists are read.
   */
  layout(digest: ReportDigest): FileLayout;
  /** How the format writes a recommendation where its layout has a slot; undefined when it has none. */
  item?: ListItem;
  /** The whole file of a report in memory: its layout, filled. */
  render(report: Report): string;
}

/** A format from its layout (and item); `render` fills it from the report's lists. */
function format(fileName: string, layout: (digest: ReportDigest) => FileLayout, item?: ListItem): ReportFormatSpec {
  return { fileName, layout, ...(item ? { item } : {}), render: (report) => renderLayout(layout(digestOf(report)), item, report) };
}

export const REPORT_FORMATS: Record<ReportFormat, ReportFormatSpec> = {
  json: format('report.json', jsonLayout, jsonItem),
  // report.md and report.html show the first recommendations of each list only: rendered whole from the digest.
  md: format('report.md', (digest) => [renderMarkdown(digest)]),
  csv: format('recommendations.csv', csvLayout, csvItem),
  html: format('report.html', (digest) => [renderHtml(digest)]),
};

/** The formats written for `reporting.formats`: report.json always, then the others asked for, in registry order. */
export function formatsToWrite(formats: readonly ReportFormat[]): ReportFormat[] {
  const wanted = new Set<ReportFormat>(['json', ...formats]);
  return (Object.keys(REPORT_FORMATS) as ReportFormat[]).filter((format) => wanted.has(format));
}

/** The list item of a format whose layout carries lists (json, csv); throws for one that has none. */
export function itemOf(format: ReportFormat): ListItem {
  const { item } = REPORT_FORMATS[format];
  if (!item) throw new Error(`format ${format} has no list item: only a format whose layout has list slots renders recommendations one by one`);
  return item;
}
