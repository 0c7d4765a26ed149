// Narrows a report to some services, regions and accounts, and names the report types (`finops report --type`).
import { roundCents, SERVICE_KINDS, type ResourceKind, type ServiceName } from '@finops/core';
import type { ReportActions } from './actions-schema.js';
import { buildReport } from './build-report.js';
import type { Report } from './report-schema.js';

/**
 * What a rendering shows: `discovery` the inventory, `optimization` the recommendations and savings, `anomaly` the
 * cost trend and anomalies, `budget` the budgets, `all` everything. report.json always carries every section.
 */
export const REPORT_TYPES = ['discovery', 'optimization', 'anomaly', 'budget', 'all'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export interface ReportSelection {
  services?: readonly ServiceName[];
  /** Resource kinds; combined with `services` when both are given (a kind must be in both). */
  kinds?: readonly ResourceKind[];
  regions?: readonly string[];
  accounts?: readonly string[];
}

function allowed(list: readonly string[] | undefined, value: string | undefined): boolean {
  return !list || value === undefined || list.includes(value);
}

/**
 * The report restricted to a selection: recommendations, inventory, errors, remediation actions and anomalies outside
 * it are dropped and the totals (and the savings the actions resolved) are computed again. Anomalies of a region's or
 * account's cost series outside it are dropped; total, service and tag anomalies, budgets (a budget has its own
 * scope) and the API usage are kept whole. What does not name an account, a region or a kind (an audit entry
 * without one) is kept, as a dimension the selection cannot judge. An empty selection returns the report unchanged.
 *
 * @example selectReport(report, { services: ['ec2'], regions: ['eu-west-1'] })
 */
export function selectReport(report: Report, selection: ReportSelection): Report {
  const { services, regions, accounts } = selection;
  if (!services && !selection.kinds && !regions && !accounts) return report;
  const serviceKinds = services ? new Set<ResourceKind>(services.flatMap((s) => SERVICE_KINDS[s])) : undefined;
  const kindOk = (kind: ResourceKind) => (!serviceKinds || serviceKinds.has(kind)) && (!selection.kinds || selection.kinds.includes(kind));
  const partitionOk = (accountId: string | undefined, region: string | undefined) => allowed(accounts, accountId) && allowed(regions, region);

  const inventoryCounts = report.inventory.byAccountRegion
    .filter((p) => partitionOk(p.accountId, p.region))
    .flatMap((p) =>
      (Object.entries(p.byKind) as [ResourceKind, number][])
        .filter(([kind]) => kindOk(kind))
        .map(([kind, count]) => ({ accountId: p.accountId, region: p.region, kind, count })),
    );
  const rebuilt = buildReport({
    scanId: report.scanId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    dryRun: report.dryRun,
    provider: report.provider,
    accounts: report.accounts.filter((a) => allowed(accounts, a)),
    regions: report.regions.filter((r) => allowed(regions, r)),
    inventoryCounts,
    recommendations: [...report.recommendations, ...report.suppressed].filter(
      (r) => kindOk(r.resourceKind) && partitionOk(r.accountId, r.region),
    ),
    errors: report.errors.filter((e) => partitionOk(e.accountId, e.region)),
    apiUsage: report.apiUsage,
  });
  return {
    // Fields this package does not compute (added by later contract versions) are carried over as they are.
    ...report,
    accounts: rebuilt.accounts,
    regions: rebuilt.regions,
    inventory: rebuilt.inventory,
    recommendations: rebuilt.recommendations,
    suppressed: rebuilt.suppressed,
    totals: rebuilt.totals,
    errors: rebuilt.errors,
    // An anomaly of a region's or an account's series belongs to it; total, service and tag series span the selection.
    ...(report.actions ? { actions: selectActions(report, report.actions, kindOk, partitionOk) } : {}),
    anomalies: report.anomalies.filter(
      (a) =>
        (a.dimension !== 'region' || allowed(regions, a.series.slice('region:'.length))) &&
        (a.dimension !== 'account' || allowed(accounts, a.series.slice('account:'.length))),
    ),
  };
}

/**
 * The actions section within a selection: audit entries by their account, region and resource kind; applied actions
 * by their account and region, and by the kind of their recommendation (in this report, or else named by an audit
 * entry of the same action).
 */
function selectActions(
  report: Report,
  actions: ReportActions,
  kindOk: (kind: ResourceKind) => boolean,
  partitionOk: (accountId: string | undefined, region: string | undefined) => boolean,
): ReportActions {
  const kindAllowed = (kind: string | undefined) => kind === undefined || kindOk(kind as ResourceKind);
  const entries = actions.entries.filter((e) => partitionOk(e.accountId, e.region) && kindAllowed(e.resourceKind));
  const kinds = new Map<string, string>();
  for (const e of actions.entries) if (e.actionId && e.resourceKind) kinds.set(e.actionId, e.resourceKind);
  for (const r of [...report.recommendations, ...report.suppressed]) kinds.set(r.id, r.resourceKind);
  const applied = actions.applied.filter((a) => partitionOk(a.accountId, a.region) && kindAllowed(kinds.get(a.recommendationId) ?? kinds.get(a.actionId)));
  const resolved = applied.filter((a) => a.recommendationStatus === 'resolved').reduce((sum, a) => sum + a.monthlySavingsUsd, 0);
  return { ...actions, entries, applied, resolvedMonthlySavingsUsd: roundCents(resolved) };
}

/** Which sections a report type shows. */
export function sectionsOf(type: ReportType): { inventory: boolean; savings: boolean; anomalies: boolean; budgets: boolean } {
  return {
    inventory: type === 'discovery' || type === 'all',
    savings: type === 'optimization' || type === 'all',
    anomalies: type === 'anomaly' || type === 'all',
    budgets: type === 'budget' || type === 'all',
  };
}
