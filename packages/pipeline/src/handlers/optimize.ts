// The optimization job: track what one account and region's check jobs found, once all of them are done.
import { roundCents, type ResourceKind, type TimedObservation } from '@finops/core';
import { checkGroupsOf, type CheckedGroup, type HandlerContext, type JobPayload, type PartitionTracking, type ScanPlan } from '@finops/queues';
import { trackPartition } from '../tracking/index.js';
import { checkKinds, openTotals, trackGroup, whatTrackingAdded } from './check.js';
import type { PipelineDeps } from './shared.js';

export function optimizeHandler(deps: PipelineDeps) {
  return async ({ scanId, accountId, region }: JobPayload<'optimize'>, { logger }: HandlerContext) => {
    const scan = await deps.store.getScan(scanId);
    if (!scan) return { status: 'skipped', reason: `scan ${scanId} has no stored plan (expired or never created)` };
    const { plan } = scan;
    if (plan.trackedByKind) return joinGroups(deps, plan, { accountId, region }, logger);
    // Each group's check job saved what it found; a plan of an earlier version has no check jobs, and a group
    // with nothing saved (never expected: its job is this one's child) is checked here, as every group was before.
    const groups = checkGroupsOf(plan) ?? [plan.kinds];
    const checked: CheckedGroup[] = [];
    for (const kinds of groups) checked.push(await checkedGroup(deps, plan, { accountId, region, kinds }));
    const recommendations = checked.flatMap((c) => c.recommendations);
    const observations = checked.flatMap((c) => c.observations);
    // Tracking runs here, per partition as its checks finish, not in the report job after the last one: the
    // report only gathers the tracked lists. Errors were recorded by the checks first: a failed check resolves nothing.
    const tracked = await trackPartition(deps, plan, { accountId, region, recommendations, observations });
    await deps.store.saveTracking(scanId, accountId, region, { groups, ...whatTrackingAdded(recommendations, tracked) });
    // Last: a partition without observations reads as not optimized, where tracking resolves nothing.
    await deps.store.saveObservations(scanId, accountId, region, observations);
    const totals = openTotals({ recommendations });
    logger.info({ recommendations: totals.recommendations, monthlySavingsUsd: totals.monthlySavingsUsd, groups: groups.length }, 'optimized');
    return { status: 'completed', ...totals };
  };
}

/**
 * A plan with `trackedByKind`: each check job tracked its group, so the partition's tracking is their join, made
 * without reading the findings. A group with nothing tracked (never expected: its check job is this one's child) is
 * checked and tracked here.
 */
async function joinGroups(deps: PipelineDeps, plan: ScanPlan, { accountId, region }: { accountId: string; region: string }, logger: HandlerContext['logger']) {
  const { scanId } = plan;
  const groups = checkGroupsOf(plan) ?? [plan.kinds];
  const joined: PartitionTracking = { groups, tracking: {}, resolved: [] };
  const observations: TimedObservation[] = [];
  const totals = { recommendations: 0, monthlySavingsUsd: 0 };
  for (const kinds of groups) {
    const group =
      (await deps.store.loadGroupTracking(scanId, accountId, region, kinds)) ??
      (await trackGroup(deps, plan, { accountId, region, kinds }, await checkedGroup(deps, plan, { accountId, region, kinds })));
    Object.assign(joined.tracking, group.tracking);
    for (const r of group.resolved) joined.resolved.push(r);
    for (const o of group.observations) observations.push(o);
    totals.recommendations += group.open.recommendations;
    totals.monthlySavingsUsd += group.open.monthlySavingsUsd;
  }
  await deps.store.saveTracking(scanId, accountId, region, joined);
  // Last: a partition without observations reads as not optimized, where tracking resolves nothing.
  await deps.store.saveObservations(scanId, accountId, region, observations);
  const monthlySavingsUsd = roundCents(totals.monthlySavingsUsd);
  logger.info({ recommendations: totals.recommendations, monthlySavingsUsd, groups: groups.length }, 'optimized');
  return { status: 'completed', recommendations: totals.recommendations, monthlySavingsUsd };
}

/** What a group's check job saved, or (a job that saved nothing) the group checked and saved now. */
async function checkedGroup(deps: PipelineDeps, plan: ScanPlan, where: { accountId: string; region: string; kinds: ResourceKind[] }): Promise<CheckedGroup> {
  const { accountId, region, kinds } = where;
  const saved = await deps.store.loadChecked(plan.scanId, accountId, region, kinds);
  if (saved) return saved;
  const checked = await checkKinds(deps, plan, where);
  await deps.store.saveChecked(plan.scanId, accountId, region, kinds, checked);
  return checked;
}
