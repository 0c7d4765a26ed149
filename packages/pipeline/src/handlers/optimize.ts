// The optimization job: run every enabled cost check over one account and region, and track what they found.
import { observeConditions, runChecks } from '@finops/checks';
import type { HandlerContext, JobPayload } from '@finops/queues';
import { trackingStoreFor, trackPartition } from '../tracking/index.js';
import type { PipelineDeps } from './shared.js';

export function optimizeHandler(deps: PipelineDeps) {
  return async ({ scanId, accountId, region }: JobPayload<'optimize'>, { logger }: HandlerContext) => {
    const scan = await deps.store.getScan(scanId);
    if (!scan) return { status: 'skipped', reason: `scan ${scanId} has no stored plan (expired or never created)` };
    const resources = await deps.store.loadInventory(scanId, accountId, region, scan.plan.kinds);
    const metrics = await deps.store.loadMetrics(scanId, accountId, region, scan.plan.kinds);
    // Conditions AWS does not time-stamp (unattached, stopped) are timed by the platform's earlier scans.
    const observations = observeConditions(resources);
    // Earlier scans' sightings only: a retry of this job finds the ones its first attempt's tracking recorded.
    const firstSeen = await trackingStoreFor(deps).firstSeen(observations.map((o) => o.id), scan.plan.startedAt);
    const { recommendations, errors } = runChecks({ resources, metrics, prices: deps.prices, config: deps.config, now: deps.now(), firstSeen });
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
    // Tracking runs here, per partition as its checks finish, not in the report job after the last one: the
    // report only gathers the tracked lists. Errors are recorded first: a failed check resolves nothing.
    const tracked = await trackPartition(deps, scan.plan, { accountId, region, recommendations, observations });
    await deps.store.saveRecommendations(scanId, accountId, region, tracked);
    await deps.store.markTracked(scanId, accountId, region);
    // Last: a partition without observations reads as not optimized, where tracking resolves nothing.
    await deps.store.saveObservations(scanId, accountId, region, observations);
    const open = recommendations.filter((r) => r.status === 'open');
    const monthlySavingsUsd = Math.round(open.reduce((sum, r) => sum + r.monthlySavingsUsd, 0) * 100) / 100;
    logger.info({ resources: resources.length, recommendations: open.length, monthlySavingsUsd }, 'optimized');
    return { status: 'completed', recommendations: open.length, monthlySavingsUsd };
  };
}
