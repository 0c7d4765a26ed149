// Where a scan stands: its jobs' states and reported progress, summed per stage, with the resources found so far.
import {
  SCAN_STAGES,
  progressFraction,
  readJobProgress,
  scanJobs,
  type JobEvent,
  type JobProgress,
  type QueueSet,
  type ScanJobRef,
  type ScanPlan,
  type ScanRecord,
  type ScanStage,
  type ScanStore,
} from '@finops/queues';

export interface StageProgress {
  total: number;
  completed: number;
  active: number;
  waiting: number;
  failed: number;
  /**
   * Work the stage's active jobs reported done, counted in jobs: each active job adds the share of its own work it
   * reported (0 to 1). `completed + inFlight` of `total` is how far the stage got.
   */
  inFlight: number;
}

export interface ScanProgress {
  scanId: string;
  status: ScanRecord['status'] | 'stalled';
  plan: ScanPlan;
  stages: Record<ScanStage, StageProgress>;
  /** Resources listed so far: the stored inventories, plus what running discovery jobs reported before storing theirs. */
  resourcesFound: number;
  finishedAt?: string;
  reportDir?: string;
  /** Jobs that used all their attempts: the scan waits until an operator retries them (Bull Board). */
  failedJobs: { id: string; queue: string; reason: string }[];
}

/** A job's state as progress counts it: BullMQ's other waiting states (delayed, prioritized, waiting-children) are `waiting`. */
type TrackedState = 'waiting' | 'active' | 'completed' | 'failed' | 'unknown';

interface TrackedJob extends ScanJobRef {
  state: TrackedState;
  progress?: JobProgress;
  failedReason?: string;
  /** Bumped by every event about the job: a state read that started before the event must not overwrite it. */
  seq: number;
}

function tracked(state: string): TrackedState {
  return state === 'active' || state === 'completed' || state === 'failed' || state === 'unknown' ? state : 'waiting';
}

/** The inventory count a discovery job stores, keyed as the scan store keys it. */
function inventoryKey(accountId: string | undefined, region: string | undefined, kind: string | undefined): string {
  return `${accountId}|${region}|${kind}`;
}

/**
 * The jobs of one scan and what is known about each: read in full from Redis (`readStates`), and kept current
 * between reads by job events (`apply`).
 */
export class ScanJobTracker {
  private readonly jobs: TrackedJob[];
  private readonly byId: Map<string, TrackedJob>;

  constructor(readonly plan: ScanPlan) {
    this.jobs = scanJobs(plan).map((ref) => ({ ...ref, state: 'waiting', seq: 0 }));
    this.byId = new Map(this.jobs.map((job) => [job.id, job]));
  }

  /** The queues the scan's jobs run on. */
  queueNames(): string[] {
    return [...new Set(this.jobs.map((job) => job.queue))];
  }

  /**
   * Reads every job's state, the progress of active jobs and the reason of failed ones. A job an event updated
   * while the read ran keeps the event's newer state.
   */
  async readStates(queues: QueueSet): Promise<void> {
    const seqs = this.jobs.map((job) => job.seq);
    const states = await Promise.all(this.jobs.map((job) => queues.get(job.queue).getJobState(job.id)));
    const details = await Promise.all(
      this.jobs.map((job, i) => (states[i] === 'active' || states[i] === 'failed' ? queues.get(job.queue).getJob(job.id) : undefined)),
    );
    this.jobs.forEach((job, i) => {
      if (job.seq !== seqs[i]) return;
      job.state = tracked(states[i] as string);
      job.progress = job.state === 'active' ? readJobProgress(details[i]?.progress) : undefined;
      job.failedReason = job.state === 'failed' ? (details[i]?.failedReason ?? 'unknown') : undefined;
    });
  }

  /** Applies a job event; returns false when the event is about no job of this scan. */
  apply(event: JobEvent): boolean {
    const job = this.byId.get(event.jobId);
    if (!job || job.queue !== event.queue) return false;
    job.seq += 1;
    switch (event.type) {
      case 'progress': {
        const progress = readJobProgress(event.data);
        if (progress) job.progress = progress;
        if (job.state !== 'completed' && job.state !== 'failed') job.state = 'active';
        break;
      }
      case 'active':
        // A new attempt starts from nothing: what an earlier attempt reported no longer holds.
        job.state = 'active';
        job.progress = undefined;
        job.failedReason = undefined;
        break;
      case 'completed':
        job.state = 'completed';
        break;
      case 'failed':
        job.state = 'failed';
        job.failedReason = event.failedReason;
        break;
      default:
        job.state = 'waiting';
        job.failedReason = undefined;
    }
    return true;
  }

  /** The scan's progress from the jobs as last known, its stored record and its stored inventory counts. */
  summarize(record: ScanRecord, counts: readonly { accountId: string; region: string; kind: string; count: number }[]): ScanProgress {
    const stages = Object.fromEntries(
      SCAN_STAGES.map((s) => [s, { total: 0, completed: 0, active: 0, waiting: 0, failed: 0, inFlight: 0 }]),
    ) as Record<ScanStage, StageProgress>;
    const stored = new Set(counts.map((c) => inventoryKey(c.accountId, c.region, c.kind)));
    let resourcesFound = counts.reduce((sum, c) => sum + c.count, 0);
    const failedJobs: ScanProgress['failedJobs'] = [];
    for (const job of this.jobs) {
      const stage = stages[job.stage as ScanStage];
      stage.total += 1;
      // A job trimmed by retention after completing reads as `unknown`; a completed scan implies it completed.
      if (job.state === 'completed' || (job.state === 'unknown' && record.status === 'completed')) stage.completed += 1;
      else if (job.state === 'active') {
        stage.active += 1;
        stage.inFlight += progressFraction(job.progress);
      } else if (job.state === 'failed') {
        stage.failed += 1;
        failedJobs.push({ id: job.id, queue: job.queue, reason: job.failedReason ?? 'unknown' });
      } else stage.waiting += 1;
      // Until its inventory is stored (a moment after it reported), a discovery job's own count stands in for it.
      if (job.stage === 'discover' && (job.state === 'active' || job.state === 'completed') && !stored.has(inventoryKey(job.accountId, job.region, job.kind))) {
        resourcesFound += job.progress?.resourcesFound ?? 0;
      }
    }
    for (const stage of Object.values(stages)) stage.inFlight = Math.round(stage.inFlight * 1000) / 1000;
    return {
      scanId: record.plan.scanId,
      status: record.status === 'running' && failedJobs.length ? 'stalled' : record.status,
      plan: record.plan,
      stages,
      resourcesFound,
      finishedAt: record.finishedAt,
      reportDir: record.reportDir,
      failedJobs,
    };
  }
}

/** Status and per-stage progress of a scan, read once from its deterministic job ids and the scan store. */
export async function getScanProgress(queues: QueueSet, store: ScanStore, scanId: string): Promise<ScanProgress | undefined> {
  const record = await store.getScan(scanId);
  if (!record) return undefined;
  const tracker = new ScanJobTracker(record.plan);
  await tracker.readStates(queues);
  return tracker.summarize(record, await store.inventoryCounts(scanId));
}
