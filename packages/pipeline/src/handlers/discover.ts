// The discovery job: inventory one resource kind in one account and region.
import { toAwsAccessError, withApiUsageSettled } from '@finops/aws';
import type { HandlerContext, JobPayload } from '@finops/queues';
import { recordAwsFailure, type PipelineDeps } from './shared.js';

export function discoverHandler(deps: PipelineDeps) {
  return async ({ scanId, accountId, region, kind }: JobPayload<'discover'>, { job, logger, progress }: HandlerContext) => {
    const scope = { accountId, region };
    const where = { stage: 'discovery' as const, accountId, region, kind };
    // Settled: the calls of an attempt that fails are counted too.
    const attempt = await withApiUsageSettled(() => deps.aws.access.discover(kind, scope, { scanId }));
    await deps.store.recordUsage(scanId, job.id!, job.attemptsMade, attempt.usage);
    if (attempt.failed) return recordAwsFailure(deps, scanId, where, toAwsAccessError(attempt.error, scope, `discover ${kind}`), logger);
    const result = attempt.value;
    // Before the inventory is stored (a large one takes a while): a watcher shows what was found at once.
    await progress({ stage: 'discover', done: 1, total: 1, resourcesFound: result.length });
    await deps.store.saveInventory(scanId, accountId, region, kind, result);
    await deps.store.clearError(scanId, where);
    logger.info({ resources: result.length }, 'discovered');
    return { status: 'completed', resources: result.length };
  };
}
