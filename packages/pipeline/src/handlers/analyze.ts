// The analysis job: attach CloudWatch utilization to one account and region's inventory.
import { toAwsAccessError, withApiUsage } from '@finops/aws';
import type { ResourceKind } from '@finops/core';
import type { HandlerContext, JobPayload } from '@finops/queues';
import { recordAwsFailure, type PipelineDeps } from './shared.js';

/** Kinds that have CloudWatch utilization metrics; snapshots and addresses have none. */
const METERED_KINDS: readonly ResourceKind[] = ['ec2-instance', 'ebs-volume', 'rds-instance', 'lambda-function'];

export function analyzeHandler(deps: PipelineDeps) {
  return async ({ scanId, accountId, region }: JobPayload<'analyze'>, { job, logger }: HandlerContext) => {
    const scan = await deps.store.getScan(scanId);
    if (!scan) return { status: 'skipped', reason: `scan ${scanId} has no stored plan (expired or never created)` };
    const kinds = scan.plan.kinds.filter((k) => METERED_KINDS.includes(k));
    const resources = await deps.store.loadInventory(scanId, accountId, region, kinds);
    const scope = { accountId, region };
    const where = { stage: 'analysis' as const, accountId, region };
    const { lookbackDays, metricPeriodSec } = deps.config.optimization;
    try {
      const { result, usage } = await withApiUsage(() =>
        deps.aws.access.fetchMetrics(scope, resources, { lookbackDays, periodSec: metricPeriodSec, now: deps.now() }),
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
