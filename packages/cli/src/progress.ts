// Renders a scan's progress: one line rewritten in place in a terminal, rate-limited log lines otherwise.
import type { ScanProgress } from '@finops/pipeline';

const STAGE_LABELS = { discover: 'discovery', analyze: 'analysis', check: 'checks', optimize: 'optimization', costs: 'costs', report: 'report' } as const;
type Stage = keyof typeof STAGE_LABELS;

/** How much of the scan is done, in jobs: the completed ones plus the share running ones reported done. */
export function workDone(p: ScanProgress): { done: number; total: number } {
  const stages = Object.values(p.stages);
  return {
    done: stages.reduce((n, s) => n + s.completed + s.inFlight, 0),
    total: stages.reduce((n, s) => n + s.total, 0),
  };
}

/** Time left at the pace so far, or undefined before any work is done (and after all of it). */
export function etaMs(p: ScanProgress, elapsedMs: number): number | undefined {
  const { done, total } = workDone(p);
  return done > 0 && done < total ? (elapsedMs / done) * (total - done) : undefined;
}

export function formatProgress(p: ScanProgress, elapsedMs: number): string {
  const stages = (Object.keys(STAGE_LABELS) as Stage[])
    // A scan without a costs job (costs.enabled: false) shows no costs stage; one planned before check jobs, no checks.
    .filter((s) => (s !== 'costs' && s !== 'check') || p.stages[s]?.total)
    .map((s) => {
      const stage = p.stages[s];
      const notes = [stage.active ? `${stage.active} running` : '', stage.failed ? `${stage.failed} failed` : ''].filter(Boolean);
      return `${STAGE_LABELS[s]} ${stage.completed}/${stage.total}${notes.length ? ` (${notes.join(', ')})` : ''}`;
    })
    .join(' · ');
  const eta = etaMs(p, elapsedMs);
  return `${stages} · ${p.resourcesFound.toLocaleString('en-US')} resources · ${(elapsedMs / 1000).toFixed(1)}s${eta === undefined ? '' : ` · ETA ${Math.ceil(eta / 1000)}s`}`;
}

/** What changed in a scan, without the clock: a log line is written only when this changes. */
export function progressKey(p: ScanProgress): string {
  return `${JSON.stringify(p.stages)}|${p.resourcesFound}|${p.status}`;
}

export interface ScanProgressViewOptions {
  /** Where to write (default stderr, so stdout keeps the result). A terminal gets the live line. */
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  /** Fewest ms between two log lines when the stream is not a terminal (default 1000). */
  logIntervalMs?: number;
  /** Fewest ms between two redraws of a terminal's line; it is also redrawn this often for the clock (default 1000 / 10). */
  redrawMs?: number;
  /** The clock; tests pin it. */
  now?: () => number;
}

/**
 * Shows a scan's progress as it changes. In a terminal: one line rewritten in place, its clock and ETA ticking.
 * Elsewhere (a log, a pipe): a timestamped line per change, at most one per `logIntervalMs`; a change inside that
 * interval is written when it ends, and `done()` writes the last state if it was not written yet.
 *
 * @example
 * const view = new ScanProgressView(Date.now());
 * await waitForScan(queues, store, scanId, { onProgress: (p) => view.show(p) });
 * view.done();
 */
export class ScanProgressView {
  private readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private latest?: ScanProgress;
  /** The last line drawn (terminal) or the key of the last line logged. */
  private written = '';
  private writtenAt = Number.NEGATIVE_INFINITY;
  private pending?: NodeJS.Timeout;
  private ticker?: NodeJS.Timeout;

  constructor(
    private readonly startedAt: number,
    { stream = process.stderr, logIntervalMs = 1000, redrawMs = 100, now = Date.now }: ScanProgressViewOptions = {},
  ) {
    this.stream = stream;
    this.tty = Boolean(stream.isTTY);
    this.intervalMs = this.tty ? redrawMs : logIntervalMs;
    this.now = now;
  }

  show(progress: ScanProgress): void {
    this.latest = progress;
    if (this.tty && !this.ticker) {
      // Between events the clock and the ETA still move.
      this.ticker = setInterval(() => this.write(), 1000);
      this.ticker.unref();
    }
    if (this.pending) return;
    const wait = this.writtenAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.write();
      return;
    }
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.write();
    }, wait);
    this.pending.unref();
  }

  /** Writes the latest state if it was not written yet, and ends the terminal's line. Idempotent. */
  done(): void {
    clearTimeout(this.pending);
    clearInterval(this.ticker);
    this.pending = undefined;
    this.ticker = undefined;
    this.write();
    if (this.tty && this.written) {
      this.stream.write('\n');
      this.written = '';
      this.latest = undefined;
    }
  }

  private write(): void {
    if (!this.latest) return;
    const now = this.now();
    const line = formatProgress(this.latest, now - this.startedAt);
    const key = this.tty ? line : progressKey(this.latest);
    if (key === this.written) return;
    this.written = key;
    this.writtenAt = now;
    this.stream.write(this.tty ? `\r\x1b[2K${line}` : `${new Date(now).toISOString()} ${line}\n`);
  }
}
