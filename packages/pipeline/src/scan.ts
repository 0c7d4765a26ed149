// Starting a scan: shared by the CLI, the API and the schedules (its progress: scan-progress.ts, scan-watcher.ts).
import { leadingKinds } from '@finops/aws';
import { checkGroups } from '@finops/checks';
import { SERVICE_KINDS, UsageError, type Config, type ResourceKind, type ServiceName } from '@finops/core';
import { buildScanFlow, newScanId, type FlowJobOptions, type QueueSet, type ScanPlan, type ScanStore } from '@finops/queues';
import type { AwsRuntime } from './aws-runtime.js';
import { meteredKinds, metricSelection } from './handlers/analyze.js';

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
  const metered = meteredKinds(metricSelection(deps.config));
  const plan: ScanPlan = {
    scanId: newScanId(now),
    startedAt: now.toISOString(),
    provider: deps.config.aws.provider,
    dryRun: options.dryRun ?? deps.config.safety.dryRun,
    accounts: options.accounts ?? (await deps.aws.accounts()),
    regions: options.regions ?? (await deps.aws.regions()),
    kinds,
    checkGroups: checkGroups(kinds),
    analysisQueuedByDiscovery: true,
    analyzedKinds: kinds.filter((kind) => metered.has(kind)),
    trackedByKind: true,
    trigger: options.trigger,
    ...(options.purpose ? { purpose: options.purpose } : {}),
    ...(deps.config.costs.enabled ? { costsRegion: deps.config.aws.defaultRegion } : {}),
  };
  if (!plan.accounts.length) throw new UsageError('no AWS account to scan', { hint: 'list accounts under aws.accounts, or check the default credentials' });
  await deps.store.createScan(plan);
  await deps.queues.flows().add(buildScanFlow(plan, flowJobOptions(deps.config)));
  return plan;
}

/** How a scan's jobs are retried and kept: the flow's, and those of the jobs workers add to it (analysisJobOf). */
export function flowJobOptions(config: Config): FlowJobOptions {
  const { workers } = config;
  return {
    attempts: workers.attempts,
    backoffMs: workers.backoffMs,
    removeOnComplete: { age: workers.retention.completedAgeSec, count: workers.retention.completedCount },
    leadingKinds: leadingKinds(),
  };
}
