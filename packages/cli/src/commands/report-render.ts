// `finops report --format json|md|csv|html [--diff]` with --services/--regions/--accounts: the report files' renderers.
import { SERVICE_NAMES, UsageError, type ServiceName } from '@finops/core';
import { reportBefore } from '@finops/pipeline';
import type { ScanRecord, ScanStore } from '@finops/queues';
import { REPORT_FORMATS, REPORT_TYPES, diffReports, renderDiffMarkdown, renderReport, selectReport, type Report, type ReportFormat, type ReportType } from '@finops/reports';
import { list } from '../cli-runtime.js';

export interface RenderFlags {
  type: string;
  format?: string;
  diff?: boolean;
  services?: string;
  regions?: string;
  accounts?: string;
}

/** True when the flags ask for a rendering rather than the text summary. */
export function wantsRendering(flags: RenderFlags): boolean {
  return Boolean(flags.format || flags.diff || flags.services || flags.regions || flags.accounts);
}

/**
 * The report in `--format` (default md) for `--type` and the selection, or with `--diff` the changes since the
 * previous completed scan (Markdown, or JSON with --format json).
 */
export async function renderForCli(store: ScanStore, record: ScanRecord, report: Report, flags: RenderFlags): Promise<string> {
  const format = (flags.format ?? 'md') as ReportFormat;
  if (!(format in REPORT_FORMATS)) throw new UsageError(`--format: unknown format "${flags.format}"`, { hint: `use one of ${Object.keys(REPORT_FORMATS).join(', ')}` });
  const services = list(flags.services);
  const unknown = services?.filter((s) => !SERVICE_NAMES.includes(s as ServiceName));
  if (unknown?.length) throw new UsageError(`--services: unknown service ${unknown.join(', ')}`, { hint: `use a comma list of ${SERVICE_NAMES.join(', ')}` });
  const type = ((REPORT_TYPES as readonly string[]).includes(flags.type) ? flags.type : 'all') as ReportType;
  const selection = { services: services as ServiceName[] | undefined, regions: list(flags.regions), accounts: list(flags.accounts) };
  const previous = await reportBefore(store, record.plan.startedAt);
  if (flags.diff) {
    if (!previous) throw new UsageError(`scan ${report.scanId} has no completed scan before it to compare with`, { hint: 'run another scan first' });
    const diff = diffReports(selectReport(previous, selection), selectReport(report, selection));
    return format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : renderDiffMarkdown(diff);
  }
  return renderReport(report, format, { type, ...selection, previous: format === 'md' || format === 'html' ? previous : undefined }).content;
}
