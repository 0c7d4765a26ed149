// Builds the report of a scan from its inventory counts, recommendations, errors and API usage.
import { RESOURCE_KINDS } from '@finops/core';
import type { Recommendation, ResourceKind, ScanError } from '@finops/core';
import { z } from 'zod';
import { REPORT_SCHEMA_VERSION } from './report-schema.js';
import { assertValidReport } from './validate-report.js';
import type { ApiUsage, Report, SavingsBucket } from './report-schema.js';
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

function roundCents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/**
 * Largest saving first; ties in id order, so the same scan always renders the same way. The keys are read once
 * into uniform records: the comparator then reads two fields of one shape instead of recommendations of many.
 */
function sortedBySavings(recommendations: readonly Recommendation[]): Recommendation[] {
  return recommendations
    .map((r) => ({ savings: r.monthlySavingsUsd, id: r.id, r }))
    .sort((a, b) => b.savings - a.savings || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ r }) => r);
}

function kindCounts(rows: readonly { kind: ResourceKind; count: number }[]): Partial<Record<ResourceKind, number>> {
  const counts: Partial<Record<ResourceKind, number>> = {};
  for (const row of rows) counts[row.kind] = (counts[row.kind] ?? 0) + row.count;
  // Model order, not arrival order: reports diff cleanly from one scan to the next.
  return Object.fromEntries(RESOURCE_KINDS.filter((kind) => kind in counts).map((kind) => [kind, counts[kind]]));
}

function bucketBy(
  recommendations: readonly Recommendation[],
  keyOf: (r: Recommendation) => string,
  order: 'savings' | 'key',
): Record<string, SavingsBucket> {
  const buckets = new Map<string, SavingsBucket>();
  for (const r of recommendations) {
    const key = keyOf(r);
    const bucket = buckets.get(key) ?? { count: 0, monthlySavingsUsd: 0 };
    bucket.count += 1;
    bucket.monthlySavingsUsd = roundCents(bucket.monthlySavingsUsd + r.monthlySavingsUsd);
    buckets.set(key, bucket);
  }
  const entries = [...buckets.entries()].sort(([keyA, a], [keyB, b]) =>
    order === 'savings' && b.monthlySavingsUsd !== a.monthlySavingsUsd
      ? b.monthlySavingsUsd - a.monthlySavingsUsd
      : keyA.localeCompare(keyB),
  );
  return Object.fromEntries(entries);
}

/**
 * The scan's report: open recommendations by savings, suppressed ones apart and not counted, totals by check,
 * account and region over the open ones not folded into another (`foldedInto`: alternatives on the same resource,
 * so their savings do not add up). Not checked against the report schema: for a report that goes straight to
 * writeReportFiles, which checks it before anything reaches disk (checking it here too costs a second pass —
 * over two seconds at 100k recommendations). Holds the input's objects (recommendations, errors, costs), not copies.
 */
export function assembleReport(input: BuildReportInput): Report {
  const open = sortedBySavings(input.recommendations.filter((r) => r.status === 'open'));
  const suppressed = sortedBySavings(input.recommendations.filter((r) => r.status !== 'open'));
  const counted = open.filter((r) => r.foldedInto === undefined);
  const folded = open.filter((r) => r.foldedInto !== undefined);

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

  const report: Report = {
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
    recommendations: open,
    suppressed,
    totals: {
      monthlySavingsUsd: roundCents(counted.reduce((sum, r) => sum + r.monthlySavingsUsd, 0)),
      recommendations: open.length,
      byCheck: bucketBy(counted, (r) => r.checkId, 'savings'),
      byAccount: bucketBy(counted, (r) => r.accountId, 'key'),
      byRegion: bucketBy(counted, (r) => r.region, 'key'),
      folded: { count: folded.length, monthlySavingsUsd: roundCents(folded.reduce((sum, r) => sum + r.monthlySavingsUsd, 0)) },
    },
    anomalies: input.anomalies ?? [],
    ...(input.anomalyDetection ? { anomalyDetection: input.anomalyDetection } : {}),
    budgets: input.budgets ?? [],
    errors: input.errors,
    ...(input.costs ? { costs: input.costs } : {}),
    ...(input.actions ? { actions: input.actions } : {}),
    apiUsage: input.apiUsage,
  };
  return report;
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
