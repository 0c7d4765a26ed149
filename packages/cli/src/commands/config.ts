// `finops config validate|show|defaults|reload`: check a configuration, export the effective one, reload running processes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, loadConfig, redactConfig, renderDefaultConfig } from '@finops/core';
import { validateChecksConfig } from '@finops/checks';
import { checkScheduleOptions, publishReload } from '@finops/pipeline';
import { stringify } from 'yaml';
import { openContext, optionsOf, printResult, type CommandRegistration, type GlobalOptions } from '../cli-runtime.js';

function load(options: { config?: string }) {
  return loadConfig({ configFile: options.config, validate: (c) => [...validateChecksConfig(c.checks), ...checkScheduleOptions(c.schedules)] });
}

export function validateConfigCommand(options: GlobalOptions): number {
  const { source } = load(options);
  printResult(options, `config OK: ${source}`, { ok: true, source });
  return EXIT.ok;
}

/** Prints the effective configuration (secrets redacted), or writes it to --output FILE. */
export function showConfigCommand(options: GlobalOptions): number {
  const { config, source } = load(options);
  const redacted = redactConfig(config);
  const text = options.json ? `${JSON.stringify(redacted, null, 2)}\n` : `# effective configuration from ${source} (secrets redacted)\n${stringify(redacted)}`;
  if (options.output) {
    const file = resolve(options.output);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stderr.write(`wrote the effective configuration to ${file}\n`);
  } else {
    process.stdout.write(text);
  }
  return EXIT.ok;
}

export function printDefaultsCommand(): number {
  process.stdout.write(renderDefaultConfig());
  return EXIT.ok;
}

export const registerConfig: CommandRegistration = (program, cli) => {
  const config = program.command('config').description('validate, show or reload the configuration');
  config
    .command('validate')
    .description('check a configuration file and the environment; exit 2 with every problem when invalid')
    .action((_o, command: Command) => cli.setCode(validateConfigCommand(optionsOf(command))));
  config
    .command('show')
    .description('print the effective configuration, secrets redacted (--output FILE writes it, --json as JSON)')
    .action((_o, command: Command) => cli.setCode(showConfigCommand(optionsOf(command))));
  config
    .command('defaults')
    .description('print every option with its default and description (the text of config/default.yaml)')
    .action(() => cli.setCode(printDefaultsCommand()));
  config
    .command('reload')
    .description('ask every running process to reload its configuration file (as SIGHUP does for one)')
    .action(async (_o, command: Command) => {
      const o = optionsOf(command);
      load(o);
      const ctx = await openContext(o, { service: 'cli' });
      try {
        const processes = await publishReload(ctx.redis, ctx.config.redis.prefix, 'cli');
        printResult(o, `reload sent to ${processes} process(es); each logs "configuration reloaded", or why it kept the running one`, { processes });
      } finally {
        await ctx.close();
      }
      cli.setCode(EXIT.ok);
    });
};
