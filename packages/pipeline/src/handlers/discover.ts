// The discovery job: inventory one resource kind in one account and region.
import { toAwsAccessError, withApiUsage } from '@finops/aws';
import type { HandlerContext, JobPayload } from '@finops/queues';
import { recordAwsFailure, type PipelineDeps } from './shared.js';

export function discoverHandler(deps: PipelineDeps) {
  return async ({ scanId, accountId, region, kind }: JobPayload<'discover'>, { job, logger }: HandlerContext) => {
    const scope = { accountId, region };
    const where = { stage: 'discovery' as const, accountId, region, kind };
    try {
      const { result, usage } = await withApiUsage(() => deps.aws.access.discover(kind, scope));
      await deps.store.recordUsage(scanId, job.id!, job.attemptsMade, usage);
      await deps.store.saveInventory(scanId, accountId, region, kind, result);
      await deps.store.clearError(scanId, where);
      logger.info({ resources: result.length }, 'discovered');
      return { status: 'completed', resources: result.length };
    } catch (error) {
      return recordAwsFailure(deps, scanId, where, toAwsAccessError(error, scope, `discover ${kind}`), logger);
    }
  };
}
