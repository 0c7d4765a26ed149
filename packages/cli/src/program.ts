// The finops command line: commands, their flags, and how errors become exit codes.
import { Command, CommanderError } from 'commander';
import { EXIT, FinopsError, describeError } from '@finops/core';
import { listChecksCommand } from './commands/checks.js';
import { printDefaultsCommand, showConfigCommand, validateConfigCommand } from './commands/config.js';
import { runDemo } from './commands/demo.js';
import { scanCommand } from './commands/scan.js';

/** Builds the command tree; each action reports its exit code through `setCode`. */
export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('finops')
    .description('AWS cost optimization: discovery, analysis, optimization and reporting on BullMQ workers')
    .option('--debug', 'print stack traces with errors')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('demo')
    .description('run the whole stack locally against the simulated AWS account and print the scan summary')
    .option('--config <file>', 'configuration file (default: config/demo.yaml)')
    .option('--keep', 'keep the stack running after the scan, for Bull Board')
    .option('--timeout <seconds>', 'give up after this many seconds', '600')
    .action(async (o) => setCode(await runDemo({ config: o.config, keep: o.keep, timeoutSec: Number(o.timeout) })));

  program
    .command('scan')
    .description('queue one scan for the running workers')
    .option('--config <file>', 'configuration file')
    .option('--services <list>', 'comma list of services: ec2,rds,lambda')
    .option('--regions <list>', 'comma list of regions')
    .option('--accounts <list>', 'comma list of account ids')
    .option('--wait', 'follow the scan until its report is written')
    .option('--json', 'machine-readable output')
    .action(async (o) => setCode(await scanCommand(o)));

  const config = program.command('config').description('validate or show the configuration');
  config
    .command('validate')
    .option('--config <file>', 'configuration file')
    .description('check a configuration file and the environment; exit 2 with every problem when invalid')
    .action(async (o) => setCode(await validateConfigCommand(o)));
  config
    .command('show')
    .option('--config <file>', 'configuration file')
    .option('--json', 'JSON instead of YAML')
    .description('print the effective configuration, secrets redacted')
    .action(async (o) => setCode(await showConfigCommand(o)));

  config
    .command('defaults')
    .description('print every option with its default and description (the text of config/default.yaml)')
    .action(async () => setCode(await printDefaultsCommand()));

  program
    .command('checks')
    .description('the cost checks')
    .command('list')
    .option('--json', 'machine-readable output')
    .description('every check with its defaults, permissions and description')
    .action(async (o) => setCode(await listChecksCommand(o)));

  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function run(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  program.commands.forEach(function exitOverride(cmd: Command) {
    cmd.exitOverride();
    cmd.commands.forEach(exitOverride);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`finops: ${describeError(error)}\n`);
    if (program.opts().debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof FinopsError ? error.exitCode : EXIT.partial;
  }
}
