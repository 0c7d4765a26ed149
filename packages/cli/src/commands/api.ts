// `finops api`: the api service (Bull Board, scan/status/schedule API, metrics, scheduler worker) in the foreground.
import type { Command } from 'commander';
import { startApiService } from '@finops/api';
import { openContext, optionsOf, untilStopped, type CommandRegistration } from '../cli-runtime.js';

export const registerApi: CommandRegistration = (program) => {
  program
    .command('api')
    .description('run the API with Bull Board and the scheduler worker in the foreground')
    .option('--no-scheduler', 'do not run the scheduler worker here')
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ scheduler: boolean }>(command);
      const ctx = await openContext(o, { service: 'api', quiet: false });
      const api = await startApiService(ctx, { scheduler: o.scheduler });
      process.stderr.write(`API at ${api.url} · Bull Board at ${api.url}/admin/queues · metrics at ${api.url}/metrics\n`);
      await untilStopped();
    });
};
