// Bad input: malformed configuration files. Each one must stop `finops config validate` (and any service) with exit
// code 2 and a message naming the file, the YAML path and what to write instead — never a stack trace.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceProcess } from '@finops/cli';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STACK_LINE, cli, cliProcess } from './cli-capture.js';

interface BadConfig {
  name: string;
  /** The file's text (YAML). */
  yaml: string;
  /** The path the message must name. */
  path: string;
  /** What the message must say to fix it. */
  fix: RegExp;
}

const CASES: BadConfig[] = [
  { name: 'wrong type: text for a number', yaml: 'optimization: { minMonthlySavingsUsd: ten }', path: 'optimization.minMonthlySavingsUsd', fix: /expected number ≥ 0, got "ten"/ },
  { name: 'wrong type: text for a boolean', yaml: 'safety: { dryRun: "yes" }', path: 'safety.dryRun', fix: /expected true or false, got "yes"/ },
  { name: 'wrong type: a string for a list', yaml: 'aws: { regions: "eu-west-1" }', path: 'aws.regions', fix: /expected one of all \| a list/ },
  { name: 'wrong type: a list for a mapping', yaml: 'redis: [a, b]', path: 'redis', fix: /expected .*mapping|expected object/ },
  { name: 'not an integer', yaml: 'workers: { concurrency: { analysis: 1.5 } }', path: 'workers.concurrency.analysis', fix: /expected integer > 0 and ≤ 1000, got 1\.5/ },
  // At the top level the path is the file itself; the message names the key.
  { name: 'unknown top-level key', yaml: 'bogus: 1', path: 'unknown key "bogus"', fix: /\(allowed: aws, services, / },
  { name: 'unknown key, with a suggestion', yaml: 'aws: { regionz: [eu-west-1] }', path: 'aws', fix: /unknown key "regionz" \(did you mean "regions"\?\)/ },
  { name: 'bad cron', yaml: 'schedules: { custom: [ { id: nightly, cron: "99 * * * *", job: scan } ] }', path: 'schedules.custom[0].cron', fix: /invalid cron "99 \* \* \* \*": minute "99": 99 is outside 0–59/ },
  { name: 'bad time zone', yaml: 'schedules: { dailyOptimization: { timezone: Mars/Olympus } }', path: 'schedules.dailyOptimization.timezone', fix: /expected an IANA time zone such as "Europe\/Berlin"/ },
  { name: 'bad time of day', yaml: 'schedules: { weeklyReport: { time: "25:00" } }', path: 'schedules.weeklyReport.time', fix: /expected a time as HH:MM/ },
  { name: 'bad weekday', yaml: 'schedules: { weeklyReport: { day: funday } }', path: 'schedules.weeklyReport.day', fix: /expected one of monday \| tuesday/ },
  { name: 'negative savings threshold', yaml: 'optimization: { minMonthlySavingsUsd: -5 }', path: 'optimization.minMonthlySavingsUsd', fix: /expected number ≥ 0, got -5/ },
  { name: 'negative concurrency', yaml: 'workers: { concurrency: { discovery: -1 } }', path: 'workers.concurrency.discovery', fix: /expected integer > 0/ },
  { name: 'negative check threshold', yaml: 'checks: { ebs-old-snapshot: { maxAgeDays: -3 } }', path: 'checks.ebs-old-snapshot.maxAgeDays', fix: /expected integer > 0, got -3/ },
  { name: 'budget threshold over 100%', yaml: 'budgets: { items: [ { id: team, amountUsd: 10, thresholdsPercent: [150] } ] }', path: 'budgets.items[0].thresholdsPercent[0]', fix: /expected number > 0 and ≤ 100, got 150/ },
  { name: 'budget child over its parent', yaml: 'budgets: { items: [ { id: org, amountUsd: 100 }, { id: team, parent: org, amountUsd: 200 } ] }', path: 'budgets.items[1].amountUsd', fix: /budget "team" \(200 USD monthly\) exceeds its parent "org" \(100 USD monthly\)/ },
  { name: 'budget with an unknown parent', yaml: 'budgets: { items: [ { id: org, amountUsd: 100 }, { id: team, parent: orgg, amountUsd: 50 } ] }', path: 'budgets.items[1].parent', fix: /unknown parent budget "orgg" \(did you mean "org"\?\)/ },
  { name: 'duplicate budget id', yaml: 'budgets: { items: [ { id: a, amountUsd: 10 }, { id: a, amountUsd: 5 } ] }', path: 'budgets.items[1].id', fix: /duplicate budget id "a"/ },
  { name: 'unknown check id', yaml: 'checks: { ec2-idle-instanse: { enabled: true } }', path: 'checks.ec2-idle-instanse', fix: /unknown check "ec2-idle-instanse"; known checks: .*ec2-idle-instance/ },
  { name: 'unknown check option', yaml: 'checks: { ebs-gp2-volume: { bogus: 1 } }', path: 'checks.ebs-gp2-volume.bogus', fix: /unknown option; known options: enabled/ },
  { name: 'empty region list', yaml: 'aws: { regions: [] }', path: 'aws.regions', fix: /expected at least one region, got an empty list/ },
  { name: 'not a region', yaml: 'aws: { regions: [moon-1] }', path: 'aws.regions[0]', fix: /expected an AWS region name such as "eu-west-1", got "moon-1"/ },
  { name: 'invalid Redis URL', yaml: 'redis: { url: "http://cache:6379" }', path: 'redis.url', fix: /expected a redis:\/\/ or rediss:\/\/ URL/ },
  { name: 'Redis prefix with a colon', yaml: 'redis: { prefix: "a:b" }', path: 'redis.prefix', fix: /no ":"/ },
  { name: 'account id of the wrong length', yaml: 'aws: { accounts: [ { id: "123" } ] }', path: 'aws.accounts[0].id', fix: /expected a 12-digit AWS account id, got "123"/ },
  { name: 'unknown log level', yaml: 'logging: { level: loud }', path: 'logging.level', fix: /expected one of fatal \| error \| warn \| info/ },
  { name: 'short API password', yaml: 'api: { auth: { type: basic, username: admin, password: short } }', path: 'api.auth.password', fix: /expected at least 8 characters/ },
  { name: 'short API token', yaml: 'api: { auth: { type: bearer, token: short } }', path: 'api.auth.token', fix: /expected at least 16 characters/ },
  { name: 'port out of range', yaml: 'api: { port: 70000 }', path: 'api.port', fix: /expected integer ≥ 0 and ≤ 65535, got 70000/ },
  { name: 'slack channel without its URL', yaml: 'notifications: { channels: [ { id: ops, type: slack } ] }', path: 'notifications.channels[0].url', fix: /a slack channel needs `url`/ },
  { name: 'short webhook secret', yaml: 'notifications: { channels: [ { id: ops, type: webhook, url: "https://hooks.example.com/x", secret: short } ] }', path: 'notifications.channels[0].secret', fix: /expected at least 16 characters/ },
  { name: 'unknown notification event', yaml: 'notifications: { channels: [ { id: ops, type: webhook, url: "https://hooks.example.com/x", events: [everything] } ] }', path: 'notifications.channels[0].events[0]', fix: /expected one of critical-anomaly \| budget-threshold/ },
  { name: 'bad SNS topic', yaml: 'notifications: { channels: [ { id: ops, type: sns, topicArn: "arn:nope" } ] }', path: 'notifications.channels[0].topicArn', fix: /expected an SNS topic ARN/ },
  { name: 'bad email recipient', yaml: 'notifications: { channels: [ { id: ops, type: email, to: [not-an-email] } ] }', path: 'notifications.channels[0].to[0]', fix: /expected a valid email/ },
  { name: 'SMTP without host', yaml: 'notifications: { smtp: { port: 25, from: "a@b.co" } }', path: 'notifications.smtp.host', fix: /required: expected string/ },
  { name: 'unsupported metric period', yaml: 'optimization: { metricPeriodSec: 60 }', path: 'optimization.metricPeriodSec', fix: /expected one of 300 \| 3600 \| 86400, got 60/ },
  { name: 'unknown report format', yaml: 'reporting: { formats: [pdf] }', path: 'reporting.formats[0]', fix: /expected one of json \| md \| csv \| html, got "pdf"/ },
  { name: 'Cost Explorer lookback too long', yaml: 'costs: { lookbackDays: 400 }', path: 'costs.lookbackDays', fix: /expected at most 393 days/ },
  { name: 'history longer than the baseline', yaml: 'anomalyDetection: { minHistoryDays: 60, baselineDays: 56 }', path: 'anomalyDetection.minHistoryDays', fix: /expected at most anomalyDetection\.baselineDays/ },
  { name: 'unknown risk level', yaml: 'safety: { approvalRequiredFrom: extreme }', path: 'safety.approvalRequiredFrom', fix: /expected one of low \| medium \| high, got "extreme"/ },
  { name: 'unknown service in a schedule', yaml: 'schedules: { custom: [ { id: nightly, cron: "0 * * * *", job: scan, options: { services: [azure] } } ] }', path: 'schedules.custom[0].options.services[0]', fix: /expected one of "ec2"\|"rds"/ },
  { name: 'simulated latency min over max', yaml: 'simulation: { latencyMs: { min: 10, max: 1 } }', path: 'simulation.latencyMs.max', fix: /expected at least latencyMs\.min \(10\), got 1/ },
  { name: 'job lock too short', yaml: 'workers: { lockDurationMs: 10 }', path: 'workers.lockDurationMs', fix: /expected at least 1000 ms, got 10/ },
  { name: 'YAML syntax error', yaml: 'aws: [\n', path: 'YAML syntax error at line', fix: /line \d+, column \d+/ },
  { name: 'not a mapping at all', yaml: 'just a string', path: 'expected a mapping of sections', fix: /got "just a string"/ },
];

describe('malformed configuration files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-bad-config-'));
  afterEach(() => vi.restoreAllMocks());

  it('has at least 30 cases, each with its own file', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: exit 2, file, path and fix, no stack trace', async (_name, bad, i) => {
    const file = join(dir, `bad-${i}.yaml`);
    writeFileSync(file, `${bad.yaml}\n`);
    const { code, stdout, stderr } = await cli('config', 'validate', '--config', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}: ${bad.path}`);
    expect(stderr).toMatch(bad.fix);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr).not.toMatch(/ZodError|TypeError|undefined is not|\[object Object\]/);
  });

  it('names a missing file and exits 2', async () => {
    const file = join(dir, 'does-not-exist.yaml');
    const { code, stderr } = await cli('config', 'validate', '--config', file);
    expect(code).toBe(2);
    expect(stderr).toContain(file);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('exits 2 as a real process too: the CLI and a service entrypoint', async () => {
    const file = join(dir, 'process.yaml');
    writeFileSync(file, 'optimization: { minMonthlySavingsUsd: ten }\nworkers: { concurrency: { discovery: -1 } }\n');
    const service = startServiceProcess('discovery', { env: { ...process.env, FINOPS_CONFIG: file, REDIS_URL: 'redis://127.0.0.1:1' }, logDir: join(dir, 'logs') });
    const [command, exit] = await Promise.all([cliProcess(['config', 'validate', '--config', file]), service.exited]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain(`${file}: optimization.minMonthlySavingsUsd: expected number ≥ 0, got "ten"`);
    expect(command.stderr).toContain(`${file}: workers.concurrency.discovery: expected integer > 0`);
    expect(command.stderr).not.toMatch(STACK_LINE);
    expect(exit.code).toBe(2);
    const log = readFileSync(service.logFile, 'utf8');
    expect(log).toContain(`${file}: optimization.minMonthlySavingsUsd`);
    expect(log).not.toMatch(STACK_LINE);
  }, 60_000);
});
