// `finops test-connection`: proves the credentials, the roles and every IAM permission a scan needs, per account and region.
import type { Command } from 'commander';
import { EXIT, UsageError, createLogger, loadConfig } from '@finops/core';
import { validateChecksConfig } from '@finops/checks';
import { createAwsRuntime, kindsFor, type AwsRuntime } from '@finops/pipeline';
import { configOverrides, list, optionsOf, parseServices, printResult, type CommandRegistration, type GlobalOptions } from '../cli-runtime.js';

type ConnectionReport = Awaited<ReturnType<AwsRuntime['access']['checkConnection']>>;
type ProbeResult = ConnectionReport['results'][number];

const ACCOUNT_ID = /^\d{12}$/;
const REGION_NAME = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export const TEST_CONNECTION_DESCRIPTION =
  'check the credentials, the role in each account and every IAM permission a scan needs, per account and region, ' +
  'with one small read-only call each (exit 0 all required pass, 3 one is denied or unreachable, 2 bad usage). ' +
  'With costs.enabled it makes one Cost Explorer request, which AWS bills at $0.01.';

/** --accounts and --regions, checked before any AWS call. */
function targets(o: GlobalOptions): { accounts?: string[]; regions?: string[] } {
  const accounts = list(o.accounts);
  const regions = list(o.regions);
  const badAccounts = accounts?.filter((id) => !ACCOUNT_ID.test(id)) ?? [];
  if (badAccounts.length) throw new UsageError(`--accounts: not a 12-digit account id: ${badAccounts.join(', ')}`, { hint: 'e.g. --accounts 111111111111,222222222222' });
  const badRegions = regions?.filter((name) => !REGION_NAME.test(name)) ?? [];
  if (badRegions.length) throw new UsageError(`--regions: not a region name: ${badRegions.join(', ')}`, { hint: 'e.g. --regions eu-west-1,us-east-1' });
  return { accounts, regions };
}

function outcome(result: ProbeResult): string {
  const text = result.status === 'ok' ? 'ok' : `${result.status} ${result.code ?? ''}`.trim();
  return result.required ? text : `${text} (optional)`;
}

/** The results as a table, with the fix under each failure and a one-line verdict. */
export function formatConnectionReport(report: ConnectionReport): string {
  const header = { accountId: 'ACCOUNT', region: 'REGION', action: 'ACTION', result: 'RESULT' };
  const rows = report.results.map((r) => ({ accountId: r.accountId, region: r.region, action: r.action, result: outcome(r), hint: r.status === 'ok' ? undefined : r.hint ?? r.message }));
  const width = (key: 'accountId' | 'region' | 'action') => Math.max(header[key].length, ...rows.map((r) => r[key].length));
  const [a, g, c] = [width('accountId'), width('region'), width('action')];
  const line = (r: { accountId: string; region: string; action: string; result: string }) => `${r.accountId.padEnd(a)}  ${r.region.padEnd(g)}  ${r.action.padEnd(c)}  ${r.result}`;
  const lines = [line(header)];
  for (const row of rows) {
    lines.push(line(row));
    if (row.hint) lines.push(`${' '.repeat(a + g + 4)}fix: ${row.hint}`);
  }
  const count = (status: ProbeResult['status']) => report.results.filter((r) => r.status === status).length;
  const failedRequired = report.results.filter((r) => r.status !== 'ok' && r.required).length;
  lines.push(
    '',
    `${report.results.length} checks: ${count('ok')} ok, ${count('denied')} denied, ${count('error')} errors — ` +
      (report.ok ? 'every required permission is in place' : `${failedRequired} required check(s) failed: a scan would be incomplete`),
  );
  return lines.join('\n');
}

export async function testConnectionCommand(o: GlobalOptions): Promise<number> {
  const given = targets(o);
  const services = parseServices(o.services);
  const { config } = loadConfig({ configFile: o.config, validate: (c) => validateChecksConfig(c.checks), overrides: configOverrides(o, { quiet: true }) });
  const logger = createLogger(config.logging, { service: 'cli' }, process.stderr);
  const runtime = createAwsRuntime(config, logger);
  try {
    const report = await runtime.access.checkConnection({
      // The accounts and regions a scan would cover: a refused organization or region listing is reported too.
      accounts: given.accounts ?? (() => runtime.accounts()),
      regions: given.regions ?? (() => runtime.regions()),
      kinds: kindsFor(config, services),
      costExplorer: config.costs.enabled,
      organization: config.aws.organization && !given.accounts,
      describeRegions: config.aws.regions === 'all' && !given.regions,
      homeRegion: config.aws.defaultRegion,
    });
    printResult(o, () => formatConnectionReport(report), { provider: config.aws.provider, ...report });
    return report.ok ? EXIT.ok : EXIT.unreachable;
  } finally {
    runtime.close();
  }
}

export const registerTestConnection: CommandRegistration = (program, cli) => {
  program
    .command('test-connection')
    .summary('prove the credentials, roles and IAM permissions a scan needs, per account and region ($0.01: one Cost Explorer call)')
    .description(TEST_CONNECTION_DESCRIPTION)
    .addHelpText(
      'after',
      '\nUses the global --config, --accounts, --regions, --services and --json.\n' +
        'Cost: GetMetricData is asked for one metric per account and region ($0.00001 each); ce:GetCostAndUsage is\n' +
        'probed once per run, in the home region, and AWS bills that request $0.01 (set costs.enabled: false to skip it).',
    )
    .action(async (_o, command: Command) => cli.setCode(await testConnectionCommand(optionsOf(command))));
};
