// The CLI end to end in-process on the run's Redis: results, --json, --output, exit codes, the seed's flag forms.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../test/support/redis.js';
import { createRedisConnection } from '@finops/core';
import { run } from './program.js';

const dir = mkdtempSync(join(tmpdir(), 'finops-cli-'));
const prefix = uniquePrefix('cli');
const configFile = join(dir, 'config.yaml');

/** Runs the CLI and captures what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await run(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('finops CLI', () => {
  beforeAll(() => {
    writeFileSync(
      configFile,
      stringify({
        aws: { provider: 'simulated', regions: ['us-east-1'] },
        simulation: { accounts: ['111111111111'], resourcesPerRegion: 10 },
        redis: { url: testRedisUrl(), prefix, managed: { enabled: false, useLocalDefault: false } },
        reporting: { outputDir: join(dir, 'reports') },
        api: { auth: { type: 'bearer', token: 'a-secret-token-of-32-characters!' } },
        schedules: { monitoring: { enabled: true, everyMinutes: 30 } },
        logging: { level: 'warn' },
      }),
    );
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    const redis = createRedisConnection(testRedisUrl(), { role: 'producer', name: 'cli-test-cleanup' });
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('validates a config through the seed form and the command alike', async () => {
    expect(await cli('--validate-config', '--config', configFile)).toMatchObject({ code: 0, stdout: `config OK: ${configFile}\n` });
    expect(JSON.parse((await cli('config', 'validate', '--config', configFile, '--json')).stdout)).toEqual({ ok: true, source: configFile });
  });

  it('exports the effective config with secrets redacted to --output FILE', async () => {
    const file = join(dir, 'out', 'effective.yaml');
    const result = await cli('config', 'show', '--config', configFile, '--output', file);
    expect(result.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('token: "***"');
    expect(text).not.toContain('a-secret-token');
  });

  it('exits 2 on bad usage and bad config, with the fix on the next line', async () => {
    expect((await cli('scan', '--no-such-flag')).code).toBe(2);
    const badType = await cli('report', '--type', 'weekly', '--config', configFile);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/^finops: --type: unknown report type "weekly"\n {2}fix: use one of discovery/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'optimization: { minMonthlySavingsUsd: ten }\n');
    const invalid = await cli('config', 'validate', '--config', bad);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('optimization.minMonthlySavingsUsd: expected number ≥ 0, got "ten"');
    expect((await cli('workers', '--role', 'painter', '--config', configFile)).code).toBe(2);
  });

  it('exits 3 when Redis cannot be reached, and --debug adds the stack', async () => {
    const unreachable = join(dir, 'unreachable.yaml');
    writeFileSync(unreachable, stringify({ redis: { url: 'redis://127.0.0.1:1' } }));
    const result = await cli('schedule', 'list', '--config', unreachable);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^finops: Redis at redis:\/\/127\.0\.0\.1:1 .* does not answer/);
    expect(result.stderr).toMatch(/\n {2}fix: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await cli('schedule', 'list', '--config', unreachable, '--debug')).stderr).toMatch(/\n\s+at /);
  });

  it('lists, disables and enables schedules, as text and as --json', async () => {
    const listed = await cli('schedule', 'list', '--config', configFile, '--json');
    expect(listed.code).toBe(0);
    const { schedules } = JSON.parse(listed.stdout) as { schedules: { id: string; configured: boolean }[] };
    expect(schedules.map((s) => s.id)).toEqual(['monitoring', 'daily-optimization', 'weekly-report', 'monthly-budget-review']);
    const disabled = await cli('schedule', 'disable', 'monitoring', '--config', configFile);
    expect(disabled.stdout).toMatch(/^monitoring +disabled +monitor +every 30 min/);
    expect((await cli('schedule', 'enable', 'monitoring', '--config', configFile)).stdout).toMatch(/^monitoring +active/);
    const unknown = await cli('schedule', 'run', 'nope', '--config', configFile);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no schedule "nope"');
  });

  it('scans with workers in the process when none run, prints one JSON result and copies the report', async () => {
    const output = join(dir, 'copy');
    const result = await cli('scan', '--config', configFile, '--services', 'ec2', '--json', '--output', output);
    const parsed = JSON.parse(result.stdout) as { scanId: string; status: string; failedJobs: unknown[]; totals?: { recommendations: number } };
    expect(parsed.status, JSON.stringify(parsed.failedJobs)).toBe('completed');
    expect(result.code).toBe(0);
    expect(existsSync(join(output, 'report.json'))).toBe(true);

    const report = await cli('--report', 'discovery', '--config', configFile, '--json');
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ type: 'discovery', scanId: parsed.scanId });
    const text = await cli('report', '--type', 'all', '--config', configFile);
    expect(text.stdout).toMatch(/^Inventory of scan scan-/);
    expect(text.stdout).toMatch(/\nRecommendations of scan scan-/);
  });
});
