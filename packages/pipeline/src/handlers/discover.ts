// The discovery job: inventory one resource kind in one account and region.
import { toAwsAccessError, withApiUsageSettled } from '@finops/aws';
import type { Resource } from '@finops/core';
import { analysisJobOf, analyzedKindsOf, type HandlerContext, type JobPayload } from '@finops/queues';
import { flowJobOptions } from '../scan.js';
import { recordAwsFailure, type PipelineDeps } from './shared.js';

export function discoverHandler(deps: PipelineDeps) {
  return async ({ scanId, accountId, region, kind }: JobPayload<'discover'>, { job, logger, progress }: HandlerContext) => {
    const scope = { accountId, region };
    const where = { stage: 'discovery' as const, accountId, region, kind };
    const queueAnalysis = await analysisQueuer(deps, { scanId, accountId, region, kind });
    // A collector with calls per resource (Lambda's ListTags) hands over its listing first: the kind's analysis can
    // start on it while those calls go on.
    let listingSaved = false;
    const onListed = queueAnalysis
      ? async (listed: readonly Resource[]) => {
          await deps.store.saveListing(scanId, accountId, region, kind, listed);
          listingSaved = true;
          await queueAnalysis();
        }
      : undefined;
    // Settled: the calls of an attempt that fails are counted too.
    const attempt = await withApiUsageSettled(() => deps.aws.access.discover(kind, scope, { scanId, ...(onListed ? { onListed } : {}) }));
    await deps.store.recordUsage(scanId, job.id!, job.attemptsMade, attempt.usage);
    if (attempt.failed) {
      // Thrown when retryable: the retry lists again and replaces the listing, and no check runs before it completes.
      const failed = await recordAwsFailure(deps, scanId, where, toAwsAccessError(attempt.error, scope, `discover ${kind}`), logger);
      // Failed for good: the checks must not take the listing (untagged, so tag exclusions unapplied) for the inventory.
      if (listingSaved) await deps.store.dropListing(scanId, accountId, region, kind);
      // Queued all the same, so that the check job (which runs without this kind) is not left waiting for it.
      await queueAnalysis?.();
      return failed;
    }
    const result = attempt.value;
    // Before the inventory is stored (a large one takes a while): a watcher shows what was found at once.
    await progress({ stage: 'discover', done: 1, total: 1, resourcesFound: result.length });
    await deps.store.saveInventory(scanId, accountId, region, kind, result);
    await deps.store.clearError(scanId, where);
    // Queued before this job completes, so its check job never finds every child done without it.
    await queueAnalysis?.();
    logger.info({ resources: result.length }, 'discovered');
    return { status: 'completed', resources: result.length };
  };
}

/**
 * On a plan with analysisQueuedByDiscovery, adds the kind's analysis job to the flow the first time it is called
 * (later calls wait for that one); undefined on a plan whose flow holds the analysis job, one that analyses no such
 * kind (analyzedKinds), or without a stored plan.
 */
async function analysisQueuer(
  deps: PipelineDeps,
  where: { scanId: string; accountId: string; region: string; kind: Resource['kind'] },
): Promise<(() => Promise<void>) | undefined> {
  const scan = await deps.store.getScan(where.scanId);
  if (!scan?.plan.analysisQueuedByDiscovery || !analyzedKindsOf(scan.plan).includes(where.kind)) return undefined;
  let added: Promise<void> | undefined;
  return () => {
    added ??= (async () => {
      const spec = analysisJobOf(scan.plan, where, flowJobOptions(deps.config));
      const parent = { id: spec.parent.id, queue: deps.queues.get(spec.parent.queueName).qualifiedName };
      await deps.queues.get(spec.queueName).add(spec.name, spec.data, { ...spec.opts, parent });
    })();
    return added;
  };
}
