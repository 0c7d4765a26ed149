// `finops schedule list|run|enable|disable|serve`: operate the recurring runs (BullMQ job schedulers).
import { spawn } from 'node:child_process';
import { openSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '@finops/core';
import { ScheduleControl, ScheduleState, runWorkerProcess, type ScheduleInfo, type ServiceContext } from '@finops/pipeline';
import { openContext, optionsOf, printResult, untilStopped, type CommandRegistration, type GlobalOptions } from '../cli-runtime.js';
import { REPO_ROOT, cliEntrypoint } from '../paths.js';

export function scheduleControl(ctx: ServiceContext): ScheduleControl {
  return new ScheduleControl({ config: () => ctx.config, queues: ctx.queues, state: new ScheduleState(ctx.redis, ctx.config.redis.prefix), logger: ctx.logger });
}

/** One line per schedule: id, state, when, next tick, last run. */
export function formatSchedules(schedules: ScheduleInfo[]): string {
  const state = (s: ScheduleInfo) => (s.disabled ? 'disabled' : s.active ? 'active' : s.configured ? 'pending sync' : 'off');
  return schedules
    .map((s) => {
      const last = s.lastRun ? `last ${s.lastRun.outcome} ${s.lastRun.at}${s.lastRun.scanId ? ` (${s.lastRun.scanId})` : ''}${s.lastRun.reason ? `: ${s.lastRun.reason}` : ''}` : 'never run';
      return `${s.id.padEnd(24)} ${state(s).padEnd(12)} ${s.type.padEnd(13)} ${s.when}${s.next ? ` · next ${s.next}` : ''} · ${last}`;
    })
    .join('\n');
}

async function withControl(o: GlobalOptions, action: (control: ScheduleControl) => Promise<void>): Promise<void> {
  const ctx = await openContext(o, { service: 'cli' });
  try {
    await action(scheduleControl(ctx));
  } finally {
    await ctx.close();
  }
}

/** `--daemon`: the same command detached from the terminal, logging to --log-file (default .finops/logs/scheduler.log). */
function daemonize(o: GlobalOptions): number {
  const logFile = resolve(o.logFile ?? resolve(REPO_ROOT, '.finops/logs/scheduler.log'));
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'a');
  const args = [cliEntrypoint(), 'schedule', 'serve', ...(o.config ? ['--config', o.config] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out], env: process.env });
  child.unref();
  printResult(o, `scheduler running in the background: pid ${child.pid}, logs in ${logFile} (stop it with kill ${child.pid})`, { pid: child.pid, logFile });
  return EXIT.ok;
}

export const registerSchedule: CommandRegistration = (program, cli) => {
  const schedule = program.command('schedule').description('recurring runs: list, run now, enable, disable, serve');
  schedule
    .command('list')
    .description('every schedule of the configuration with its state, next tick and last run')
    .action(async (_o, command: Command) => {
      const o = optionsOf(command);
      await withControl(o, async (control) => {
        const schedules = await control.list();
        printResult(o, () => formatSchedules(schedules), { schedules });
      });
      cli.setCode(EXIT.ok);
    });
  schedule
    .command('run <id>')
    .description('queue one run of a schedule now (for a disabled one too)')
    .action(async (id: string, _o, command: Command) => {
      const o = optionsOf(command);
      await withControl(o, async (control) => {
        const jobId = await control.runNow(id);
        printResult(o, `queued run of ${id} (job ${jobId}); the scheduler worker (api service) starts its scan`, { id, jobId });
      });
      cli.setCode(EXIT.ok);
    });
  for (const verb of ['enable', 'disable'] as const) {
    schedule
      .command(`${verb} <id>`)
      .description(verb === 'enable' ? 'let a schedule run again' : 'stop a schedule\'s ticks (kept across restarts) until enabled')
      .action(async (id: string, _o, command: Command) => {
        const o = optionsOf(command);
        await withControl(o, async (control) => {
          const info = await control[verb](id);
          printResult(o, () => formatSchedules([info]), info);
        });
        cli.setCode(EXIT.ok);
      });
  }
  schedule
    .command('serve')
    .description('sync the schedules and run the scheduler worker in the foreground (the api service does this too)')
    .option('--daemon', 'detach from the terminal')
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ daemon?: boolean }>(command);
      if (o.daemon) return cli.setCode(daemonize(o));
      const ctx = await openContext(o, { service: 'scheduler', quiet: false });
      const control = scheduleControl(ctx);
      await control.sync();
      await runWorkerProcess(ctx, ['scheduler'], { afterReload: async () => void (await control.sync()) });
      await untilStopped();
    });
};
