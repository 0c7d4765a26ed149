// The analysis job: attach CloudWatch metrics to one kind of one account and region's inventory, as the checks need them.
import { Semaphore, toAwsAccessError, withApiUsageSettled, type MetricSelection } from '@finops/aws';
import { metricNeeds } from '@finops/checks';
import type { Config, ResourceKind, ResourceMetrics } from '@finops/core';
import type { HandlerContext, JobPayload } from '@finops/queues';
import { recordAwsFailure, type PipelineDeps } from './shared.js';

/**
 * What to ask CloudWatch: the metrics enabled checks read, over the utilization window (hourly, 14 days by default;
 * daily for metrics checks read only as per-day totals) and the unused window (daily, 30 days by default). A metric
 * both windows need is one query over the longer one.
 */
export function metricSelection(config: Config): MetricSelection {
  const needs = metricNeeds(config);
  return {
    utilization: needs.utilization,
    unused: { lookbackDays: config.optimization.unusedLookbackDays, metrics: needs.unused },
  };
}

/** The kinds a selection fetches metrics of. */
export function meteredKinds(select: MetricSelection): Set<ResourceKind> {
  return new Set<ResourceKind>([...Object.keys(select.utilization), ...Object.keys(select.unused?.metrics ?? {})] as ResourceKind[]);
}

/**
 * Analysis jobs doing work at once in one process, over all its regional queues (each runs
 * `workers.concurrency.analysis` jobs). Summarizing datapoints is CPU work on one thread, so more jobs at once do not
 * finish sooner; they only hold more inventories and summaries in memory. Jobs beyond it wait, their locks renewed.
 */
export const ANALYSIS_JOBS_AT_ONCE = 3;
const analysisGate = new Semaphore(ANALYSIS_JOBS_AT_ONCE);

export function analyzeHandler(deps: PipelineDeps) {
  return async ({ scanId, accountId, region, kind }: JobPayload<'analyze'>, { job, logger, progress }: HandlerContext) => {
    const scan = await deps.store.getScan(scanId);
    if (!scan) return { status: 'skipped', reason: `scan ${scanId} has no stored plan (expired or never created)` };
    // Per job, not per process: a reloaded config that enables or disables checks changes what is fetched.
    const select = metricSelection(deps.config);
    // Kinds no enabled check reads metrics of (snapshots, addresses) are not even loaded.
    const metered = meteredKinds(select);
    // A job queued before analysis was per kind carries none: it analyses the whole partition, as it did then.
    const kinds = (kind ? [kind] : scan.plan.kinds).filter((k) => metered.has(k));
    if (kinds.length === 0) return { status: 'skipped', reason: `no enabled check reads metrics of ${kind ?? 'any kind of this scan'}` };
    return analysisGate.run(() => analyze(deps, { scanId, accountId, region, kind }, kinds, select, { job, logger, progress }));
  };
}

async function analyze(
  deps: PipelineDeps,
  { scanId, accountId, region, kind }: JobPayload<'analyze'>,
  kinds: readonly ResourceKind[],
  select: MetricSelection,
  { job, logger, progress }: Pick<HandlerContext, 'job' | 'logger' | 'progress'>,
) {
  const resources = await deps.store.loadInventory(scanId, accountId, region, kinds);
  const scope = { accountId, region };
  const where = { stage: 'analysis' as const, accountId, region, ...(kind ? { kind } : {}) };
  const { lookbackDays, metricPeriodSec } = deps.config.optimization;
  // Settled: the calls of an attempt that fails are counted too.
  const attempt = await withApiUsageSettled(() =>
    deps.aws.access.fetchMetrics(scope, resources, {
      lookbackDays,
      periodSec: metricPeriodSec,
      now: deps.now(),
      select,
      // GetMetricData batches done of planned: the job's progress while it runs.
      onProgress: (done, total) => void progress({ stage: 'analyze', done, total }),
    }),
  );
  const { usage } = attempt;
  await deps.store.recordUsage(scanId, job.id!, job.attemptsMade, usage);
  if (attempt.failed) {
    // Without metrics the utilization checks see "no data" and stay silent; the state-based checks still run.
    await saveByKind(deps, scanId, accountId, region, kinds, []);
    return recordAwsFailure(deps, scanId, where, toAwsAccessError(attempt.error, scope, 'cloudwatch:GetMetricData'), logger);
  }
  await saveByKind(deps, scanId, accountId, region, kinds, attempt.value);
  await deps.store.clearError(scanId, where);
  logger.info({ kind, resources: resources.length, metrics: usage.metricsRequested }, 'analyzed');
  return { status: 'completed', resources: resources.length, metricsRequested: usage.metricsRequested };
}

/** Metrics are stored per kind, whether one job analysed one kind or (an older job) all of them. */
async function saveByKind(
  deps: PipelineDeps,
  scanId: string,
  accountId: string,
  region: string,
  kinds: readonly ResourceKind[],
  metrics: readonly ResourceMetrics[],
): Promise<void> {
  await Promise.all(kinds.map((k) => deps.store.saveMetrics(scanId, accountId, region, k, metrics.filter((m) => m.kind === k))));
}
