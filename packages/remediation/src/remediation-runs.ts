// Starting a remediation run (one job per account and region on the `remediation` queue), previewing it, following it.
import { ACTION_TYPES, ADVISORY_ACTION_TYPES, executorFor, factsOf } from '@finops/aws';
import { roundCents, UsageError, type Recommendation } from '@finops/core';
import { jobId, jobQueueName, type JobPayload, type QueueSet } from '@finops/queues';
import { budgetGate, remediationStores, type RemediationDeps } from './remediation-deps.js';
import type { ActionStatus, BatchResult, RemediationRun, RunMode } from './remediation-types.js';
import { newRunId } from './ids.js';
import { allowedLive, approvalNeeded, approvalProblem, autoApproved, protectedTag, runMode, unknownActionTypes } from './safety-policy.js';
import { bySavings, resolveScan, scannedResources, scanRecommendations } from './scan-inputs.js';
import { stateDigest } from './state-digest.js';

export interface RunRequest {
  /** Default: the newest completed scan. */
  scanId?: string;
  /** Default: every open recommendation of the scan. */
  recommendationIds?: string[];
  /** `--live` / `live: true`; live also needs safety.dryRun: false. */
  live: boolean;
  actor: string;
  /** `cli`, `api`, `schedule:<id>` (only scheduled runs use safety.autoApprove). */
  trigger: string;
}

/** What a preview expects for each recommendation, before any AWS call. */
export type PreviewStatus = 'ready' | 'needs-approval' | 'not-allowed' | 'protected' | 'dismissed' | 'pending' | 'unsupported';

export interface RunPreview {
  scanId: string;
  mode: RunMode;
  /** Recommendations the run would act on (live: allowed, approved where needed, within the limit). */
  actions: number;
  monthlySavingsUsd: number;
  byStatus: Partial<Record<PreviewStatus, { count: number; monthlySavingsUsd: number }>>;
  items: { recommendationId: string; actionType: string; resourceId: string; accountId: string; region: string; monthlySavingsUsd: number; status: PreviewStatus; reason?: string }[];
  /** Action types in safety.allowedActions / autoApprove that no executor knows (typos?). */
  unknownActionTypes: string[];
}


async function selectRecommendations(deps: RemediationDeps, request: RunRequest) {
  const scan = await resolveScan(deps.scans, request.scanId);
  const all = await scanRecommendations(deps.scans, scan);
  if (request.recommendationIds?.length) {
    const unknown = request.recommendationIds.filter((id) => !all.has(id));
    if (unknown.length) throw new UsageError(`no open recommendation ${unknown.join(', ')} in scan ${scan.plan.scanId}`, { hint: 'use ids from the scan\'s report.json' });
  }
  const selected = [...all.values()].filter((r) => !request.recommendationIds?.length || request.recommendationIds.includes(r.id)).sort(bySavings);
  return { scan, selected };
}

/**
 * What a run would do, from the scan's data, the approvals and the safety settings, without calling AWS: the
 * count and savings a terminal confirmation shows. The run itself re-checks everything against the live resources.
 */
