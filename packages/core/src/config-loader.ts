// Loads the configuration once, at the edge: file lookup, YAML, FINOPS_* environment, CLI overrides, validation.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue } from './errors.js';
import { configSchema, type Config, type ConfigInput } from './config-schema.js';
import { configErrorMap, describeValue, formatPath, toLocatedIssues, type ConfigPath, type LocatedIssue } from './config-issues.js';
import { envSource, readEnvOverrides } from './config-env.js';
import { checkConfigRules } from './config-rules.js';

/** Every field optional, recursively; arrays are replaced whole, so their items stay complete. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export interface LoadConfigOptions {
  /** `--config FILE`: must exist. Relative to `cwd`. */
  configFile?: string;
  /** Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where `./config.yaml` is looked up and relative paths start. Default: `process.cwd()`. */
  cwd?: string;
  /** Where `~/.advanced-finops/config.yaml` is looked up. Default: `os.homedir()`. */
  homeDir?: string;
  /** Extra validation of sections whose schema lives elsewhere (the check registry validates `checks`). */
  validate?: (config: Config) => ConfigIssue[];
  /** Values applied over the file and env (CLI flags such as --regions, --dry-run). */
  overrides?: DeepPartial<ConfigInput>;
  /** Names the overrides in issues. Default: `command line`. */
  overridesSource?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read, or `built-in defaults`. */
  source: string;
}

const BUILT_IN = 'built-in defaults';

interface ConfigFile {
  /** As the user named it, for messages: `config.yaml`, `~/.advanced-finops/config.yaml`. */
  label: string;
  absolute: string;
}

/** Where a value at a path came from, when not from the file. */
interface Origin {
  path: ConfigPath;
  source: string;
}

/**
 * Finds, reads and validates the configuration. Lookup: `configFile`, `FINOPS_CONFIG`, `./config.yaml`,
 * `~/.advanced-finops/config.yaml`, else the built-in defaults. Then the FINOPS_* environment, then `overrides`.
 *
 * @throws ConfigError listing every problem, each with its source and path.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = locateConfigFile(options, env);
  const fileSource = file?.label ?? BUILT_IN;

  const input = file ? readConfigFile(file) : {};
  const origins: Origin[] = [];
  const issues: ConfigIssue[] = [];

  const fromEnv = readEnvOverrides(env);
  issues.push(...fromEnv.issues);
  for (const override of fromEnv.overrides) {
    setAt(input, override.path, override.value);
    origins.push({ path: override.path, source: envSource(override.variable) });
  }
  if (options.overrides) {
    mergeOverrides(input, options.overrides, [], origins, options.overridesSource ?? 'command line');
  }

  const sourceOf = (path: ConfigPath): string => {
    let best: Origin | undefined;
    for (const origin of origins) {
      const isPrefix = origin.path.length <= path.length && origin.path.every((key, index) => key === path[index]);
      if (isPrefix && (!best || origin.path.length >= best.path.length)) best = origin;
    }
    return best?.source ?? fileSource;
  };
  const toConfigIssue = (issue: LocatedIssue): ConfigIssue => ({
    source: sourceOf(issue.path),
    path: formatPath(issue.path),
    message: issue.message,
  });

  const parsed = configSchema.safeParse(input, { error: configErrorMap });
  if (!parsed.success) {
    issues.push(...toLocatedIssues(parsed.error.issues, input).map(toConfigIssue));
    throw new ConfigError(issues);
  }
  const config = parsed.data;
  issues.push(...checkConfigRules(config).map(toConfigIssue));
  for (const issue of options.validate?.(config) ?? []) {
    issues.push(issue.source ? issue : { ...issue, source: fileSource });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  return { config, source: file?.absolute ?? BUILT_IN };
}

function locateConfigFile(options: LoadConfigOptions, env: NodeJS.ProcessEnv): ConfigFile | undefined {
  const cwd = options.cwd ?? process.cwd();
  const explicit: Array<{ name: string | undefined; source: (name: string) => string }> = [
    { name: options.configFile, source: (name) => `--config ${name}` },
    { name: env.FINOPS_CONFIG || undefined, source: (name) => `FINOPS_CONFIG=${name}` },
  ];
  for (const { name, source } of explicit) {
    if (name === undefined) continue;
    const absolute = resolve(cwd, name);
    if (!existsSync(absolute)) throw new ConfigError([{ source: source(name), path: '', message: 'file not found' }]);
    return { label: name, absolute };
  }

  const implicit: ConfigFile[] = [
    { label: 'config.yaml', absolute: join(cwd, 'config.yaml') },
    { label: '~/.advanced-finops/config.yaml', absolute: join(options.homeDir ?? homedir(), '.advanced-finops', 'config.yaml') },
  ];
  return implicit.find((candidate) => existsSync(candidate.absolute));
}

function readConfigFile(file: ConfigFile): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file.absolute, 'utf8');
  } catch (error) {
    throw new ConfigError([{ source: file.label, path: '', message: `cannot read: ${(error as Error).message}` }]);
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { source: file.label, path: '', message: `YAML syntax error at line ${line}, column ${col}: ${firstLine(error.message)}` };
      }),
    );
  }

  const content: unknown = document.toJS();
  if (content === null || content === undefined) return {};
  if (typeof content !== 'object' || Array.isArray(content)) {
    throw new ConfigError([
      { source: file.label, path: '', message: `expected a mapping of sections (aws:, redis:, …), got ${describeValue(content)}` },
    ]);
  }
  return content as Record<string, unknown>;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets `value` at `path`, replacing whatever is in the way (an env var wins over a malformed section). */
function setAt(target: Record<string, unknown>, path: ConfigPath, value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (!isPlainObject(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[path[path.length - 1]] = value;
}

/** Deep merge where objects merge and everything else (arrays included) replaces; `undefined` leaves a value alone. */
function mergeOverrides(target: Record<string, unknown>, overrides: object, base: ConfigPath, origins: Origin[], source: string): void {
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const path = [...base, key];
    if (isPlainObject(value)) {
      if (!isPlainObject(target[key])) target[key] = {};
      mergeOverrides(target[key] as Record<string, unknown>, value, path, origins, source);
    } else {
      target[key] = value;
      origins.push({ path, source });
    }
  }
}
