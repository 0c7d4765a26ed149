// `finops console` commands and completion, against a real Redis (no terminal needed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsContext, type OpsContext } from '../../../test/ops/ops-context.js';
import { scheduleControl } from './commands/schedule.js';
import { ConsoleSession } from './console-session.js';

describe('console session', () => {
  let ops: OpsContext;
  let session: ConsoleSession;
  const printed: string[] = [];
  const last = () => printed[printed.length - 1];

  beforeAll(async () => {
    ops = await opsContext('console', { schedules: { dailyOptimization: { enabled: true }, weeklyReport: { enabled: true } } });
    const control = scheduleControl(ops.ctx);
    await control.sync();
    session = new ConsoleSession(ops.ctx, control, (text) => printed.push(text));
    await session.init();
  });
  afterAll(async () => ops?.cleanup());

  it('completes commands, then task ids after run, enable and disable', () => {
    expect(session.complete('st')).toEqual([['status'], 'st']);
    expect(session.complete('')[0]).toEqual(['help', 'status', 'tasks', 'run', 'enable', 'disable', 'scans', 'quit']);
    expect(session.complete('disable w')).toEqual([['weekly-report'], 'w']);
    expect(session.complete('run m')).toEqual([['monitoring', 'monthly-budget-review'], 'm']);
    expect(session.complete('scans x')).toEqual([[], 'x']);
  });

  it('shows help, tasks and scans, runs, disables and enables a task, and ends on quit', async () => {
    expect(await session.execute('help')).toBe(true);
    expect(last()).toContain('run <task>');
    await session.execute('tasks');
    expect(last()).toMatch(/^monitoring +off/m);
    expect(last()).toMatch(/^weekly-report +active +report/m);
    await session.execute('disable weekly-report');
    expect(last()).toMatch(/^weekly-report +disabled/);
    await session.execute('enable weekly-report');
    expect(last()).toMatch(/^weekly-report +active/);
    await session.execute('run daily-optimization');
    expect(last()).toMatch(/^queued daily-optimization \(job daily-optimization\.run-now\.\d+\)$/);
    await session.execute('scans');
    expect(last()).toBe('no scans yet');
    await session.execute('status');
    expect(last()).toMatch(/Queues \(waiting\/active\/delayed\/failed\):\n {2}discovery-us-east-1/);
    await session.execute('run');
    expect(last()).toMatch(/^usage: run <task> \(tasks: monitoring, /);
    await session.execute('run nope');
    expect(last()).toMatch(/^error: no schedule "nope"\n {2}fix: known schedules: /);
    await session.execute('frobnicate');
    expect(last()).toBe('unknown command "frobnicate": type help');
    expect(await session.execute('quit')).toBe(false);
    expect(await session.execute('exit')).toBe(false);
  });
});
