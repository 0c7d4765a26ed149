// Starting a scan and reading its progress: shared by the CLI, the API and the schedules.
import { SERVICE_KINDS, UsageError, type Config, type ResourceKind, type ServiceName } from '@finops/core';
import { buildScanFlow, newScanId, scanJobs, type JobName, type QueueSet, type ScanPlan, type ScanRecord, type ScanStore } from '@finops/queues';
import type { AwsRuntime } from './aws-runtime.js';

export interface ScanOptions {
  /** Who or what starts it: `cli`, `api`, `demo`, `schedule:<id>`. */
  trigger: string;
  /** What a scheduled run is for (see ScanPlan.purpose); stages such as anomaly detection read it. */
  purpose?: ScanPlan['purpose'];
  services?: ServiceName[];
  regions?: string[];
  accounts?: string[];
  dryRun?: boolean;
}

export interface ScanDeps {
  config: Config;
  queues: QueueSet;
  store: ScanStore;
  aws: AwsRuntime;
  now?: () => Date;
}

/** Resource kinds of the enabled services (or of `services`, when a run names them). */
export function kindsFor(config: Config, services?: ServiceName[]): ResourceKind[] {
  const enabled = services ?? (Object.keys(SERVICE_KINDS) as ServiceName[]).filter((s) => config.services[s]);
  return [...new Set(enabled.flatMap((s) => SERVICE_KINDS[s]))];
}

/** Plans a scan, stores its plan and adds its flow. Returns once the jobs are queued. */
export async function startScan(deps: ScanDeps, options: ScanOptions): Promise<ScanPlan> {
  const now = deps.now?.() ?? new Date();
  const kinds = kindsFor(deps.config, options.services);
  if (!kinds.length) {
    throw new UsageError('no AWS service is enabled for this scan', { hint: 'enable one under `services` in the config, or pass --services ec2,rds,lambda' });
  }
  const plan: ScanPlan = {
    scanId: newScanId(now),
    startedAt: now.toISOString(),
    provider: deps.config.aws.provider,
    dryRun: options.dryRun ?? deps.config.safety.dryRun,
    accounts: options.accounts ?? (await deps.aws.accounts()),
    regions: options.regions ?? (await deps.aws.regions()),
    kinds,
    trigger: options.trigger,
    ...(options.purpose ? { purpose: options.purpose } : {}),
    ...(deps.config.costs.enabled ? { costsRegion: deps.config.aws.defaultRegion } : {}),
  };
  if (!plan.accounts.length) throw new UsageError('no AWS account to scan', { hint: 'list accounts under aws.accounts, or check the default credentials' });
  await deps.store.createScan(plan);
  const { workers } = deps.config;
  await deps.queues.flows().add(
    buildScanFlow(plan, {
      attempts: workers.attempts,
      backoffMs: workers.backoffMs,
      removeOnComplete: { age: workers.retention.completedAgeSec, count: workers.retention.completedCount },
    }),
  );
  return plan;
}

export interface StageProgress {
  total: number;
  completed: number;
  active: number;
  waiting: number;
  failed: number;
}

export interface ScanProgress {
  scanId: string;
  status: ScanRecord['status'] | 'stalled';
  plan: ScanPlan;
  stages: Record<JobName, StageProgress>;
  resourcesFound: number;
  finishedAt?: string;
  reportDir?: string;
  /** Jobs that used all their attempts: the scan waits until an operator retries them (Bull Board). */
  failedJobs: { id: string; queue: string; reason: string }[];
}

/** Status and per-stage progress of a scan, from its deterministic job ids. */
export async function getScanProgress(queues: QueueSet, store: ScanStore, scanId: string): Promise<ScanProgress | undefined> {
  const record = await store.getScan(scanId);
  if (!record) return undefined;
  const stages = Object.fromEntries(
    (['discover', 'analyze', 'optimize', 'costs', 'report'] as const).map((s) => [s, { total: 0, completed: 0, active: 0, waiting: 0, failed: 0 }]),
  ) as Record<JobName, StageProgress>;
  const failedJobs: ScanProgress['failedJobs'] = [];
  const jobs = scanJobs(record.plan);
  const states = await Promise.all(jobs.map((j) => queues.get(j.queue).getJobState(j.id)));
  await Promise.all(
    jobs.map(async (j, i) => {
      const stage = stages[j.stage];
      stage.total += 1;
      const state = states[i];
      // A job trimmed by retention after completing reads as `unknown`; a completed scan implies it completed.
      if (state === 'completed' || (state === 'unknown' && record.status === 'completed')) stage.completed += 1;
      else if (state === 'active') stage.active += 1;
      else if (state === 'failed') {
        stage.failed += 1;
        const job = await queues.get(j.queue).getJob(j.id);
        failedJobs.push({ id: j.id, queue: j.queue, reason: job?.failedReason ?? 'unknown' });
      } else stage.waiting += 1;
    }),
  );
  const counts = await store.inventoryCounts(scanId);
  return {
    scanId,
    status: record.status === 'running' && failedJobs.length ? 'stalled' : record.status,
    plan: record.plan,
    stages,
    resourcesFound: counts.reduce((sum, c) => sum + c.count, 0),
    finishedAt: record.finishedAt,
    reportDir: record.reportDir,
    failedJobs,
  };
}

/**
 * Polls a scan until it completes, fails, or stalls (a job used all its attempts and waits for an operator's
 * retry). Calls `onProgress` on every poll.
 */
export async function waitForScan(
  queues: QueueSet,
  store: ScanStore,
  scanId: string,
  options: { pollMs?: number; onProgress?: (p: ScanProgress) => void; signal?: AbortSignal } = {},
): Promise<ScanProgress> {
  for (;;) {
    const progress = await getScanProgress(queues, store, scanId);
    if (!progress) throw new UsageError(`scan ${scanId} not found`, { hint: 'its data may have expired (workers.retention.scanDataDays)' });
    options.onProgress?.(progress);
    if (progress.status !== 'running' || options.signal?.aborted) return progress;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
