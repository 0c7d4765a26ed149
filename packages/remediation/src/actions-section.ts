// The report's `actions` section: the audit trail since the previous scan, and which applied actions this scan resolved.
import type { Recommendation } from '@finops/core';
import type { ScanPlan } from '@finops/queues';
import type { ReportActions } from '@finops/reports';
import { remediationStores, type RemediationDeps } from './remediation-deps.js';

/** Most audit entries a report carries; `finops audit` reads the rest. */
export const REPORT_AUDIT_LIMIT = 1000;

export interface ActionsSectionInput {
  plan: ScanPlan;
  /** Every recommendation of this scan (any status). */
  recommendations: readonly Recommendation[];
  /** When the report is built. */
  until: Date;
}

export interface ActionsSection {
  section: ReportActions;
  /**
   * Recommendations of earlier scans whose live action this scan shows resolved, with status `resolved`: the report
   * lists them beside the suppressed ones, outside the totals.
   */
  resolved: Recommendation[];
}

/**
 * From the previous scan's start to now: audit entries of the scan's accounts, and the live actions applied, each
 * marked `resolved` when this scan no longer finds its recommendation.
 */
export async function actionsSection(deps: Pick<RemediationDeps, 'config' | 'redis' | 'scans' | 'now'>, input: ActionsSectionInput): Promise<ActionsSection> {
  const { store, audit } = remediationStores(deps);
  const started = Date.parse(input.plan.startedAt);
  const previous = (await deps.scans.listScans(50)).find((scan) => scan.plan.scanId !== input.plan.scanId && Date.parse(scan.plan.startedAt) < started);
  const since = previous ? new Date(previous.plan.startedAt) : new Date(input.until.getTime() - deps.config.safety.auditRetentionDays * 86_400_000);
  const accounts = new Set(input.plan.accounts);
  const entries = (await audit.list({ since, until: input.until, limit: REPORT_AUDIT_LIMIT })).filter((e) => e.accountId === undefined || accounts.has(e.accountId));
  const current = new Set(input.recommendations.map((r) => r.id));
  const applied = (await store.appliedBetween(since, input.until)).filter((r) => accounts.has(r.accountId) && input.plan.regions.includes(r.region));
  const resolved: Recommendation[] = [];
  // Each scan partition's findings are read once, however many of its actions this scan shows resolved.
  const partitions = new Map<string, Promise<Recommendation[]>>();
  const findingsOf = (scanId: string, accountId: string, region: string) => {
    const key = `${scanId}|${accountId}|${region}`;
    let findings = partitions.get(key);
    if (!findings) {
      findings = deps.scans.loadRecommendations(scanId, accountId, region);
      partitions.set(key, findings);
    }
    return findings;
  };
  for (const record of applied.filter((r) => !current.has(r.recommendationId))) {
    const earlier = (await findingsOf(record.scanId, record.accountId, record.region)).find((r) => r.id === record.recommendationId);
    if (earlier && !resolved.some((r) => r.id === earlier.id)) resolved.push({ ...earlier, status: 'resolved', reason: `${earlier.reason} — resolved by ${record.actionType} (${record.actionId}) at ${record.at}` });
  }
  const section: ReportActions = {
    since: since.toISOString(),
    until: input.until.toISOString(),
    entries,
    applied: applied.map((r) => ({
      actionId: r.actionId,
      recommendationId: r.recommendationId,
      actionType: r.actionType,
      checkId: r.checkId,
      accountId: r.accountId,
      region: r.region,
      resourceId: r.resourceId,
      monthlySavingsUsd: r.monthlySavingsUsd,
      appliedAt: r.at,
      appliedBy: r.actor,
      recommendationStatus: current.has(r.recommendationId) ? 'open' : 'resolved',
    })),
    resolvedMonthlySavingsUsd: Math.round(applied.filter((r) => !current.has(r.recommendationId)).reduce((sum, r) => sum + r.monthlySavingsUsd, 0) * 100) / 100,
  };
  return { section, resolved };
}
