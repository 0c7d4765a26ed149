// The costs job: the scan's daily costs from Cost Explorer (shared through the Redis cache), stored with the scan.
import { DEFAULT_COST_GROUPINGS, maxCostLookbackDays, toAwsAccessError, withApiUsageSettled, type CostGrouping } from '@finops/aws';
import { roundCents, type Config } from '@finops/core';
import type { HandlerContext, JobPayload } from '@finops/queues';
import { recordAwsFailure, type PipelineDeps } from './shared.js';

/**
 * Days to fetch: `costs.lookbackDays`, or more when anomaly detection needs a longer history, never beyond what
 * Cost Explorer keeps on the day of `now`.
 */
export function costLookbackDays(config: Config, now: Date): number {
  const wanted = Math.max(config.costs.lookbackDays, config.anomalyDetection.enabled ? config.anomalyDetection.lookbackDays : 0);
  return Math.min(wanted, maxCostLookbackDays(now));
}

/** Service, region and account (the breakdown), plus a series per watched cost-allocation tag. */
export function costGroupings(config: Config): CostGrouping[] {
  const tags = config.anomalyDetection.enabled ? config.anomalyDetection.tagKeys.map((key) => `TAG:${key}` as const) : [];
  return [...DEFAULT_COST_GROUPINGS, ...tags];
}

export function costsHandler(deps: PipelineDeps) {
  return async ({ scanId, region }: JobPayload<'costs'>, { job, logger }: HandlerContext) => {
    const scan = await deps.store.getScan(scanId);
    if (!scan) return { status: 'skipped', reason: `scan ${scanId} has no stored plan (expired or never created)` };
    const now = deps.now();
    const where = { stage: 'costs' as const };
    const lookbackDays = costLookbackDays(deps.config, now);
    // Settled: requests made before a failure are still counted.
    const attempt = await withApiUsageSettled(() =>
      deps.aws.access.fetchCosts({ lookbackDays, granularity: 'DAILY', groupings: costGroupings(deps.config), accounts: scan.plan.accounts, now }),
    );
    const { usage } = attempt;
    await deps.store.recordUsage(scanId, job.id!, job.attemptsMade, usage);
    if (attempt.failed) {
      // Without costs, cost-based features see "no data"; the report says why (stage `costs` in its errors).
      const error = toAwsAccessError(attempt.error, { accountId: scan.plan.accounts[0] ?? 'unknown', region }, 'ce:GetCostAndUsage');
      return recordAwsFailure(deps, scanId, where, error, logger);
    }
    const dataset = attempt.value;
    await deps.store.saveCosts(scanId, dataset);
    await deps.store.clearError(scanId, where);
    const totalUsd = (dataset.series.total ?? []).reduce((sum, day) => sum + day.amountUsd, 0);
    logger.info(
      { cached: dataset.cached, costExplorerRequests: usage.costExplorerRequests, start: dataset.start, end: dataset.end, totalUsd: roundCents(totalUsd) },
      dataset.cached ? 'costs from cache' : 'costs fetched',
    );
    return {
      status: 'completed',
      cached: dataset.cached,
      start: dataset.start,
      end: dataset.end,
      metric: dataset.metric,
      totalUsd: roundCents(totalUsd),
      series: Object.keys(dataset.series).length,
      costExplorerRequests: usage.costExplorerRequests,
    };
  };
}
