// The check job: run the cost checks of one group of kinds in one account and region, as soon as its kinds are analysed.
import { checksOf, observeConditions, runChecks } from '@finops/checks';
import { roundCents, type Recommendation, type ResourceKind } from '@finops/core';
import type { CheckedGroup, GroupTracking, HandlerContext, JobPayload, PartitionTracking, ScanPlan } from '@finops/queues';
import { trackPartition, trackingStoreFor } from '../tracking/index.js';
import type { PipelineDeps } from './shared.js';

export function checkHandler(deps: PipelineDeps) {
  return async ({ scanId, accountId, region, kinds }: JobPayload<'check'>, { logger }: HandlerContext) => {
    const scan = await deps.store.getScan(scanId);
    if (!scan) return { status: 'skipped', reason: `scan ${scanId} has no stored plan (expired or never created)` };
    const checked = await checkKinds(deps, scan.plan, { accountId, region, kinds });
    await deps.store.saveChecked(scanId, accountId, region, kinds, checked);
    // Tracked here, as soon as the group is checked: only the last group's tracking is left when the partition's
    // slowest listing (Lambda's ListTags) ends. Errors were recorded by the checks first: a failed check resolves nothing.
    if (scan.plan.trackedByKind) await trackGroup(deps, scan.plan, { accountId, region, kinds }, checked);
    const { recommendations, monthlySavingsUsd } = openTotals(checked);
    logger.info({ kinds, recommendations, monthlySavingsUsd }, 'checked');
    return { status: 'completed', recommendations, monthlySavingsUsd };
  };
}

/**
 * Runs the checks of `kinds` (those whose recommendations are on one of them) over the partition's inventory and
 * metrics of those kinds; a check that fails on a resource is recorded as the scan's error and the others go on.
 */
export async function checkKinds(
  deps: PipelineDeps,
  plan: ScanPlan,
  { accountId, region, kinds }: { accountId: string; region: string; kinds: readonly ResourceKind[] },
): Promise<CheckedGroup> {
  const { scanId } = plan;
  const resources = await deps.store.loadInventory(scanId, accountId, region, kinds);
  const metrics = await deps.store.loadMetrics(scanId, accountId, region, kinds);
  // Conditions AWS does not time-stamp (unattached, stopped) are timed by the platform's earlier scans.
  const observations = observeConditions(resources);
  // Earlier scans' sightings only: a job run again after this scan's tracking (a retried optimize job checking a
  // group itself) finds the sightings that tracking recorded, and must not take them for earlier ones.
  const firstSeen = await trackingStoreFor(deps).firstSeen(observations.map((o) => o.id), plan.startedAt);
  const { recommendations, errors } = runChecks({ resources, metrics, prices: deps.prices, config: deps.config, now: deps.now(), firstSeen, checks: checksOf(kinds) });
  for (const e of errors) {
    await deps.store.recordError(scanId, {
      stage: 'optimization',
      accountId,
      region,
      kind: e.checkId,
      code: 'CheckFailed',
      message: `check ${e.checkId} failed on ${e.resourceId}: ${e.message}`,
      hint: 'this is a bug in the check: report it with the resource attached; other checks were not affected',
      at: deps.now().toISOString(),
    });
  }
  return { recommendations, observations };
}

/**
 * Tracks a checked group's findings (one tracking scope per kind, see trackPartition) and saves what the partition's
 * optimize job joins: their tracking, what they resolved, the observations and the open totals.
 */
export async function trackGroup(
  deps: PipelineDeps,
  plan: ScanPlan,
  { accountId, region, kinds }: { accountId: string; region: string; kinds: readonly ResourceKind[] },
  checked: CheckedGroup,
): Promise<GroupTracking> {
  const { recommendations, observations } = checked;
  const tracked = await trackPartition(deps, plan, { accountId, region, recommendations, observations }, kinds);
  const group: GroupTracking = { ...whatTrackingAdded(recommendations, tracked), observations, open: openTotals(checked) };
  await deps.store.saveGroupTracking(plan.scanId, accountId, region, kinds, group);
  return group;
}

/**
 * What tracking added to `found`: each finding's history by id, and the previous scan's findings it resolved. Only
 * this is saved; the findings stay in their group's blob (loadRecommendations joins them).
 */
export function whatTrackingAdded(found: readonly Recommendation[], tracked: readonly Recommendation[]): Pick<PartitionTracking, 'tracking' | 'resolved'> {
  const ids = new Set(found.map((r) => r.id));
  const added: Pick<PartitionTracking, 'tracking' | 'resolved'> = { tracking: {}, resolved: [] };
  for (const r of tracked) {
    if (!ids.has(r.id)) added.resolved.push(r);
    else if (r.tracking) added.tracking[r.id] = r.tracking;
  }
  return added;
}

/** Open recommendations and their monthly savings, rounded to cents: what a job's result and log report. */
export function openTotals({ recommendations }: Pick<CheckedGroup, 'recommendations'>): { recommendations: number; monthlySavingsUsd: number } {
  const open = recommendations.filter((r) => r.status === 'open');
  return { recommendations: open.length, monthlySavingsUsd: roundCents(open.reduce((sum, r) => sum + r.monthlySavingsUsd, 0)) };
}