export async function previewRun(deps: RemediationDeps, request: RunRequest): Promise<RunPreview> {
  const safety = deps.config.safety;
  const mode = runMode(request.live, safety);
  const { scan, selected } = await selectRecommendations(deps, request);
  const { store } = remediationStores(deps);
  const approvals = await store.getApprovals(selected.map((r) => r.id));
  const dismissed = (await deps.dismissed?.(selected.map((r) => r.id))) ?? new Map<string, string>();
  const inventories = new Map<string, Awaited<ReturnType<typeof scannedResources>>>();
  const perPartition = new Map<string, number>();
  const items: RunPreview['items'] = [];
  for (const recommendation of selected) {
    const judge = async (): Promise<{ status: PreviewStatus; reason?: string }> => {
      const executor = executorFor(recommendation.action.type);
      if (!executor) return { status: 'unsupported', reason: ADVISORY_ACTION_TYPES[recommendation.action.type] ?? `no executor handles ${recommendation.action.type}` };
      const tag = protectedTag(recommendation.tags, safety);
      if (tag) return { status: 'protected', reason: `protected by tag ${tag}` };
      const dismissal = dismissed.get(recommendation.id);
      if (dismissal) return { status: 'dismissed', reason: dismissal };
      if (mode === 'live' && !allowedLive(executor.type, safety)) return { status: 'not-allowed', reason: `${executor.type} is not in safety.allowedActions` };
      const holding = await budgetGate(deps).holding({ accountId: recommendation.accountId, kind: recommendation.resourceKind, tags: recommendation.tags });
      const needed = approvalNeeded(recommendation, safety, holding);
      if (mode === 'live' && needed && !autoApproved(recommendation, request.trigger, safety)) {
        const partition = `${recommendation.accountId}|${recommendation.region}`;
        let inventory = inventories.get(partition);
        if (!inventory) inventories.set(partition, (inventory = await scannedResources(deps.scans, scan, recommendation.accountId, recommendation.region)));
        const resource = inventory.get(`${recommendation.resourceKind}/${recommendation.resourceId}`);
        const digest = stateDigest(recommendation.id, recommendation.action, resource ? (factsOf(executor, resource) ?? {}) : {}, resource?.tags ?? recommendation.tags);
        const problem = approvalProblem(approvals.get(recommendation.id), digest, deps.now(), safety);
        if (problem) return { status: 'needs-approval', reason: `${needed}: ${problem}` };
      }
      const key = `${recommendation.accountId}|${recommendation.region}`;
      const count = perPartition.get(key) ?? 0;
      if (count >= safety.maxActionsPerRun) return { status: 'pending', reason: `safety.maxActionsPerRun (${safety.maxActionsPerRun}) reached` };
      perPartition.set(key, count + 1);
      return { status: 'ready' };
    };
    const { status, reason } = await judge();
    items.push({
      recommendationId: recommendation.id,
      actionType: recommendation.action.type,
      resourceId: recommendation.resourceId,
      accountId: recommendation.accountId,
      region: recommendation.region,
      monthlySavingsUsd: recommendation.monthlySavingsUsd,
      status,
      ...(reason ? { reason } : {}),
    });
  }
  const byStatus: RunPreview['byStatus'] = {};
  for (const item of items) {
    const bucket = (byStatus[item.status] ??= { count: 0, monthlySavingsUsd: 0 });
    bucket.count += 1;
    bucket.monthlySavingsUsd = roundCents(bucket.monthlySavingsUsd + item.monthlySavingsUsd);
  }
  return {
    scanId: scan.plan.scanId,
    mode,
    actions: byStatus.ready?.count ?? 0,
    monthlySavingsUsd: byStatus.ready?.monthlySavingsUsd ?? 0,
    byStatus,
    items,
    unknownActionTypes: unknownActionTypes(safety, ACTION_TYPES),
  };
}

/** Job options of the `remediation` queue: retried with backoff, kept by age and count whether done or failed. */
function jobOptions(deps: RemediationDeps) {
  const { attempts, backoffMs, retention } = deps.config.workers;
  return {
    attempts,
    backoff: { type: 'exponential' as const, delay: backoffMs },
    removeOnComplete: { age: retention.completedAgeSec, count: retention.completedCount },
    removeOnFail: { age: retention.failedAgeSec, count: retention.failedCount },
  };
}

