// Renders a scan's progress: one rewritten line in a terminal, a log line per change otherwise.
import type { ScanProgress } from '@finops/pipeline';

const STAGE_LABELS = { discover: 'discovery', analyze: 'analysis', optimize: 'optimization', costs: 'costs', report: 'report' } as const;

export function formatProgress(p: ScanProgress, elapsedMs: number): string {
  const stages = (Object.keys(STAGE_LABELS) as (keyof typeof STAGE_LABELS)[])
    // A scan without a costs job (costs.enabled: false) shows no costs stage.
    .filter((s) => s !== 'costs' || p.stages[s]?.total)
    .map((s) => `${STAGE_LABELS[s]} ${p.stages[s].completed}/${p.stages[s].total}${p.stages[s].failed ? ` (${p.stages[s].failed} failed)` : ''}`)
    .join(' · ');
  const done = Object.values(p.stages).reduce((n, s) => n + s.completed, 0);
  const total = Object.values(p.stages).reduce((n, s) => n + s.total, 0);
  const eta = done > 0 && done < total ? ` · ETA ${Math.ceil(((elapsedMs / done) * (total - done)) / 1000)}s` : '';
  return `${stages} · ${p.resourcesFound.toLocaleString('en-US')} resources · ${(elapsedMs / 1000).toFixed(1)}s${eta}`;
}

/** What changed in a scan, without the clock: a log line is written only when this changes. */
export function progressKey(p: ScanProgress): string {
  return `${JSON.stringify(p.stages)}|${p.resourcesFound}|${p.status}`;
}

/** A live line in a terminal (rewritten in place); elsewhere one log line per change of `key`. */
export class ProgressPrinter {
  private last = '';
  private lastKey = '';
  constructor(private readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr) {}

  update(line: string, key: string = line): void {
    if (this.stream.isTTY) {
      if (line === this.last) return;
      this.last = line;
      this.stream.write(`\r\x1b[2K${line}`);
      return;
    }
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.last = line;
    this.stream.write(`${new Date().toISOString()} ${line}\n`);
  }

  done(): void {
    if (this.stream.isTTY && this.last) this.stream.write('\n');
  }
}
