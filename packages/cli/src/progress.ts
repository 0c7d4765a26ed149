// Renders a scan's progress: one rewritten line in a terminal, a log line per change otherwise.
import type { ScanProgress } from '@finops/pipeline';

const STAGE_LABELS = { discover: 'discovery', analyze: 'analysis', optimize: 'optimization', report: 'report' } as const;

export function formatProgress(p: ScanProgress, elapsedMs: number): string {
  const stages = (Object.keys(STAGE_LABELS) as (keyof typeof STAGE_LABELS)[])
    .map((s) => `${STAGE_LABELS[s]} ${p.stages[s].completed}/${p.stages[s].total}${p.stages[s].failed ? ` (${p.stages[s].failed} failed)` : ''}`)
    .join(' · ');
  const done = Object.values(p.stages).reduce((n, s) => n + s.completed, 0);
  const total = Object.values(p.stages).reduce((n, s) => n + s.total, 0);
  const eta = done > 0 && done < total ? ` · ETA ${Math.ceil(((elapsedMs / done) * (total - done)) / 1000)}s` : '';
  return `${stages} · ${p.resourcesFound.toLocaleString('en-US')} resources · ${(elapsedMs / 1000).toFixed(1)}s${eta}`;
}

export class ProgressPrinter {
  private last = '';
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(line: string): void {
    if (line === this.last) return;
    this.last = line;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${line}`);
    else this.stream.write(`${line}\n`);
  }

  done(): void {
    if (this.stream.isTTY && this.last) this.stream.write('\n');
  }
}
