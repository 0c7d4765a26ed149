// Builds the report of a scan from its inventory counts, recommendations, errors and API usage.
import { RESOURCE_KINDS } from '@finops/core';
import type { Recommendation, ResourceKind, ScanError } from '@finops/core';
import { z } from 'zod';
import type { ReportFields, ReportListName } from './report-digest.js';
import { sortedBySavings } from './report-order.js';
import { REPORT_SCHEMA_VERSION } from './report-schema.js';
import { TotalsTally } from './report-totals.js';
import { assertValidReport } from './validate-report.js';
import type { ApiUsage, Report } from './report-schema.js';
import type { ReportActions } from './actions-schema.js';
import type { CostSummary } from './cost-summary.js';
import type { AnomalyDetectionSummary, ReportAnomaly, ReportBudget } from './insights-schema.js';

export interface BuildReportInput {
  scanId: string;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  provider: Report['provider'];
  accounts: string[];
  regions: string[];
  /** One row per inventoried (account, region, kind), zero counts included. */
  inventoryCounts: { accountId: string; region: string; kind: ResourceKind; count: number }[];
  /** Every recommendation of the scan, whatever its status. */
  recommendations: Recommendation[];
  errors: ScanError[];
  apiUsage: ApiUsage;
  /** The scan's cost summary (summarizeCosts), when the scan had a costs stage. */
  costs?: CostSummary;
  /** Cost anomalies and budget status (the insights stage), in the order to show them. */
  anomalies?: ReportAnomaly[];
  anomalyDetection?: AnomalyDetectionSummary;
  budgets?: ReportBudget[];
  /** Remediation since the previous scan (@finops/remediation's actionsSection). */
  actions?: ReportActions;
}

/** Everything a report is built from but its recommendations. */
export type ReportFieldsInput = Omit<BuildReportInput, 'recommendations'>;

function kindCounts(rows: readonly { kind: ResourceKind; count: number }[]): Partial<Record<ResourceKind, number>> {
  const counts: Partial<Record<ResourceKind, number>> = {};
  for (const row of rows) counts[row.kind] = (counts[row.kind] ?? 0) + row.count;
  // Model order, not arrival order: reports diff cleanly from one scan to the next.
  return Object.fromEntries(RESOURCE_KINDS.filter((kind) => kind in counts).map((kind) => [kind, counts[kind]]));
}

/**
 * A report's fields in report.json's order, around its two lists as `L` holds them (whole, or a digest) and the
 * totals over them: one shape for a report built in memory and one built a partition at a time.
 */
export function reportShape<L>(input: ReportFieldsInput, lists: Record<ReportListName, L>, totals: Report['totals']): ReportFields & Record<ReportListName, L> {
  const partitions = new Map<string, { accountId: string; region: string; rows: typeof input.inventoryCounts }>();
  for (const row of input.inventoryCounts) {
    const key = `${row.accountId}|${row.region}`;
    const partition = partitions.get(key) ?? { accountId: row.accountId, region: row.region, rows: [] };
    partition.rows.push(row);
    partitions.set(key, partition);
  }
  const byAccountRegion = [...partitions.values()]
    .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region))
    .map(({ accountId, region, rows }) => ({ accountId, region, byKind: kindCounts(rows) }));

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    scanId: input.scanId,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    dryRun: input.dryRun,
    provider: input.provider,
    accounts: input.accounts,
    regions: input.regions,
    inventory: {
      total: input.inventoryCounts.reduce((sum, row) => sum + row.count, 0),
      byKind: kindCounts(input.inventoryCounts),
      byAccountRegion,
    },
    recommendations: lists.recommendations,
    suppressed: lists.suppressed,
    totals,
    anomalies: input.anomalies ?? [],
    ...(input.anomalyDetection ? { anomalyDetection: input.anomalyDetection } : {}),
    budgets: input.budgets ?? [],
    errors: input.errors,
    ...(input.costs ? { costs: input.costs } : {}),
    ...(input.actions ? { actions: input.actions } : {}),
    apiUsage: input.apiUsage,
  };
}

/**
 * The scan's report: open recommendations by savings, suppressed ones apart and not counted, totals by check,
 * account and region over the open ones not folded into another (`foldedInto`: alternatives on the same resource,
 * so their savings do not add up). Not checked against the report schema: for a report that goes straight to
 * writeReportFiles, which checks it before anything reaches disk (checking it here too costs a second pass —
 * over two seconds at 100k recommendations). Holds the input's objects (recommendations, errors, costs), not copies.
 * A report too large to hold is built with StreamedReportBuilder instead, to the same files.
 */
export function assembleReport(input: BuildReportInput): Report {
  const open = sortedBySavings(input.recommendations.filter((r) => r.status === 'open'));
  const suppressed = sortedBySavings(input.recommendations.filter((r) => r.status !== 'open'));
  const tally = new TotalsTally();
  for (const r of open) tally.add(r);
  return reportShape(input, { recommendations: open, suppressed }, tally.totals());
}

/**
 * The scan's report as {@link assembleReport} builds it, checked: throws when the result does not match the report
 * schema (a bug upstream, never data to write).
 */
export function buildReport(input: BuildReportInput): Report {
  const report = assembleReport(input);
  try {
    assertValidReport(report);
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    throw new Error(`report of scan ${input.scanId} does not match report schema ${REPORT_SCHEMA_VERSION}:\n${z.prettifyError(error)}`);
  }
  return report;
}
