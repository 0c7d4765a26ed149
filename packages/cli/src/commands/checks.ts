// `finops checks list` and `finops checks docs`: every registered check with its defaults, permissions and description.
import type { Command } from 'commander';
import { describeChecks, renderChecksDoc, type CheckDoc } from '@finops/checks';
import { EXIT } from '@finops/core';
import { optionsOf, printResult, type CommandRegistration } from '../cli-runtime.js';

const WINDOWS: Record<CheckDoc['lookback'], string> = {
  utilization: 'utilization window (optimization.lookbackDays)',
  unused: 'unused window (optimization.unusedLookbackDays)',
  none: 'resource state only',
};

/** One check as `finops checks list` prints it: id and resource, the one-line description, data, permissions, defaults. */
export function formatCheck(doc: CheckDoc): string {
  const defaults = doc.options.map((option) => `${option.name}=${JSON.stringify(option.default)}`).join(', ');
  const data = doc.metrics.length > 0 ? `${doc.metrics.join(', ')} over the ${WINDOWS[doc.lookback]}` : WINDOWS.none;
  return [
    `${doc.id}  (${doc.resourceKind})${doc.informational ? '  [informational]' : ''}`,
    `  ${doc.description}`,
    `  data: ${data}`,
    `  permissions: ${doc.permissions.join(', ')}`,
    `  defaults: ${defaults || '—'}`,
  ].join('\n');
}

export function listChecksCommand(options: { json?: boolean }): number {
  const docs = describeChecks();
  const json = docs.map((doc) => ({
    id: doc.id,
    title: doc.title,
    resourceKind: doc.resourceKind,
    description: doc.description,
    lookback: doc.lookback,
    metrics: doc.metrics,
    permissions: doc.permissions,
    informational: doc.informational,
    defaults: Object.fromEntries(doc.options.map((option) => [option.name, option.default])),
  }));
  printResult(options, () => `${docs.map(formatCheck).join('\n\n')}\n\n${docs.length} checks; set options under checks.<id> in the configuration.`, json);
  return EXIT.ok;
}

export const registerChecks: CommandRegistration = (program, cli) => {
  const checks = program.command('checks').description('the cost checks');
  checks
    .command('list')
    .description('every check with its defaults, permissions and description')
    .action((_o, command: Command) => cli.setCode(listChecksCommand(optionsOf(command))));
  checks
    .command('docs')
    .description('print docs/checks.md, generated from the check registry')
    .action(() => {
      process.stdout.write(renderChecksDoc());
      cli.setCode(EXIT.ok);
    });
};
