// `finops workers --role discovery[,analysis] [--regions eu-west-1,eu-central-1]`: a worker pool in the foreground.
import type { Command } from 'commander';
import { UsageError } from '@finops/core';
import { runWorkerProcess } from '@finops/pipeline';
import { ROLES, type Role } from '@finops/queues';
import { list, openContext, optionsOf, untilStopped, type CommandRegistration } from '../cli-runtime.js';

export function parseRoles(value: string | undefined): Role[] {
  const roles = list(value) ?? [];
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (!roles.length || unknown.length) {
    throw new UsageError(roles.length ? `--role: unknown role ${unknown.join(', ')}` : '--role is required', { hint: `use one or more of ${ROLES.join(', ')}, e.g. --role discovery` });
  }
  return roles as Role[];
}

export const registerWorkers: CommandRegistration = (program) => {
  program
    .command('workers')
    .description('run a worker pool in the foreground; with --regions it serves only those regions\' queues')
    .requiredOption('--role <roles>', 'comma list of discovery, analysis, optimizer, reporter, scheduler')
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ role: string }>(command);
      const roles = parseRoles(o.role);
      const ctx = await openContext(o, { service: roles.join('+'), quiet: false, pinRegions: true });
      const proc = await runWorkerProcess(ctx, roles);
      ctx.logger.info({ roles, regions: ctx.regions, healthPort: proc.healthPort }, 'worker pool running: Ctrl-C stops it after in-flight jobs finish');
      await untilStopped();
    });
};
