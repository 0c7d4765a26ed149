// Following a scan to its end: job events (QueueEvents) as they happen, with a slow full read as a safety net.
import { UsageError } from '@finops/core';
import type { JobEvent, JobEventStreams, QueueSet, ScanRecord, ScanStore } from '@finops/queues';
import { ScanJobTracker, type ScanProgress } from './scan-progress.js';

export interface WaitForScanOptions {
  /**
   * Every this many ms, every job's state is read again (default 5000): the safety net for events the watcher
   * missed (a stream reconnecting, a job moved by an operator). With `events: false`, the only updates.
   */
  pollMs?: number;
  /** Called with the scan's progress whenever it may have changed: on events, on reads, and once at the end. */
  onProgress?: (progress: ScanProgress) => void;
  /** Stops waiting: resolves with the progress read at that moment. */
  signal?: AbortSignal;
  /** Follow job events between reads (default true). */
  events?: boolean;
  /**
   * The job events could not be followed (their streams could not open, or lost their connection and reconnect by
   * themselves): the full reads go on meanwhile. Default: ignored.
   */
  onError?: (error: Error) => void;
}

/** The default safety-net read interval while events drive the updates. */
export const SCAN_POLL_MS = 5000;

/**
 * Follows a scan until it completes, fails, or stalls (a job used all its attempts and waits for an operator's
 * retry), or until `signal` aborts. Progress comes from the jobs' events (state changes and `job.updateProgress`
 * reports) as they happen, and from a full read every `pollMs`. An end seen in events is confirmed by a full read
 * before the scan is reported finished.
 *
 * @example
 * const progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, { onProgress: (p) => view.show(p) });
 */
export async function waitForScan(queues: QueueSet, store: ScanStore, scanId: string, options: WaitForScanOptions = {}): Promise<ScanProgress> {
  const record = await store.getScan(scanId);
  if (!record) throw new UsageError(`scan ${scanId} not found`, { hint: 'its data may have expired (workers.retention.scanDataDays)' });
  return new ScanWatch(queues, store, record, options).run();
}

/** One wait: its tracker, its streams and timers, and the latest stored record and inventory counts. */
class ScanWatch {
  private readonly tracker: ScanJobTracker;
  private readonly pollMs: number;
  private streams?: JobEventStreams;
  private counts: Awaited<ReturnType<ScanStore['inventoryCounts']>> = [];
  private pollTimer?: NodeJS.Timeout;
  private emitScheduled = false;
  /** A read in flight, and whether another was asked for meanwhile (reads never overlap; asks coalesce). */
  private reading?: Promise<void>;
  private readAgain: 'none' | 'store' | 'full' = 'none';
  private finished = false;
  private settle!: { resolve: (p: ScanProgress) => void; reject: (e: unknown) => void };

  constructor(
    private readonly queues: QueueSet,
    private readonly store: ScanStore,
    private record: ScanRecord,
    private readonly options: WaitForScanOptions,
  ) {
    this.tracker = new ScanJobTracker(record.plan);
    this.pollMs = options.pollMs ?? SCAN_POLL_MS;
  }

  run(): Promise<ScanProgress> {
    const done = new Promise<ScanProgress>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    void this.start();
    return done;
  }

  private async start(): Promise<void> {
    if (this.options.events !== false) {
      this.streams = await this.queues
        .jobEvents({ queues: this.tracker.queueNames(), onEvent: (event) => this.onEvent(event), onError: (error) => this.options.onError?.(error) })
        .catch((error: Error) => {
          // Without events the full reads still follow the scan, only less often.
          this.options.onError?.(error);
          return undefined;
        });
    }
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    // After the streams opened: what the read misses, the events carry.
    this.read('full');
  }

  private readonly onAbort = () => this.read('full');

  private onEvent(event: JobEvent): void {
    if (this.finished || !this.tracker.apply(event)) return;
    // A finished job changed what the store holds: its inventory count, or (the report job) the scan's status.
    if (event.type === 'completed' || event.type === 'failed') this.read('store');
    else this.scheduleEmit();
  }

  /** Summarizes on the next turn of the event loop: a burst of events becomes one update. */
  private scheduleEmit(): void {
    if (this.emitScheduled) return;
    this.emitScheduled = true;
    setImmediate(() => {
      this.emitScheduled = false;
      this.emit(false);
    });
  }

  /**
   * Reads the store (and, for `full`, every job's state), then reports. Reads never overlap: asks coalesce. The
   * safety-net timer runs from the end of one full read to the start of the next; store reads leave it alone.
   */
  private read(kind: 'store' | 'full'): void {
    if (this.finished) return;
    if (this.reading) {
      if (kind === 'full' || this.readAgain === 'none') this.readAgain = kind;
      return;
    }
    if (kind === 'full') clearTimeout(this.pollTimer);
    this.reading = (async () => {
      const [record, counts] = await Promise.all([
        this.store.getScan(this.record.plan.scanId),
        this.store.inventoryCounts(this.record.plan.scanId),
        kind === 'full' ? this.tracker.readStates(this.queues) : undefined,
      ]);
      if (!record) throw new UsageError(`scan ${this.record.plan.scanId} not found`, { hint: 'its data expired while it was followed (workers.retention.scanDataDays)' });
      this.record = record;
      this.counts = counts;
    })().then(
      () => {
        this.reading = undefined;
        if (kind === 'full' && !this.finished) this.pollTimer = setTimeout(() => this.read('full'), this.pollMs);
        this.emit(kind === 'full');
        const again = this.readAgain;
        this.readAgain = 'none';
        if (again !== 'none') this.read(again);
      },
      (error: unknown) => {
        this.reading = undefined;
        void this.finish({ error });
      },
    );
  }

  /**
   * Reports the progress. Only a full read ends the wait: an end seen in events alone (a failure an operator already
   * retried, say) asks for one first.
   */
  private emit(confirmed: boolean): void {
    if (this.finished) return;
    const progress = this.tracker.summarize(this.record, this.counts);
    this.options.onProgress?.(progress);
    const ended = progress.status !== 'running' || this.options.signal?.aborted;
    if (ended && confirmed) void this.finish({ progress });
    else if (ended) this.read('full');
  }

  private async finish(outcome: { progress: ScanProgress } | { error: unknown }): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.pollTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    await this.streams?.close();
    if ('progress' in outcome) this.settle.resolve(outcome.progress);
    else this.settle.reject(outcome.error);
  }
}
