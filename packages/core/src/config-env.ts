// Reads the FINOPS_* environment variables that override the configuration file.
import type { ConfigIssue } from './errors.js';
import type { ConfigPath } from './config-issues.js';

/** One value taken from the environment, placed at its path in the configuration. */
export interface EnvOverride {
  variable: string;
  path: ConfigPath;
  value: unknown;
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** `environment (FINOPS_REGIONS)`: the source named in issues about a value from the environment. */
export function envSource(variable: string): string {
  return `environment (${variable})`;
}

/**
 * The overrides set in `env`, typed like YAML values so the schema judges them the same way. An empty variable
 * counts as unset (`FINOPS_REGIONS= finops scan` means "no override"). Values that cannot be typed become issues.
 */
export function readEnvOverrides(env: NodeJS.ProcessEnv): { overrides: EnvOverride[]; issues: ConfigIssue[] } {
  const overrides: EnvOverride[] = [];
  const issues: ConfigIssue[] = [];
  const read = (variable: string): string | undefined => {
    const value = env[variable]?.trim();
    return value ? value : undefined;
  };
  const set = (variable: string, path: ConfigPath, value: unknown): void => {
    overrides.push({ variable, path, value });
  };

  const region = read('FINOPS_AWS_REGION');
  if (region !== undefined) set('FINOPS_AWS_REGION', ['aws', 'defaultRegion'], region);

  const regions = read('FINOPS_REGIONS');
  if (regions !== undefined) {
    const list = regions.split(',').map((item) => item.trim()).filter(Boolean);
    set('FINOPS_REGIONS', ['aws', 'regions'], regions === 'all' ? 'all' : list);
  }

  const dryRun = read('FINOPS_DRY_RUN');
  if (dryRun !== undefined) {
    const word = dryRun.toLowerCase();
    if (TRUE_WORDS.has(word)) set('FINOPS_DRY_RUN', ['safety', 'dryRun'], true);
    else if (FALSE_WORDS.has(word)) set('FINOPS_DRY_RUN', ['safety', 'dryRun'], false);
    else {
      issues.push({
        source: envSource('FINOPS_DRY_RUN'),
        path: 'safety.dryRun',
        message: `expected true, false, 1, 0, yes or no, got ${JSON.stringify(dryRun)}`,
      });
    }
  }

  // FINOPS_REDIS_URL wins over the REDIS_URL many hosting platforms set.
  for (const variable of ['FINOPS_REDIS_URL', 'REDIS_URL']) {
    const url = read(variable);
    if (url !== undefined) {
      set(variable, ['redis', 'url'], url);
      break;
    }
  }

  const level = read('FINOPS_LOG_LEVEL');
  if (level !== undefined) set('FINOPS_LOG_LEVEL', ['logging', 'level'], level.toLowerCase());

  const port = read('FINOPS_API_PORT');
  // A non-numeric port stays a string so the schema reports it with its expected range.
  if (port !== undefined) set('FINOPS_API_PORT', ['api', 'port'], /^-?\d+(\.\d+)?$/.test(port) ? Number(port) : port);

  const token = read('FINOPS_API_TOKEN');
  if (token !== undefined) set('FINOPS_API_TOKEN', ['api', 'auth'], { type: 'bearer', token });

  const provider = read('FINOPS_PROVIDER');
  if (provider !== undefined) set('FINOPS_PROVIDER', ['aws', 'provider'], provider);

  const simulationEndpoint = read('FINOPS_SIMULATION_ENDPOINT');
  if (simulationEndpoint !== undefined) set('FINOPS_SIMULATION_ENDPOINT', ['simulation', 'endpoint'], simulationEndpoint);

  const reportsDir = read('FINOPS_REPORTS_DIR');
  if (reportsDir !== undefined) set('FINOPS_REPORTS_DIR', ['reporting', 'outputDir'], reportsDir);

  return { overrides, issues };
}
