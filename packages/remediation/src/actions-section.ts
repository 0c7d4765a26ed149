// The report's `actions` section: the audit trail since the previous scan, and which applied actions this scan resolved.
import { roundCents, type Recommendation } from '@finops/core';
import type { ScanPlan } from '@finops/queues';
import type { ReportActions } from '@finops/reports';
import { remediationStores, type RemediationDeps } from './remediation-deps.js';
import type { ActionRecord, AuditEntry } from './remediation-types.js';

/** Most audit entries a report carries; `finops audit` reads the rest. */
export const REPORT_AUDIT_LIMIT = 1000;

export interface ActionsWindowInput {
  plan: ScanPlan;
  /** When the report is built. */
  until: Date;
}

/** The remediation a scan's report covers, before the report knows which of its recommendations are current. */
export interface ActionsWindow {
  since: Date;
  until: Date;
  /** Audit entries of the scan's accounts, newest first, at most REPORT_AUDIT_LIMIT. */
  entries: AuditEntry[];
  /** Live actions applied in the scan's accounts and regions. */
  applied: ActionRecord[];
  /** The recommendations of `applied`: the only ids whose being current in this scan the section reads. */
  recommendationIds: ReadonlySet<string>;
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
 * From the previous scan's start to `until`: audit entries of the scan's accounts, and the live actions applied in
 * its accounts and regions. The report then says which of `recommendationIds` this scan still finds
 * ({@link actionsSection}), so it never needs a set of every recommendation it has.
 */
export async function actionsWindow(deps: Pick<RemediationDeps, 'config' | 'redis' | 'scans' | 'now'>, { plan, until }: ActionsWindowInput): Promise<ActionsWindow> {
  const { store, audit } = remediationStores(deps);
  const started = Date.parse(plan.startedAt);
  const previous = (await deps.scans.listScans(50)).find((scan) => scan.plan.scanId !== plan.scanId && Date.parse(scan.plan.startedAt) < started);
  const since = previous ? new Date(previous.plan.startedAt) : new Date(until.getTime() - deps.config.safety.auditRetentionDays * 86_400_000);
  const accounts = new Set(plan.accounts);
  const entries = (await audit.list({ since, until, limit: REPORT_AUDIT_LIMIT })).filter((e) => e.accountId === undefined || accounts.has(e.accountId));
  const applied = (await store.appliedBetween(since, until)).filter((r) => accounts.has(r.accountId) && plan.regions.includes(r.region));
  return { since, until, entries, applied, recommendationIds: new Set(applied.map((r) => r.recommendationId)) };
}

/**
 * The section over a window, given which of its `recommendationIds` this scan found (`isCurrent`, any status but
 * resolved): each applied action whose recommendation is not current is marked resolved, and that recommendation
 * (as the action's scan found it) is returned to be reported `resolved`.
 */
export async function actionsSection(deps: Pick<RemediationDeps, 'scans'>, window: ActionsWindow, isCurrent: (recommendationId: string) => boolean): Promise<ActionsSection> {
  const gone = window.applied.filter((r) => !isCurrent(r.recommendationId));
  // Each earlier scan partition's findings are read once and let go before the next: only what they resolved is kept.
  const wanted = new Map<string, { scanId: string; accountId: string; region: string; ids: Set<string> }>();
  for (const record of gone) {
    const key = partitionKey(record);
    const partition = wanted.get(key) ?? { scanId: record.scanId, accountId: record.accountId, region: record.region, ids: new Set<string>() };
    partition.ids.add(record.recommendationId);
    wanted.set(key, partition);
  }
  const found = new Map<string, Recommendation>();
  for (const [key, { scanId, accountId, region, ids }] of wanted) {
    for (const r of await deps.scans.loadRecommendations(scanId, accountId, region)) {
      if (ids.has(r.id) && !found.has(`${key}|${r.id}`)) found.set(`${key}|${r.id}`, r);
    }
  }
  const resolved: Recommendation[] = [];
  for (const record of gone) {
    const earlier = found.get(`${partitionKey(record)}|${record.recommendationId}`);
    if (earlier && !resolved.some((r) => r.id === earlier.id)) resolved.push({ ...earlier, status: 'resolved', reason: `${earlier.reason} — resolved by ${record.actionType} (${record.actionId}) at ${record.at}` });
  }
  const section: ReportActions = {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    entries: window.entries,
    applied: window.applied.map((r) => ({
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
      recommendationStatus: isCurrent(r.recommendationId) ? 'open' : 'resolved',
    })),
    resolvedMonthlySavingsUsd: roundCents(gone.reduce((sum, r) => sum + r.monthlySavingsUsd, 0)),
  };
  return { section, resolved };
}

function partitionKey(record: Pick<ActionRecord, 'scanId' | 'accountId' | 'region'>): string {
  return `${record.scanId}|${record.accountId}|${record.region}`;
}
