// A scan as one BullMQ flow: discovery → analysis per (account, region, kind) → checks per (account, region, group of
// kinds) → tracking per partition (the optimize job) → report.
import type { FlowJob, FlowJobNode, JobsOptions } from 'bullmq';
import type { ResourceKind } from '@finops/core';
import { JOBS, jobId, queueName, type JobName, type JobPayload } from './jobs.js';
import { partitions, type ScanPlan } from './scan-plan.js';

export interface FlowJobOptions {
  attempts: number;
  backoffMs: number;
  /** Completed jobs are trimmed by age and count. Failed flow children are never auto-removed (see below). */
  removeOnComplete: { age: number; count: number };
  /**
   * Kinds whose listings are the longest (a call per resource after the pages): their discovery jobs go ahead of the
   * other kinds' in each regional queue, which get BullMQ priority 1, so a partition's longest chain never waits
   * for a worker behind short listings. Default: none (every job in queue order).
   */
  leadingKinds?: readonly ResourceKind[];
}

/** The priority of the other kinds' discovery jobs: behind the leading kinds' (no priority), in queue order among themselves. */
const TRAILING_DISCOVERY_PRIORITY = 1;

/**
 * Builds the flow tree of a scan. Children carry no failure flag and no `removeOnFail`: a failed child leaves its
 * parent waiting, and an operator who retries the child (Bull Board) resumes the scan. `removeOnFail` on a child
 * would delete it and let the parent complete as if it had succeeded.
 */
export function buildScanFlow(plan: ScanPlan, options: FlowJobOptions): FlowJob {
  const opts = (id: string) => jobOptions(id, options);
  const node = <N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    region: string | undefined,
    children?: FlowJobNode[],
    extra: Pick<JobsOptions, 'priority'> = {},
  ): FlowJobNode => {
    const base = { name, queueName: queueName(JOBS[name].role, region), data: payload, opts: { ...opts(jobId[name](payload as never)), ...extra } };
    return children ? { ...base, children } : base;
  };
  const { scanId } = plan;
  const groups = checkGroupsOf(plan);
  const leading = new Set(options.leadingKinds ?? []);
  const discoveryOrder = (kind: ResourceKind) => (leading.size > 0 && !leading.has(kind) ? { priority: TRAILING_DISCOVERY_PRIORITY } : {});
  const discover = (accountId: string, region: string, kind: ResourceKind) =>
    node('discover', { scanId, accountId, region, kind }, region, undefined, discoveryOrder(kind));
  // Each kind's analysis waits for its own listing only: EC2 metrics are fetched while Lambda is still listed. With
  // analysisQueuedByDiscovery the discovery job adds it (analysisJobOf) beside itself, as soon as its kind is listed.
  const analyze = (accountId: string, region: string, kind: ResourceKind) =>
    plan.analysisQueuedByDiscovery ? discover(accountId, region, kind) : node('analyze', { scanId, accountId, region, kind }, region, [discover(accountId, region, kind)]);
  return node(
    'report',
    { scanId },
    undefined,
    [
      ...partitions(plan).map(({ accountId, region }) =>
        node(
          'optimize',
          { scanId, accountId, region },
          undefined,
          // Each group's checks wait for its own kinds only; a plan without groups checks in the optimize job.
          groups
            ? groups.map((kinds) => node('check', { scanId, accountId, region, kinds }, undefined, kinds.map((kind) => analyze(accountId, region, kind))))
            : plan.kinds.map((kind) => analyze(accountId, region, kind)),
        ),
      ),
      // Costs are per payer account, not per partition: one job beside the optimize jobs, on the home region's queue.
      ...(plan.costsRegion ? [node('costs', { scanId, region: plan.costsRegion }, plan.costsRegion)] : []),
    ],
  );
}

/** The kinds of a plan that have an analysis job: all of them, unless discovery queues analysis of `analyzedKinds` only. */
export function analyzedKindsOf(plan: Pick<ScanPlan, 'kinds' | 'analysisQueuedByDiscovery' | 'analyzedKinds'>): ResourceKind[] {
  return plan.analysisQueuedByDiscovery && plan.analyzedKinds ? plan.kinds.filter((kind) => plan.analyzedKinds?.includes(kind)) : plan.kinds;
}

/** The options of every job of a scan's flow. */
function jobOptions(id: string, options: FlowJobOptions): JobsOptions {
  return { jobId: id, attempts: options.attempts, backoff: { type: 'exponential', delay: options.backoffMs }, removeOnComplete: options.removeOnComplete };
}

