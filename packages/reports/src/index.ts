// @finops/reports: the versioned report.json contract, its builder, and the Markdown and CSV renderings.
export { REPORT_SCHEMA_VERSION, recommendationSchema, reportSchema, scanErrorSchema } from './report-schema.js';
export type { ApiUsage, Report, SavingsBucket } from './report-schema.js';
export { buildReport } from './build-report.js';
export type { BuildReportInput } from './build-report.js';
export { renderMarkdown } from './render-markdown.js';
export type { MarkdownOptions } from './render-markdown.js';
export { csvField, renderCsv } from './render-csv.js';
export { REPORT_FORMATS } from './report-formats.js';
export type { ReportFormat, ReportFormatSpec } from './report-formats.js';
export { writeReportFiles } from './write-report-files.js';