function partitionsOf(recommendations: readonly Recommendation[]): RemediationRun['partitions'] {
  const keys = new Map(recommendations.map((r) => [`${r.accountId}|${r.region}`, { accountId: r.accountId, region: r.region }]));
  return [...keys.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
}

/** Stores the run and queues one `remediate` job per account and region it covers. */
export async function startRun(deps: RemediationDeps, request: RunRequest): Promise<RemediationRun> {
  if (!deps.queues) throw new Error('startRun needs the queues');
  const mode = runMode(request.live, deps.config.safety);
  const { scan, selected } = await selectRecommendations(deps, request);
  if (selected.length === 0) throw new UsageError(`scan ${scan.plan.scanId} has no open recommendation to act on`);
  const now = deps.now();
  const run: RemediationRun = {
    runId: newRunId(now),
    scanId: scan.plan.scanId,
    mode,
    actor: request.actor,
    trigger: request.trigger,
    createdAt: now.toISOString(),
    ...(request.recommendationIds?.length ? { recommendationIds: [...new Set(request.recommendationIds)] } : {}),
    partitions: partitionsOf(selected),
  };
  const { store } = remediationStores(deps);
  await store.createRun(run);
  const queue = deps.queues.get(jobQueueName('remediate'));
  await queue.addBulk(
    run.partitions.map((p) => {
      const payload: JobPayload<'remediate'> = { runId: run.runId, accountId: p.accountId, region: p.region };
      return { name: 'remediate', data: payload, opts: { ...jobOptions(deps), jobId: jobId.remediate(payload) } };
    }),
  );
  deps.logger?.info({ runId: run.runId, scanId: run.scanId, mode, partitions: run.partitions.length, actor: run.actor }, 'remediation run queued');
  return run;
}

export interface RunProgress {
  run: RemediationRun;
  status: 'running' | 'completed' | 'failed';
  batches: BatchResult[];
  counts: Partial<Record<ActionStatus, number>>;
  /** Jobs that used all their attempts: retry them in Bull Board once the cause is fixed. */
  failedJobs: { id: string; reason: string }[];
}

/** Reads of a failed job's state and reason before giving up on a consistent pair. */
const FAILURE_READS = 3;

/**
 * Why a job failed for good, or undefined while it has not failed (or is gone). The state is read first, then the job:
 * read the other way round, a job that failed between the two reads showed a failed state with no reason. A reason
 * still missing means the job was retried (which clears it) or failed again in between: both are read again.
 */
export async function failureOf(queue: ReturnType<QueueSet['get']>, id: string): Promise<string | undefined> {
  for (let read = 0; read < FAILURE_READS; read += 1) {
    if ((await queue.getJobState(id)) !== 'failed') return undefined;
    const job = await queue.getJob(id);
    if (!job) return undefined;
    if (job.failedReason) return job.failedReason;
  }
  return 'failed with no reason on record: see the job in Bull Board';
}

/** Where a run stands: results of finished partitions, and jobs that failed for good. */
export async function runProgress(deps: RemediationDeps, runId: string): Promise<RunProgress | undefined> {
  const { store } = remediationStores(deps);
  const run = await store.getRun(runId);
  if (!run) return undefined;
  const batches = await store.batches(runId);
  const done = new Set(batches.map((b) => `${b.accountId}|${b.region}`));
  const failedJobs: RunProgress['failedJobs'] = [];
  if (deps.queues) {
    const queue = deps.queues.get(jobQueueName('remediate'));
    for (const p of run.partitions.filter((p) => !done.has(`${p.accountId}|${p.region}`))) {
      const id = jobId.remediate({ runId, accountId: p.accountId, region: p.region });
      const reason = await failureOf(queue, id);
      if (reason !== undefined) failedJobs.push({ id, reason });
    }
  }
  const counts: RunProgress['counts'] = {};
  for (const batch of batches) for (const [status, n] of Object.entries(batch.counts)) counts[status as ActionStatus] = (counts[status as ActionStatus] ?? 0) + (n ?? 0);
  const status = batches.length === run.partitions.length ? 'completed' : failedJobs.length > 0 && batches.length + failedJobs.length === run.partitions.length ? 'failed' : 'running';
  return { run, status, batches, counts, failedJobs };
}

/** Polls a run until every partition finished or failed for good (or `signal` aborts). */
export async function waitForRun(
  deps: RemediationDeps,
  runId: string,
  options: { pollMs?: number; signal?: AbortSignal; onProgress?: (progress: RunProgress) => void } = {},
): Promise<RunProgress> {
  for (;;) {
    const progress = await runProgress(deps, runId);
    if (!progress) throw new UsageError(`remediation run ${runId} not found`);
    options.onProgress?.(progress);
    if (progress.status !== 'running' || options.signal?.aborted) return progress;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
