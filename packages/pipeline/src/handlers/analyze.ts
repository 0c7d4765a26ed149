// The analysis job: attach CloudWatch metrics to one account and region's inventory, as the enabled checks need them.
import { toAwsAccessError, withApiUsage, type MetricSelection } from '@finops/aws';
import { metricNeeds } from '@finops/checks';
import type { Config, ResourceKind } from '@finops/core';
import type { HandlerContext, JobPayload } from '@finops/queues';
import { recordAwsFailure, type PipelineDeps } from './shared.js';

/**
 * What to ask CloudWatch: the metrics enabled checks read, over the utilization window (hourly, 14 days by default)
 * and the unused window (daily, 30 days by default). A metric both windows need is one query over the longer one.
 */
export function metricSelection(config: Config): MetricSelection {
  const needs = metricNeeds(config);
  return {
    utilization: needs.utilization,
    unused: { lookbackDays: config.optimization.unusedLookbackDays, metrics: needs.unused },
  };
}

export function analyzeHandler(deps: PipelineDeps) {
  return async ({ scanId, accountId, region }: JobPayload<'analyze'>, { job, logger }: HandlerContext) => {
    const scan = await deps.store.getScan(scanId);
    if (!scan) return { status: 'skipped', reason: `scan ${scanId} has no stored plan (expired or never created)` };
    // Per job, not per process: a reloaded config that enables or disables checks changes what is fetched.
    const select = metricSelection(deps.config);
    // Kinds no enabled check reads metrics of (snapshots, addresses) are not even loaded.
    const metered = new Set<ResourceKind>([...Object.keys(select.utilization), ...Object.keys(select.unused?.metrics ?? {})] as ResourceKind[]);
    const kinds = scan.plan.kinds.filter((k) => metered.has(k));
    const resources = await deps.store.loadInventory(scanId, accountId, region, kinds);
    const scope = { accountId, region };
    const where = { stage: 'analysis' as const, accountId, region };
    const { lookbackDays, metricPeriodSec } = deps.config.optimization;
    try {
      const { result, usage } = await withApiUsage(() =>
        deps.aws.access.fetchMetrics(scope, resources, { lookbackDays, periodSec: metricPeriodSec, now: deps.now(), select }),
      );
      await deps.store.recordUsage(scanId, job.id!, job.attemptsMade, usage);
      await deps.store.saveMetrics(scanId, accountId, region, result);
      await deps.store.clearError(scanId, where);
      logger.info({ resources: resources.length, metrics: usage.metricsRequested }, 'analyzed');
      return { status: 'completed', resources: resources.length, metricsRequested: usage.metricsRequested };
    } catch (error) {
      // Without metrics the utilization checks see "no data" and stay silent; the state-based checks still run.
      await deps.store.saveMetrics(scanId, accountId, region, []);
      return recordAwsFailure(deps, scanId, where, toAwsAccessError(error, scope, 'cloudwatch:GetMetricData'), logger);
    }
  };
}
