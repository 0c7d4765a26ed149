// The commands of `finops console`, independent of the terminal: execute a line, complete a line.
import { describeError } from '@finops/core';
import { getOperatorStatus, type ScheduleControl, type ServiceContext } from '@finops/pipeline';
import { formatSchedules } from './commands/schedule.js';

export interface ConsoleCommand {
  usage: string;
  help: string;
  /** Whether its argument is a task (schedule) id, for completion. */
  takesTask?: boolean;
}

export const CONSOLE_COMMANDS: Record<string, ConsoleCommand> = {
  help: { usage: 'help', help: 'this list' },
  status: { usage: 'status', help: 'problems first, then queues and the latest scan (as GET /api/status)' },
  tasks: { usage: 'tasks', help: 'the scheduled tasks: state, next run, last run' },
  run: { usage: 'run <task>', help: 'run a task now', takesTask: true },
  enable: { usage: 'enable <task>', help: 'let a task run on its schedule again', takesTask: true },
  disable: { usage: 'disable <task>', help: 'stop a task\'s schedule (kept across restarts)', takesTask: true },
  scans: { usage: 'scans', help: 'recent scans and their status' },
  quit: { usage: 'quit', help: 'leave the console (also: exit, Ctrl-D)' },
};

export class ConsoleSession {
  private taskIds: string[] = [];

  constructor(
    private readonly ctx: ServiceContext,
    private readonly schedules: ScheduleControl,
    private readonly write: (text: string) => void,
  ) {}

  /** Loads the task ids for completion. */
  async init(): Promise<void> {
    this.taskIds = (await this.schedules.list()).map((s) => s.id);
  }

  /** Completion for readline: command names, then task ids after run/enable/disable. */
  complete(line: string): [string[], string] {
    const parts = line.trimStart().split(/\s+/);
    if (parts.length <= 1) {
      const word = parts[0] ?? '';
      return [Object.keys(CONSOLE_COMMANDS).filter((c) => c.startsWith(word)), word];
    }
    const word = parts[parts.length - 1];
    const command = CONSOLE_COMMANDS[parts[0]];
    return [command?.takesTask && parts.length === 2 ? this.taskIds.filter((t) => t.startsWith(word)) : [], word];
  }

  /** Runs one line; false when the session should end. Errors are printed, never thrown. */
  async execute(line: string): Promise<boolean> {
    const [name, arg] = line.trim().split(/\s+/);
    if (!name) return true;
    try {
      switch (name) {
        case 'quit':
        case 'exit':
          return false;
        case 'help':
          this.write(Object.values(CONSOLE_COMMANDS).map((c) => `  ${c.usage.padEnd(16)} ${c.help}`).join('\n'));
          return true;
        case 'status':
          await this.status();
          return true;
        case 'tasks':
          this.write(formatSchedules(await this.schedules.list()));
          return true;
        case 'scans':
          await this.scans();
          return true;
        case 'run':
        case 'enable':
        case 'disable': {
          if (!arg) {
            this.write(`usage: ${CONSOLE_COMMANDS[name].usage} (tasks: ${this.taskIds.join(', ')})`);
            return true;
          }
          if (name === 'run') this.write(`queued ${arg} (job ${await this.schedules.runNow(arg)})`);
          else this.write(formatSchedules([await this.schedules[name](arg)]));
          return true;
        }
        default:
          this.write(`unknown command "${name}": type help`);
          return true;
      }
    } catch (error) {
      this.write(`error: ${describeError(error)}`);
      return true;
    }
  }

  private async status(): Promise<void> {
    const status = await getOperatorStatus({ config: this.ctx.config, redis: this.ctx.redis, queues: this.ctx.queues, store: this.ctx.store });
    const lines = [status.problems.length ? `Problems:\n${status.problems.map((p) => `  ! ${p}`).join('\n')}` : 'No problems found.'];
    if (status.latestScan) lines.push(`Latest scan: ${status.latestScan.scanId} ${status.latestScan.status} (started ${status.latestScan.startedAt}, ${status.latestScan.trigger})`);
    lines.push('Queues (waiting/active/delayed/failed):');
    for (const q of status.queues) lines.push(`  ${q.name.padEnd(28)} ${q.waiting}/${q.active}/${q.delayed}/${q.failed}${q.paused ? ' paused' : ''}`);
    for (const p of status.aws) {
      lines.push(`  aws ${p.accountId} ${p.region}: ok ${p.lastSuccess?.at ?? 'never'}, failed ${p.lastFailure ? `${p.lastFailure.at} ${p.lastFailure.code}` : 'never'}${p.throttlingOpen ? ', THROTTLED' : ''}`);
    }
    this.write(lines.join('\n'));
  }

  private async scans(): Promise<void> {
    const scans = await this.ctx.store.listScans(15);
    if (!scans.length) return this.write('no scans yet');
    this.write(scans.map((s) => `${s.plan.scanId}  ${s.status.padEnd(9)} ${s.plan.trigger.padEnd(28)} ${s.plan.startedAt}${s.finishedAt ? ` → ${s.finishedAt}` : ''}`).join('\n'));
  }
}
