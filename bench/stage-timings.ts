// Per-stage timings of a scan from its jobs' BullMQ timestamps, and the critical path that sets its wall time.

/** The stages a bench reports; `queue` is time a ready job waited for a worker (and flow bookkeeping). */
export const STAGES = ['discovery', 'metrics', 'costs', 'checks', 'tracking', 'report', 'queue'] as const;
export type Stage = (typeof STAGES)[number];

/** Check jobs run the checks of a group of kinds; the partition's optimize job then tracks what they found. */
const STAGE_OF_JOB: Readonly<Record<string, Stage>> = { discover: 'discovery', analyze: 'metrics', costs: 'costs', check: 'checks', optimize: 'tracking', report: 'report' };

/** One job of a scan's flow as BullMQ recorded it (epoch ms). */
export interface JobTiming {
  /** The flow job name: discover, analyze, check, costs, optimize, report. */
  job: string;
  id: string;
  /** `account/region` for partition jobs. */
  partition?: string;
  /** When the last attempt started. */
  processedOn: number;
  finishedOn: number;
  attemptsMade: number;
}

export interface StageTiming {
  stage: Stage;
  jobs: number;
  /** Seconds after the scan started. */
  firstStartSec: number;
  lastEndSec: number;
  /** Sum of job durations: the work done, whatever ran in parallel. */
  busySec: number;
  longestJobSec: number;
  longestJob: string;
  /** Jobs that needed more than one attempt. */
  retried: number;
}

export interface PathSegment {
  stage: Stage | 'retries';
  seconds: number;
  job?: string;
}

export interface StageTimings {
  stages: StageTiming[];
  /** From the scan's start to the report job's end, split by what held it up; the segments add up to wallSec. */
  criticalPath: PathSegment[];
  wallSec: number;
  /** Time on the critical path per stage (queue waits and retries included). */
  onCriticalPath: Partial<Record<PathSegment['stage'], number>>;
  /** The stage that holds the most of the critical path. */
  slowestStage: PathSegment['stage'];
  /** Every job's start and end in seconds after the scan started, in start order: to see what ran when. */
  timeline: { id: string; startSec: number; endSec: number; attempts: number }[];
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * `scan-x.discover.111111111111.eu-west-1.ebs-volume` → `ebs-volume`; a check job's group of kinds joined by `+`;
 * undefined for jobs without a kind.
 */
export function kindOfJobId(id: string): string | undefined {
  return id.split('.')[4];
}

/** `scan-x.discover.111111111111.eu-west-1.ebs-volume` → `111111111111/eu-west-1`. */
export function partitionOfJobId(id: string): string | undefined {
  const [, , accountId, region] = id.split('.');
  return accountId && region ? `${accountId}/${region}` : undefined;
}

/**
 * Stage table and critical path. The path walks back from the report job through the child that finished last:
 * an optimize job (then its partition's check job that ended last, and that group's analyze or discover job that
 * ended last; from an analyze job, the discover job of the same kind, up to the analyze job's start when the
 * discovery queued it on its listing) or the costs job. The wait before a job
 * is queue time, or `retries` when the job needed more than one attempt (its failed attempts and their backoff).
 */
export function stageTimings(jobs: readonly JobTiming[], scanStartMs: number): StageTimings {
  const stages: StageTiming[] = [];
  for (const [job, stage] of Object.entries(STAGE_OF_JOB)) {
    const own = jobs.filter((j) => j.job === job);
    if (own.length === 0) continue;
    const longest = own.reduce((a, b) => (b.finishedOn - b.processedOn > a.finishedOn - a.processedOn ? b : a));
    stages.push({
      stage,
      jobs: own.length,
      firstStartSec: seconds(Math.min(...own.map((j) => j.processedOn)) - scanStartMs),
      lastEndSec: seconds(Math.max(...own.map((j) => j.finishedOn)) - scanStartMs),
      busySec: seconds(own.reduce((sum, j) => sum + (j.finishedOn - j.processedOn), 0)),
      longestJobSec: seconds(longest.finishedOn - longest.processedOn),
      longestJob: longest.id,
      retried: own.filter((j) => j.attemptsMade > 1).length,
    });
  }

  const latest = (candidates: readonly JobTiming[]) => candidates.reduce<JobTiming | undefined>((a, b) => (!a || b.finishedOn > a.finishedOn ? b : a), undefined);
  const chain: JobTiming[] = [];
  const report = jobs.find((j) => j.job === 'report');
  if (report) {
    chain.unshift(report);
    const child = latest(jobs.filter((j) => j.job === 'optimize' || j.job === 'costs'));
    if (child) {
      chain.unshift(child);
      if (child.job === 'optimize') {
        const check = latest(jobs.filter((j) => j.job === 'check' && j.partition === child.partition));
        if (check) chain.unshift(check);
        const groupKinds = check ? kindOfJobId(check.id)?.split('+') : undefined;
        const ofGroup = (j: JobTiming) => j.partition === child.partition && (!groupKinds || groupKinds.includes(kindOfJobId(j.id) ?? ''));
        // The check's last child: an analyze job, or a discover job (when discovery queues analysis, both are children
        // of the check job, and a discovery with calls per resource outlasts the analysis it queued on its listing).
        const last = latest(jobs.filter((j) => (j.job === 'analyze' || j.job === 'discover') && ofGroup(j)));
        if (last?.job === 'discover') chain.unshift(last);
        else if (last) {
          chain.unshift(last);
          const kind = kindOfJobId(last.id);
          const discover = latest(jobs.filter((j) => j.job === 'discover' && j.partition === child.partition && (!kind || kindOfJobId(j.id) === kind)));
          // An analysis queued on the listing starts before its discovery ends: the path holds the listing part only.
          if (discover) chain.unshift(discover.finishedOn > last.processedOn ? { ...discover, finishedOn: last.processedOn } : discover);
        }
      }
    }
  }
  const criticalPath: PathSegment[] = [];
  let previousEnd = scanStartMs;
  for (const job of chain) {
    criticalPath.push({ stage: job.attemptsMade > 1 ? 'retries' : 'queue', seconds: seconds(job.processedOn - previousEnd), job: job.id });
    criticalPath.push({ stage: STAGE_OF_JOB[job.job] ?? 'queue', seconds: seconds(job.finishedOn - job.processedOn), job: job.id });
    previousEnd = job.finishedOn;
  }
  const onCriticalPath: StageTimings['onCriticalPath'] = {};
  for (const segment of criticalPath) onCriticalPath[segment.stage] = seconds((onCriticalPath[segment.stage] ?? 0) * 1000 + segment.seconds * 1000);
  const slowestStage = (Object.entries(onCriticalPath) as [PathSegment['stage'], number][]).reduce<[PathSegment['stage'], number]>(
    (a, b) => (b[1] > a[1] ? b : a),
    ['queue', -1],
  )[0];
  const timeline = [...jobs]
    .sort((a, b) => a.processedOn - b.processedOn)
    .map((j) => ({ id: j.id.split('.').slice(1).join('.'), startSec: seconds(j.processedOn - scanStartMs), endSec: seconds(j.finishedOn - scanStartMs), attempts: j.attemptsMade }));
  return { stages, criticalPath, wallSec: seconds(previousEnd - scanStartMs), onCriticalPath, slowestStage, timeline };
}
