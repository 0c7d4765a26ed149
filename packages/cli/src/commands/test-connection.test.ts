// `finops test-connection` in-process against the simulated account: all-clear, denied permissions, refused roles, bad usage.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cli } from '../../../../test/input/cli-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'finops-test-connection-'));

/** A simulated-account config; `simulation` and `aws` entries are merged over the defaults here. */
function configFile(name: string, extra: { aws?: Record<string, unknown>; simulation?: Record<string, unknown>; costs?: Record<string, unknown> } = {}): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1'], ...extra.aws },
      simulation: { accounts: ['111111111111', '222222222222'], resourcesPerRegion: 40, ...extra.simulation },
      ...(extra.costs ? { costs: extra.costs } : {}),
      logging: { level: 'silent' },
    }),
  );
  return file;
}

interface Row {
  accountId: string;
  region: string;
  action: string;
  status: string;
  required: boolean;
  code?: string;
  hint?: string;
}

describe('finops test-connection', () => {
  it('passes every probe in every account and region of the simulated estate, Cost Explorer once', async () => {
    const { code, stdout } = await cli('test-connection', '--config', configFile('clean'), '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; provider: string; results: Row[] };
    expect(report).toMatchObject({ ok: true, provider: 'simulated' });
    expect(report.results.every((r) => r.status === 'ok')).toBe(true);
    expect(report.results.filter((r) => r.action === 'ce:GetCostAndUsage')).toEqual([expect.objectContaining({ accountId: '111111111111', region: 'us-east-1' })]);
    // The member account is entered through its role; the caller's own account is not.
    expect(report.results.filter((r) => r.action === 'sts:AssumeRole').map((r) => r.accountId)).toEqual(['222222222222']);
    for (const accountId of ['111111111111', '222222222222']) {
      for (const region of ['us-east-1', 'eu-west-1']) {
        const actions = report.results.filter((r) => r.accountId === accountId && r.region === region).map((r) => r.action);
        expect(actions).toEqual(expect.arrayContaining(['ec2:DescribeNatGateways', 'elasticloadbalancing:DescribeTargetHealth', 'rds:DescribeDBSnapshots', 'cloudwatch:GetMetricData']));
      }
    }
  });

  it('exits 3 and names the fix when a required permission is denied in one region', async () => {
    const file = configFile('denied', { simulation: { denied: [{ accountId: '222222222222', region: 'eu-west-1', action: 'ec2:DescribeNatGateways' }] } });
    const { code, stdout } = await cli('test-connection', '--config', file, '--json');
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as { ok: boolean; results: Row[] };
    const failed = report.results.filter((r) => r.status !== 'ok');
    expect(failed).toEqual([
      expect.objectContaining({
        accountId: '222222222222',
        region: 'eu-west-1',
        action: 'ec2:DescribeNatGateways',
        status: 'denied',
        code: 'UnauthorizedOperation',
        required: true,
        hint: expect.stringContaining('grant ec2:DescribeNatGateways'),
      }),
    ]);
    expect(report.ok).toBe(false);
  });

  it('passes with an optional permission denied, and prints a table with the fix', async () => {
    const file = configFile('optional', { simulation: { denied: [{ action: 'lambda:ListTags' }] }, costs: { enabled: false } });
    const { code, stdout } = await cli('test-connection', '--config', file, '--regions', 'eu-west-1');
    expect(code).toBe(0);
    expect(stdout).toMatch(/111111111111\s+eu-west-1\s+lambda:ListTags\s+denied AccessDeniedException \(optional\)/);
    expect(stdout).toContain('fix: grant lambda:ListTags');
    expect(stdout).not.toContain('ce:GetCostAndUsage');
    expect(stdout).not.toContain('us-east-1  ec2');
    expect(stdout).toMatch(/checks: \d+ ok, 2 denied, 0 errors — every required permission is in place/);
  });

  it('reports a refused role once for its account and probes nothing else there', async () => {
    const file = configFile('role', { simulation: { denied: [{ accountId: '222222222222', action: 'sts:AssumeRole' }] } });
    const { code, stdout } = await cli('test-connection', '--config', file, '--json', '--services', 'ec2');
    expect(code).toBe(3);
    const rows = (JSON.parse(stdout) as { results: Row[] }).results.filter((r) => r.accountId === '222222222222');
    expect(rows).toEqual([expect.objectContaining({ action: 'sts:AssumeRole', status: 'denied', code: 'AccessDenied', hint: expect.stringContaining('role/FinOpsReadOnly') })]);
  });

  it('exits 2 on bad usage, before any AWS call', async () => {
    expect((await cli('test-connection', '--config', configFile('usage'), '--regions', 'mars-1')).code).toBe(2);
    expect((await cli('test-connection', '--config', configFile('usage'), '--accounts', '12345')).code).toBe(2);
    expect((await cli('test-connection', '--config', configFile('usage'), '--services', 'dynamodb')).code).toBe(2);
  });
});