/** A job a worker adds to a scan's flow while it runs: where it goes, and the job it is a child of. */
export interface AddedFlowJob<N extends JobName> {
  name: N;
  queueName: string;
  data: JobPayload<N>;
  opts: JobsOptions;
  parent: { id: string; queueName: string };
}

/**
 * The analysis job of one kind in one partition of a plan with `analysisQueuedByDiscovery`, which the kind's
 * discovery job adds once the kind is listed: a child of the kind's check job, which waits for it beside the
 * discovery job. Its id is the one the flow would have given it, so a discovery job run again adds nothing new.
 */
export function analysisJobOf(
  plan: ScanPlan,
  { accountId, region, kind }: { accountId: string; region: string; kind: ResourceKind },
  options: FlowJobOptions,
): AddedFlowJob<'analyze'> {
  const kinds = checkGroupsOf(plan)?.find((group) => group.includes(kind));
  if (!plan.analysisQueuedByDiscovery || !kinds) {
    throw new Error(`scan ${plan.scanId}: its flow holds the analysis of ${kind} itself (analysisQueuedByDiscovery needs checkGroups): discovery must not add one`);
  }
  if (!analyzedKindsOf(plan).includes(kind)) throw new Error(`scan ${plan.scanId} analyses no ${kind} (analyzedKinds): its discovery must not add an analysis job`);
  const data: JobPayload<'analyze'> = { scanId: plan.scanId, accountId, region, kind };
  return {
    name: 'analyze',
    queueName: queueName(JOBS.analyze.role, region),
    data,
    opts: jobOptions(jobId.analyze(data), options),
    parent: { id: jobId.check({ scanId: plan.scanId, accountId, region, kinds }), queueName: queueName(JOBS.check.role) },
  };
}

/**
 * The plan's check groups, checked to split its kinds exactly (each kind in one group); undefined for a plan of an
 * earlier version, which has none.
 */
export function checkGroupsOf(plan: Pick<ScanPlan, 'kinds' | 'checkGroups'>): ResourceKind[][] | undefined {
  const groups = plan.checkGroups;
  if (!groups) return undefined;
  const grouped = groups.flat();
  if (grouped.length !== new Set(grouped).size || grouped.length !== plan.kinds.length || !plan.kinds.every((kind) => grouped.includes(kind))) {
    throw new Error(`the scan plan's checkGroups ${JSON.stringify(groups)} do not split its kinds ${plan.kinds.join(', ')} into groups of one kind each`);
  }
  return groups;
}

/** One job of a scan's flow: its stage, queue and id, and the partition (and kind) it covers. */
export interface ScanJobRef {
  stage: JobName;
  queue: string;
  id: string;
  accountId?: string;
  region?: string;
  /** Discovery and analysis jobs: the kind they cover (inventory counts are stored under account, region and kind). */
  kind?: ResourceKind;
  /** Check jobs: the kinds of their group. */
  kinds?: ResourceKind[];
}

/** Every job id of a scan's flow with its queue, in stage order: for status and progress. */
export function scanJobs(plan: ScanPlan): ScanJobRef[] {
  const { scanId } = plan;
  const parts = partitions(plan);
  // Discovery and analysis both run per (account, region, kind), each on its region's queue of its role.
  const perKind = <S extends 'discover' | 'analyze'>(stage: S, role: 'discovery' | 'analysis') =>
    parts.flatMap(({ accountId, region }) =>
      plan.kinds.map((kind) => ({ stage, queue: queueName(role, region), id: jobId[stage]({ scanId, accountId, region, kind }), accountId, region, kind })),
    );
  const checks = checkGroupsOf(plan) ?? [];
  const analyzed = analyzedKindsOf(plan);
  return [
    ...perKind('discover', 'discovery'),
    ...perKind('analyze', 'analysis').filter((job) => analyzed.includes(job.kind)),
    ...parts.flatMap(({ accountId, region }) =>
      checks.map((kinds) => ({ stage: 'check' as const, queue: queueName('optimizer'), id: jobId.check({ scanId, accountId, region, kinds }), accountId, region, kinds })),
    ),
    ...parts.map(({ accountId, region }) => ({
      stage: 'optimize' as const,
      queue: queueName('optimizer'),
      id: jobId.optimize({ scanId, accountId, region }),
      accountId,
      region,
    })),
    ...(plan.costsRegion
      ? [{ stage: 'costs' as const, queue: queueName('analysis', plan.costsRegion), id: jobId.costs({ scanId, region: plan.costsRegion }) }]
      : []),
    { stage: 'report' as const, queue: queueName('reporter'), id: jobId.report({ scanId }) },
  ];
}
