// What every command shares: the global flags, opening a service context for a command, and printing results.
import type { Command } from 'commander';
import { SERVICE_NAMES, UsageError, type ConfigInput, type DeepPartial, type ServiceName } from '@finops/core';
import { bootstrap, type ServiceContext } from '@finops/pipeline';

/** The flags every command accepts (declared once, on the program; commander reads them before or after the command). */
export interface GlobalOptions {
  config?: string;
  live?: boolean;
  dryRun?: boolean;
  services?: string;
  regions?: string;
  accounts?: string;
  interval?: string;
  debug?: boolean;
  logFile?: string;
  json?: boolean;
  output?: string;
}

/** How a command hands back its exit code (commander actions return nothing). */
export interface CliRuntime {
  setCode(code: number): void;
}

/** Adds a command (or a group of them) to the program: one per command file, listed in program.ts. */
export type CommandRegistration = (program: Command, cli: CliRuntime) => void;

/** The command's own options with the global ones. */
export function optionsOf<T extends object>(command: Command): T & GlobalOptions {
  return command.optsWithGlobals() as T & GlobalOptions;
}

export function list(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((v) => v.trim()).filter(Boolean);
  return items?.length ? items : undefined;
}

export function parseServices(value: string | undefined): ServiceName[] | undefined {
  const services = list(value);
  const unknown = services?.filter((s) => !SERVICE_NAMES.includes(s as ServiceName));
  if (unknown?.length) throw new UsageError(`--services: unknown service ${unknown.join(', ')}`, { hint: `use a comma list of ${SERVICE_NAMES.join(', ')}` });
  return services as ServiceName[] | undefined;
}

/** A positive number of minutes from --interval. */
export function parseInterval(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new UsageError(`--interval: expected a number of minutes > 0, got "${value}"`, { hint: 'e.g. --interval 15' });
  return minutes;
}

/** Config values the global flags set: --dry-run, --log-file, --debug. */
export function configOverrides(o: GlobalOptions, { quiet }: { quiet: boolean }): DeepPartial<ConfigInput> {
  if (o.live && o.dryRun) throw new UsageError('--live and --dry-run contradict each other', { hint: 'pass one of them' });
  const logging: DeepPartial<ConfigInput>['logging'] = {};
  if (o.logFile) logging.file = o.logFile;
  // A short command prints its result; its logs are for trouble only, unless asked for.
  if (o.debug) logging.level = 'debug';
  else if (quiet && !o.logFile) logging.level = 'warn';
  return {
    // --live is a request that safety.dryRun: false in the config must also allow (remediation reads it per
    // command); it never turns a dry-run configuration live. --dry-run always wins.
    ...(o.dryRun ? { safety: { dryRun: true } } : {}),
    ...(Object.keys(logging).length ? { logging } : {}),
  };
}

/**
 * Bootstraps a context for a command, logging to stderr. `quiet` (short commands) logs warnings only;
 * long-running ones (workers, api) log at the configured level. `pinRegions` passes --regions as worker regions.
 */
export function openContext(o: GlobalOptions, options: { service: string; quiet?: boolean; pinRegions?: boolean }): Promise<ServiceContext> {
  const argv = [...(o.config ? ['--config', o.config] : []), ...(options.pinRegions && o.regions ? ['--regions', o.regions] : [])];
  return bootstrap({
    service: options.service,
    argv,
    allowManagedRedis: true,
    logOutput: process.stderr,
    overrides: configOverrides(o, { quiet: options.quiet ?? true }),
  });
}

/** Prints a result: JSON (one document) with --json, else the human text. */
export function printResult(o: GlobalOptions, human: string | (() => string), json: unknown): void {
  if (o.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else process.stdout.write(`${typeof human === 'function' ? human() : human}\n`);
}

/** Never resolves: a foreground command (workers, api) ends when its shutdown handler exits on SIGINT/SIGTERM. */
export function untilStopped(): Promise<never> {
  return new Promise(() => undefined);
}
