// Bad input: the finops command line given unknown commands and flags, contradicting flags and ids that do not
// exist — each one a clear message on stderr and exit code 2, never a stack trace.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedisConnection } from '@finops/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';
import { STACK_LINE, cli } from './cli-capture.js';

describe('bad command lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-bad-cli-'));
  const configFile = join(dir, 'config.yaml');
  const prefix = uniquePrefix('bad-cli');

  beforeAll(() => {
    writeFileSync(
      configFile,
      stringify({
        aws: { provider: 'simulated', regions: ['us-east-1'] },
        simulation: { accounts: ['111111111111'], resourcesPerRegion: 5 },
        redis: { url: testRedisUrl(), prefix, managed: { enabled: false, useLocalDefault: false } },
        reporting: { outputDir: join(dir, 'reports') },
        logging: { level: 'warn' },
      }),
    );
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    const redis = createRedisConnection(testRedisUrl(), { role: 'producer' });
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  const CASES: { name: string; argv: () => string[]; says: RegExp }[] = [
    { name: 'an unknown command', argv: () => ['frobnicate'], says: /unknown command 'frobnicate'/ },
    { name: 'an unknown subcommand', argv: () => ['config', 'explode'], says: /unknown command 'explode'/ },
    { name: 'an unknown flag', argv: () => ['scan', '--frobnicate'], says: /unknown option '--frobnicate'/ },
    { name: 'an unknown global flag', argv: () => ['--colour', 'config', 'validate'], says: /unknown option '--colour'/ },
    { name: 'a flag without its value', argv: () => ['config', 'validate', '--config'], says: /option '--config <file>' argument missing/ },
    { name: '--live with --dry-run', argv: () => ['scan', '--live', '--dry-run', '--config', configFile], says: /--live and --dry-run contradict each other[\s\S]*fix: pass one of them/ },
    { name: '--dry-run with --live before the command', argv: () => ['--dry-run', '--live', 'optimize', '--config', configFile], says: /--live and --dry-run contradict each other/ },
    { name: 'an unknown service', argv: () => ['scan', '--services', 'ec2,azure', '--config', configFile], says: /--services: unknown service azure[\s\S]*fix: use a comma list of ec2/ },
    { name: 'a negative interval', argv: () => ['--continuous', '--interval', '-3', '--config', configFile], says: /--interval: expected a number of minutes > 0, got "-3"/ },
    { name: 'an unknown worker role', argv: () => ['workers', '--role', 'janitor', '--config', configFile], says: /--role: unknown role janitor/ },
    { name: 'an unknown report type', argv: () => ['report', '--type', 'everything', '--config', configFile], says: /--type: unknown report type "everything"/ },
    { name: 'a bad time in audit', argv: () => ['audit', '--since', 'yesterday', '--config', configFile], says: /--since: expected an ISO time or a duration/ },
    { name: 'an unknown scan id', argv: () => ['report', '--scan', 'scan-20990101T000000Z-none', '--config', configFile], says: /scan scan-20990101T000000Z-none not found/ },
    { name: 'a path as scan id', argv: () => ['report', '--scan', '../../etc/passwd', '--config', configFile], says: /scan \.\.\/\.\.\/etc\/passwd not found|invalid scan id/ },
    { name: 'an unknown schedule', argv: () => ['schedule', 'run', 'NOPE', '--config', configFile], says: /no schedule "NOPE"[\s\S]*known schedules: monitoring/ },
    { name: 'an unknown action id', argv: () => ['rollback', 'act_0000000000000000', '--config', configFile], says: /no action act_0000000000000000/ },
    { name: 'a malformed recommendation id', argv: () => ['approve', 'not-an-id', '--config', configFile], says: /not-an-id|no completed scan to act on/ },
    { name: 'dismiss without a reason', argv: () => ['dismiss', 'rec_0123456789abcdef', '--config', configFile], says: /--reason is required/ },
  ];

  it.each(CASES.map((c) => [c.name, c] as const))('%s: exit 2 with a clear message', async (_name, bad) => {
    const { code, stderr } = await cli(...bad.argv());
    expect(code).toBe(2);
    expect(stderr).toMatch(bad.says);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('prints a stack trace only when asked with --debug', async () => {
    const plain = await cli('scan', '--live', '--dry-run', '--config', configFile);
    const debug = await cli('scan', '--live', '--dry-run', '--config', configFile, '--debug');
    expect(plain.stderr).not.toMatch(STACK_LINE);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(STACK_LINE);
  });
});
