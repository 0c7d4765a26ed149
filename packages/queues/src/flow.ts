// A scan as one BullMQ flow: discovery → analysis per (account, region, kind) → optimization per partition → report.
import type { FlowJob, FlowJobNode, JobsOptions } from 'bullmq';
import type { ResourceKind } from '@finops/core';
import { JOBS, jobId, queueName, type JobName, type JobPayload } from './jobs.js';
import { partitions, type ScanPlan } from './scan-plan.js';

export interface FlowJobOptions {
  attempts: number;
  backoffMs: number;
  /** Completed jobs are trimmed by age and count. Failed flow children are never auto-removed (see below). */
  removeOnComplete: { age: number; count: number };
}

/**
 * Builds the flow tree of a scan. Children carry no failure flag and no `removeOnFail`: a failed child leaves its
 * parent waiting, and an operator who retries the child (Bull Board) resumes the scan. `removeOnFail` on a child
 * would delete it and let the parent complete as if it had succeeded.
 */
export function buildScanFlow(plan: ScanPlan, options: FlowJobOptions): FlowJob {
  const opts = (id: string): JobsOptions => ({
    jobId: id,
    attempts: options.attempts,
    backoff: { type: 'exponential', delay: options.backoffMs },
    removeOnComplete: options.removeOnComplete,
  });
  const node = <N extends JobName>(name: N, payload: JobPayload<N>, region: string | undefined, children?: FlowJobNode[]): FlowJobNode => {
    const base = { name, queueName: queueName(JOBS[name].role, region), data: payload, opts: opts(jobId[name](payload as never)) };
    return children ? { ...base, children } : base;
  };
  const { scanId } = plan;
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
          // Each kind's analysis waits for its own listing only: EC2 metrics are fetched while Lambda is still listed.
          plan.kinds.map((kind) =>
            node('analyze', { scanId, accountId, region, kind }, region, [node('discover', { scanId, accountId, region, kind }, region)]),
          ),
        ),
      ),
      // Costs are per payer account, not per partition: one job beside the optimize jobs, on the home region's queue.
      ...(plan.costsRegion ? [node('costs', { scanId, region: plan.costsRegion }, plan.costsRegion)] : []),
    ],
  );
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
  return [
    ...perKind('discover', 'discovery'),
    ...perKind('analyze', 'analysis'),
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
