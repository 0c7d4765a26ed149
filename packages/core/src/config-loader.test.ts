// loadConfig: file lookup order, environment and CLI overrides, and the wording of every kind of problem.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type LoadConfigOptions } from './config-loader.js';
import { ConfigError, type ConfigIssue } from './errors.js';

let root: string;
let cwd: string;
let home: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'finops-config-'));
  cwd = join(root, 'project');
  home = join(root, 'home');
  mkdirSync(cwd);
  mkdirSync(join(home, '.advanced-finops'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Loads with an isolated cwd, home and environment. */
function load(options: LoadConfigOptions = {}) {
  return loadConfig({ cwd, homeDir: home, env: {}, ...options });
}

function writeProjectConfig(text: string, name = 'config.yaml'): string {
  const path = join(cwd, name);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError thrown by `run`. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function issues(run: () => unknown): ConfigIssue[] {
  return configError(run).issues;
}

describe('config file lookup', () => {
  it('uses the built-in defaults when no file exists', () => {
    const { config, source } = load();
    expect(source).toBe('built-in defaults');
    expect(config.aws.provider).toBe('aws');
    expect(config.safety.dryRun).toBe(true);
    expect(config.redis.prefix).toBe('{finops}');
  });

  it('prefers --config, then FINOPS_CONFIG, then ./config.yaml, then ~/.advanced-finops/config.yaml', () => {
    const homeFile = join(home, '.advanced-finops', 'config.yaml');
    writeFileSync(homeFile, 'reporting: { outputDir: from-home }\n');
    expect(load()).toMatchObject({ source: homeFile, config: { reporting: { outputDir: 'from-home' } } });

    const cwdFile = writeProjectConfig('reporting: { outputDir: from-cwd }\n');
    expect(load()).toMatchObject({ source: cwdFile, config: { reporting: { outputDir: 'from-cwd' } } });

    const envFile = writeProjectConfig('reporting: { outputDir: from-env }\n', 'env.yaml');
    expect(load({ env: { FINOPS_CONFIG: 'env.yaml' } })).toMatchObject({
      source: envFile,
      config: { reporting: { outputDir: 'from-env' } },
    });

    const flagFile = writeProjectConfig('reporting: { outputDir: from-flag }\n', 'flag.yaml');
    expect(load({ configFile: 'flag.yaml', env: { FINOPS_CONFIG: 'env.yaml' } })).toMatchObject({
      source: flagFile,
      config: { reporting: { outputDir: 'from-flag' } },
    });
  });

  it('fails on an explicitly named file that does not exist, naming how it was named', () => {
    expect(configError(() => load({ configFile: 'x.yaml' })).message).toBe('--config x.yaml: file not found');
    expect(configError(() => load({ env: { FINOPS_CONFIG: 'gone.yaml' } })).message).toBe('FINOPS_CONFIG=gone.yaml: file not found');
  });

  it('treats an empty file as an empty mapping', () => {
    writeProjectConfig('');
    expect(load().config.optimization.lookbackDays).toBe(14);
  });

  it('reports a YAML syntax error with its line and column', () => {
    writeProjectConfig('aws:\n  provider: simulated\n  regions: [us-east-1\noptimization: {}\n');
    const [issue, ...rest] = issues(() => load());
    expect(rest).toEqual([]);
    expect(issue.source).toBe('config.yaml');
    expect(issue.message).toMatch(/^YAML syntax error at line 4, column 1: /);
  });

  it('refuses a file whose top level is not a mapping', () => {
    writeProjectConfig('- aws\n- redis\n');
    expect(configError(() => load()).message).toBe('config.yaml: expected a mapping of sections (aws:, redis:, …), got a list of 2');
  });
});

describe('environment overrides', () => {
  it('applies each FINOPS_* variable over the file, typed', () => {
    writeProjectConfig('aws: { defaultRegion: eu-west-1, regions: [eu-west-1] }\nsafety: { dryRun: true }\n');
    const { config } = load({
      env: {
        FINOPS_AWS_REGION: 'eu-central-1',
        FINOPS_REGIONS: 'us-east-1, eu-west-1',
        FINOPS_DRY_RUN: 'no',
        REDIS_URL: 'redis://other:6379',
        FINOPS_REDIS_URL: 'redis://cache:6379/2',
        FINOPS_LOG_LEVEL: 'DEBUG',
        FINOPS_API_PORT: '8080',
        FINOPS_API_TOKEN: 'a-token-of-sixteen-chars',
        FINOPS_PROVIDER: 'simulated',
        FINOPS_REPORTS_DIR: '/var/reports',
      },
    });
    expect(config.aws).toMatchObject({ defaultRegion: 'eu-central-1', regions: ['us-east-1', 'eu-west-1'], provider: 'simulated' });
    expect(config.safety.dryRun).toBe(false);
    expect(config.redis.url).toBe('redis://cache:6379/2');
    expect(config.logging.level).toBe('debug');
    expect(config.api).toMatchObject({ port: 8080, auth: { type: 'bearer', token: 'a-token-of-sixteen-chars' } });
    expect(config.reporting.outputDir).toBe('/var/reports');
  });

  it('reads FINOPS_REGIONS=all and REDIS_URL alone', () => {
    const { config } = load({ env: { FINOPS_REGIONS: 'all', REDIS_URL: 'redis://127.0.0.1:6390' } });
    expect(config.aws.regions).toBe('all');
    expect(config.redis.url).toBe('redis://127.0.0.1:6390');
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads FINOPS_DRY_RUN=%s as %s', (value, expected) => {
    expect(load({ env: { FINOPS_DRY_RUN: value } }).config.safety.dryRun).toBe(expected);
  });

  it('rejects any other FINOPS_DRY_RUN value, naming the variable', () => {
    expect(configError(() => load({ env: { FINOPS_DRY_RUN: 'maybe' } })).message).toBe(
      'environment (FINOPS_DRY_RUN): safety.dryRun: expected true, false, 1, 0, yes or no, got "maybe"',
    );
  });

  it('validates environment values like file values and blames the variable', () => {
    writeProjectConfig('api: { port: 3000 }\n');
    expect(issues(() => load({ env: { FINOPS_API_PORT: 'http', FINOPS_REGIONS: 'us-east-1,mars' } }))).toEqual([
      {
        source: 'environment (FINOPS_REGIONS)',
        path: 'aws.regions[1]',
        message: 'expected an AWS region name such as "eu-west-1", got "mars"',
      },
      { source: 'environment (FINOPS_API_PORT)', path: 'api.port', message: 'expected integer ≥ 0 and ≤ 65535, got "http"' },
    ]);
  });
});

describe('overrides', () => {
  it('merge over file and environment; arrays replace', () => {
    writeProjectConfig('aws: { regions: [eu-west-1, eu-central-1], provider: simulated }\nsafety: { dryRun: false }\n');
    const { config } = load({
      env: { FINOPS_DRY_RUN: 'false' },
      overrides: { aws: { regions: ['us-west-2'] }, safety: { dryRun: true } },
    });
    expect(config.aws.regions).toEqual(['us-west-2']);
    expect(config.aws.provider).toBe('simulated');
    expect(config.safety.dryRun).toBe(true);
  });

  it('are blamed on the command line', () => {
    expect(issues(() => load({ overrides: { workers: { attempts: 0 } } }))).toEqual([
      { source: 'command line', path: 'workers.attempts', message: 'expected integer > 0 and ≤ 50, got 0' },
    ]);
  });
});

describe('messages', () => {
  it('names the file, the path, the expectation and what was found', () => {
    writeProjectConfig('optimization:\n  minMonthlySavingsUsd: ten\n');
    expect(configError(() => load()).message).toBe(
      'config.yaml: optimization.minMonthlySavingsUsd: expected number ≥ 0, got "ten"',
    );
  });

  it('suggests the closest key for an unknown one', () => {
    writeProjectConfig('optimization:\n  minMonthlySaving: 5\n');
    expect(issues(() => load())).toEqual([
      { source: 'config.yaml', path: 'optimization', message: 'unknown key "minMonthlySaving" (did you mean "minMonthlySavingsUsd"?)' },
    ]);
  });

  it('lists the allowed keys when nothing is close', () => {
    writeProjectConfig('logging:\n  colour: true\n');
    expect(issues(() => load())[0].message).toBe('unknown key "colour" (allowed: level, pretty, file, rotate, levels)');
  });

  it('lists enum values', () => {
    writeProjectConfig('aws: { provider: azure }\n');
    expect(issues(() => load())[0]).toEqual({ source: 'config.yaml', path: 'aws.provider', message: 'expected one of aws | simulated, got "azure"' });
  });

  it('collapses a union of literals and picks the meant branch of a union of shapes', () => {
    writeProjectConfig(
      'optimization: { metricPeriodSec: 60 }\napi: { auth: { type: bearer, token: short } }\naws: { regions: europe }\n',
    );
    expect(issues(() => load())).toEqual([
      { source: 'config.yaml', path: 'aws.regions', message: 'expected one of all | a list, got "europe"' },
      { source: 'config.yaml', path: 'optimization.metricPeriodSec', message: 'expected one of 300 | 3600 | 86400, got 60' },
      { source: 'config.yaml', path: 'api.auth.token', message: 'expected at least 16 characters, got "short"' },
    ]);
  });

  it('reports a missing required field, and every problem at once', () => {
    writeProjectConfig('budgets:\n  items:\n    - id: eng\nlogging: { level: loud }\n');
    expect(issues(() => load())).toEqual([
      { source: 'config.yaml', path: 'budgets.items[0].amountUsd', message: 'required: expected number > 0' },
      {
        source: 'config.yaml',
        path: 'logging.level',
        message: 'expected one of fatal | error | warn | info | debug | trace | silent, got "loud"',
      },
    ]);
  });

  it('rejects an unknown time zone', () => {
    writeProjectConfig('schedules:\n  weeklyReport: { enabled: true, timezone: Mars/Olympus }\n');
    expect(issues(() => load())).toEqual([
      {
        source: 'config.yaml',
        path: 'schedules.weeklyReport.timezone',
        message: 'expected an IANA time zone such as "Europe/Berlin" or "UTC", got "Mars/Olympus"',
      },
    ]);
  });
});

describe('cross-field rules', () => {
  it('refuses a child budget larger than its parent, comparing quarters as three months', () => {
    writeProjectConfig(`budgets:
  items:
    - { id: engineering, amountUsd: 10000 }
    - { id: platform, parent: engineering, amountUsd: 30000, period: quarterly }
    - { id: data, parent: engineering, amountUsd: 12000 }
`);
    expect(issues(() => load())).toEqual([
      {
        source: 'config.yaml',
        path: 'budgets.items[2].amountUsd',
        message: 'budget "data" (12000 USD monthly) exceeds its parent "engineering" (10000 USD monthly)',
      },
    ]);
  });

  it('refuses unknown parents, cycles and duplicate ids', () => {
    writeProjectConfig(`budgets:
  items:
    - { id: a, parent: b, amountUsd: 10 }
    - { id: b, parent: a, amountUsd: 10 }
    - { id: c, parent: engineering, amountUsd: 10 }
    - { id: a, amountUsd: 10 }
`);
    expect(issues(() => load())).toEqual([
      { source: 'config.yaml', path: 'budgets.items[3].id', message: 'duplicate budget id "a" (also budgets.items[0])' },
      { source: 'config.yaml', path: 'budgets.items[0].parent', message: 'budgets form a cycle: a → b → a' },
      { source: 'config.yaml', path: 'budgets.items[2].parent', message: 'unknown parent budget "engineering"' },
    ]);
  });

  it('refuses a custom schedule whose cron does not parse', () => {
    writeProjectConfig(`schedules:
  custom:
    - { id: nightly, cron: "0 0 2 * * *", job: scan }
    - { id: broken, cron: "0 75 * * *", job: report }
    - { id: short, cron: "* * *", job: monitor }
`);
    expect(issues(() => load())).toEqual([
      { source: 'config.yaml', path: 'schedules.custom[1].cron', message: 'invalid cron "0 75 * * *": hour "75": 75 is outside 0–23' },
      {
        source: 'config.yaml',
        path: 'schedules.custom[2].cron',
        message: 'invalid cron "* * *": expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got 3',
      },
    ]);
  });

  it('adds the issues of the validate hook, filling in the file as their source', () => {
    writeProjectConfig('checks:\n  ebs-unattached-volume: { minAgeDays: -1 }\n');
    const error = configError(() =>
      load({
        validate: (config) =>
          Object.keys(config.checks).map((id) => ({ source: '', path: `checks.${id}.minAgeDays`, message: 'expected number ≥ 0, got -1' })),
      }),
    );
    expect(error.message).toBe('config.yaml: checks.ebs-unattached-volume.minAgeDays: expected number ≥ 0, got -1');
  });
});
