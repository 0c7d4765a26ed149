// `finops console`: an interactive console with completion and a history kept across sessions.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { EXIT } from '@finops/core';
import { openContext, optionsOf, type CommandRegistration } from '../cli-runtime.js';
import { ConsoleSession } from '../console-session.js';
import { scheduleControl } from './schedule.js';

/** Lines kept in the history file. */
const HISTORY_SIZE = 500;

export function historyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.FINOPS_CONSOLE_HISTORY ?? join(homedir(), '.advanced-finops', 'console_history');
}

function readHistory(file: string): string[] {
  try {
    // readline wants the newest first.
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

export const registerConsole: CommandRegistration = (program, cli) => {
  program
    .command('console')
    .description('interactive console: status, tasks, run/enable/disable <task>, scans (Tab completes)')
    .action(async (_o, command: Command) => {
      const o = optionsOf(command);
      const ctx = await openContext(o, { service: 'console' });
      const write = (text: string) => process.stdout.write(`${text}\n`);
      const session = new ConsoleSession(ctx, scheduleControl(ctx), write);
      try {
        await session.init();
        const file = historyFile();
        mkdirSync(dirname(file), { recursive: true });
        const rl = createInterface({
          input: process.stdin,
          output: process.stdout,
          prompt: 'finops> ',
          history: readHistory(file),
          historySize: HISTORY_SIZE,
          completer: (line: string) => session.complete(line),
        });
        write('FinOps console: type help, Tab completes, quit leaves.');
        rl.prompt();
        for await (const line of rl) {
          if (line.trim()) appendFileSync(file, `${line.trim()}\n`);
          if (!(await session.execute(line))) break;
          rl.prompt();
        }
        rl.close();
      } finally {
        await ctx.close();
      }
      cli.setCode(EXIT.ok);
    });
};
