// The scan progress display: its line, the ETA from work in flight, and how often it writes to a log or a terminal.
import type { ScanProgress, StageProgress } from '@finops/pipeline';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScanProgressView, etaMs, formatProgress } from './progress.js';

function stage(total: number, completed = 0, active = 0, inFlight = 0, failed = 0): StageProgress {
  return { total, completed, active, waiting: total - completed - active - failed, failed, inFlight };
}

function progress(overrides: Partial<ScanProgress['stages']> = {}, resourcesFound = 0): ScanProgress {
  return {
    scanId: 'scan-20260101T000000Z-test',
    status: 'running',
    plan: {
      scanId: 'scan-20260101T000000Z-test',
      startedAt: '2026-01-01T00:00:00.000Z',
      provider: 'simulated',
      dryRun: true,
      accounts: ['111111111111'],
      regions: ['eu-west-1'],
      kinds: ['ebs-volume', 'ec2-instance'],
      trigger: 'test',
    },
    stages: { discover: stage(2), analyze: stage(1), check: stage(0), optimize: stage(1), costs: stage(0), report: stage(1), ...overrides },
    resourcesFound,
    failedJobs: [],
  };
}

/** A stream that records what was written. */
function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (chunk: string) => writes.push(chunk) > 0 } };
}

describe('formatProgress', () => {
  it('shows each stage, running and failed jobs, the resources found and the ETA from the work done so far', () => {
    const p = progress({ discover: stage(2, 1, 1, 0.5) }, 1234);
    // 1.5 of 5 jobs done in 3 s: 7 s to go.
    expect(formatProgress(p, 3000)).toBe('discovery 1/2 (1 running) · analysis 0/1 · optimization 0/1 · report 0/1 · 1,234 resources · 3.0s · ETA 7s');
    expect(formatProgress(progress({ discover: stage(2, 1, 0, 0, 1) }), 1000)).toContain('discovery 1/2 (1 failed)');
    // Check jobs, where the scan has them, between analysis and optimization.
    expect(formatProgress(progress({ check: stage(2, 1, 1) }), 1000)).toContain('analysis 0/1 · checks 1/2 (1 running) · optimization 0/1 · ');
  });

  it('counts work reported by running jobs in the ETA, and has none before any work is done', () => {
    expect(etaMs(progress(), 5000)).toBeUndefined();
    expect(etaMs(progress({ discover: stage(2, 0, 2, 1) }), 1000)).toBe(4000);
    const finished = progress({ discover: stage(2, 2), analyze: stage(1, 1), optimize: stage(1, 1), report: stage(1, 1) });
    expect(etaMs(finished, 1000)).toBeUndefined();
  });
});

describe('ScanProgressView', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = Date.parse('2026-01-01T00:00:00.000Z');
    vi.setSystemTime(clock);
  });
  afterEach(() => vi.useRealTimers());
  const advance = (ms: number) => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };

  it('writes a timestamped line per change to a log, at most one a second, and the last state at the end', () => {
    const { writes, stream } = sink(false);
    const view = new ScanProgressView(clock, { stream, now: () => clock });
    view.show(progress({}, 0));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^2026-01-01T00:00:00\.000Z discovery 0\/2 · .* · 0 resources · 0\.0s\n$/);
    // The same state again (a read with nothing new) writes nothing.
    advance(2000);
    view.show(progress({}, 0));
    expect(writes).toHaveLength(1);
    // Three changes within a second: the first at once, the last when the second is over, the middle one never.
    view.show(progress({ discover: stage(2, 0, 1) }, 0));
    advance(100);
    view.show(progress({ discover: stage(2, 0, 1, 1) }, 10));
    advance(100);
    view.show(progress({ discover: stage(2, 1, 1, 1) }, 25));
    expect(writes).toHaveLength(2);
    advance(800);
    expect(writes).toHaveLength(3);
    expect(writes[2]).toContain('discovery 1/2 (1 running) · ');
    expect(writes[2]).toContain(' 25 resources · ');
    // Changes cut short by the end of the scan: the last one is still written.
    view.show(progress({ discover: stage(2, 2) }, 30));
    advance(10);
    view.show(progress({ discover: stage(2, 2), analyze: stage(1, 1) }, 30));
    expect(writes).toHaveLength(3);
    view.done();
    expect(writes).toHaveLength(4);
    expect(writes[3]).toContain('discovery 2/2 · analysis 1/1 · ');
    view.done();
    advance(5000);
    expect(writes).toHaveLength(4);
  });

  it('rewrites one line in a terminal, keeps its clock moving between events, and ends it with a newline', () => {
    const { writes, stream } = sink(true);
    const view = new ScanProgressView(clock, { stream, now: () => clock });
    view.show(progress({ discover: stage(2, 1) }, 5));
    expect(writes).toEqual([expect.stringMatching(/^\r\x1b\[2Kdiscovery 1\/2 · .* · 5 resources · 0\.0s · ETA 0s$/)]);
    advance(1000);
    expect(writes.at(-1)).toMatch(/^\r\x1b\[2K.* · 1\.0s · ETA 4s$/);
    view.done();
    expect(writes.at(-1)).toBe('\n');
    const count = writes.length;
    advance(5000);
    expect(writes).toHaveLength(count);
  });
});
