// The body posted to the backend sink for one scan: summary, open recommendations, anomalies, budgets, errors.
import type { Report } from '@finops/reports';

/** Version of this body; bumped like the report schema (minor: additive, major: breaking). */
export const BACKEND_PAYLOAD_VERSION = '1.0.0';

export interface BackendPayload {
  kind: 'finops.scan-results';
  version: typeof BACKEND_PAYLOAD_VERSION;
  /** Also the Idempotency-Key header: a backend that stores by it ignores repeats. */
  idempotencyKey: string;
  scanId: string;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  provider: Report['provider'];
  accounts: string[];
  regions: string[];
  reportSchemaVersion: string;
  summary: {
    monthlySavingsUsd: number;
    recommendations: number;
    suppressed: number;
    resourcesInventoried: number;
    anomalies: number;
    budgets: number;
    errors: number;
    byCheck: Report['totals']['byCheck'];
    byAccount: Report['totals']['byAccount'];
    byRegion: Report['totals']['byRegion'];
  };
  recommendations: Report['recommendations'];
  anomalies: Report['anomalies'];
  budgets: Report['budgets'];
  errors: Report['errors'];
}

/** The Idempotency-Key of a scan's delivery: one per scan, whatever the attempt or replica. */
export function scanDeliveryKey(scanId: string): string {
  return `finops-scan-${scanId}`;
}

export function backendPayload(report: Report): BackendPayload {
  return {
    kind: 'finops.scan-results',
    version: BACKEND_PAYLOAD_VERSION,
    idempotencyKey: scanDeliveryKey(report.scanId),
    scanId: report.scanId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    dryRun: report.dryRun,
    provider: report.provider,
    accounts: report.accounts,
    regions: report.regions,
    reportSchemaVersion: report.schemaVersion,
    summary: {
      monthlySavingsUsd: report.totals.monthlySavingsUsd,
      recommendations: report.totals.recommendations,
      suppressed: report.suppressed.length,
      resourcesInventoried: report.inventory.total,
      anomalies: report.anomalies.length,
      budgets: report.budgets.length,
      errors: report.errors.length,
      byCheck: report.totals.byCheck,
      byAccount: report.totals.byAccount,
      byRegion: report.totals.byRegion,
    },
    recommendations: report.recommendations,
    anomalies: report.anomalies,
    budgets: report.budgets,
    errors: report.errors,
  };
}
