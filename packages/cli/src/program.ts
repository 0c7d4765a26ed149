// The finops command line: the global flags, the command list, and how errors become exit codes.
import { Command, CommanderError } from 'commander';
import { EXIT, FinopsError, describeError } from '@finops/core';
import type { CliRuntime, CommandRegistration } from './cli-runtime.js';
import { registerApi } from './commands/api.js';
import { registerApply } from './commands/apply.js';
import { registerApprove } from './commands/approve.js';
import { registerAudit } from './commands/audit.js';
import { registerChecks } from './commands/checks.js';
import { registerConfig } from './commands/config.js';
import { registerPricing } from './commands/pricing.js';
import { registerConsole } from './commands/console.js';
import { registerDemo } from './commands/demo.js';
import { registerDismiss } from './commands/dismiss.js';
import { registerReject } from './commands/reject.js';
import { registerReport } from './commands/report.js';
import { registerRollback } from './commands/rollback.js';
import { registerBudgetApprovals } from './commands/report-insights.js';
import { registerSchedule } from './commands/schedule.js';
import { registerSimulateAws } from './commands/simulate-aws.js';
import { registerOptimize, registerScan } from './commands/scan.js';
import { registerTestConnection } from './commands/test-connection.js';
import { registerWorkers } from './commands/workers.js';
import { translateLegacyArgs } from './legacy-args.js';

/**
 * Every command, in the order `finops --help` lists them. A command is one file under commands/ exporting a
 * CommandRegistration, plus one line here.
 */
export const COMMANDS: CommandRegistration[] = [
  registerScan,
  registerOptimize,
  registerReport,
  registerBudgetApprovals,
  registerApply,
  registerApprove,
  registerReject,
  registerRollback,
  registerAudit,
  registerSchedule,
  registerConsole,
  registerWorkers,
  registerApi,
  registerConfig,
  registerChecks,
  registerDismiss,
  registerPricing,
  registerTestConnection,
  registerSimulateAws,
  registerDemo,
];

/** Builds the command tree; each action reports its exit code through `setCode`. */
export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('finops')
    .description('AWS cost optimization: discovery, analysis, optimization and reporting on BullMQ workers')
    .usage('<command> [options]   (or the seed forms: --continuous, --schedule [--daemon], --report TYPE, --validate-config)')
    .option('--config <file>', 'configuration file (default: FINOPS_CONFIG, ./config.yaml, ~/.advanced-finops/config.yaml)')
    .option('--live', 'act for real where a command can; live changes also need safety.dryRun: false in the config')
    .option('--dry-run', 'record what would be done, change nothing (the default)')
    .option('--services <list>', 'comma list of services to scan: ec2,rds,lambda')
    .option('--regions <list>', 'comma list of regions: what a scan covers, or what a worker pool serves')
    .option('--accounts <list>', 'comma list of account ids to scan')
    .option('--interval <minutes>', 'minutes between runs of --continuous')
    .option('--debug', 'debug logs, and stack traces with errors')
    .option('--log-file <file>', 'also write JSON logs to this file (rotated)')
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('--output <path>', 'write the result here: report files to a directory, `config show` to a file')
    .showHelpAfterError()
    .exitOverride();
  const cli: CliRuntime = { setCode };
  for (const register of COMMANDS) register(program, cli);
  return program;
}

/** Runs the CLI and returns the process exit code: 0 ok, 1 scan with errors, 2 usage or config, 3 Redis/AWS unreachable. */
export async function run(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  program.commands.forEach(function exitOverride(cmd: Command) {
    cmd.exitOverride();
    cmd.commands.forEach(exitOverride);
  });
  const args = translateLegacyArgs(argv);
  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`finops: ${describeError(error)}\n`);
    if (args.includes('--debug') && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof FinopsError ? error.exitCode : EXIT.partial;
  }
}
