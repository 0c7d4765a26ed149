// `finops checks list|docs` and `finops dismiss` in-process: every check printed, the docs rendered, dismissals stored.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS, recommendationId, renderChecksDoc } from '@finops/checks';
import { configSchema, createRedisConnection, type Recommendation } from '@finops/core';
import { trackingStoreFor } from '@finops/pipeline';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../../test/support/redis.js';
import { cli } from '../../../../test/input/cli-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'finops-dismiss-'));
const prefix = uniquePrefix('dismiss');
const configFile = join(dir, 'config.yaml');
writeFileSync(
  configFile,
  stringify({
    redis: { url: testRedisUrl(), prefix, managed: { enabled: false, useLocalDefault: false } },
    logging: { level: 'warn' },
  }),
);

describe('finops checks', () => {
  it('lists every check with its defaults, permissions and description', async () => {
    const { code, stdout } = await cli('checks', 'list');
    expect(code).toBe(0);
    for (const check of CHECKS) {
      expect(stdout).toContain(`${check.id}  (${check.resourceKind})`);
      expect(stdout).toContain(check.description);
    }
    expect(stdout).toContain('permissions: ec2:DescribeInstances, cloudwatch:GetMetricData');
    expect(stdout).toContain('defaults: maxCpuP99Percent=5, maxNetworkBytesPerDay=5000000');
    const json = JSON.parse((await cli('checks', 'list', '--json')).stdout) as { id: string; defaults: Record<string, unknown> }[];
    expect(json.map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
    expect(json.find((c) => c.id === 'ec2-stopped-instance')?.defaults.minStoppedDays).toBe(30);
  });

  it('prints docs/checks.md', async () => {
    const { code, stdout } = await cli('checks', 'docs');
    expect(code).toBe(0);
    expect(stdout).toBe(renderChecksDoc());
  });
});

describe('finops dismiss', () => {
  const redis = createRedisConnection(testRedisUrl(), { role: 'producer', name: 'dismiss-test' });
  const tracking = trackingStoreFor({ config: configSchema.parse({ redis: { prefix } }), redis });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  const id = recommendationId({ accountId: '111111111111', region: 'us-east-1', resourceId: 'vol-1', checkId: 'ebs-unattached-volume' });
  const recommendation: Recommendation = {
    id,
    checkId: 'ebs-unattached-volume',
    resourceId: 'vol-1',
    resourceKind: 'ebs-volume',
    tags: {},
    accountId: '111111111111',
    region: 'us-east-1',
    monthlySavingsUsd: 5,
    risk: 'low',
    confidence: 1,
    action: { type: 'ebs.delete-volume', description: 'Delete it.', params: {} },
    status: 'open',
    reason: 'unattached',
    evidence: {},
    priceConfidence: 'exact',
  };

  it('stores a dismissal with the reason and end, and revokes it with --undo', async () => {
    await tracking.put([{ id, status: 'open', firstSeenAt: '2026-11-01T00:00:00.000Z', lastSeenAt: new Date().toISOString(), seenCount: 1, lastScanId: 'scan-1', recommendation }]);
    const done = await cli('dismiss', id, '--reason', 'kept for the migration', '--until', '2099-01-31', '--config', configFile);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`dismissed ${id}: ebs-unattached-volume on vol-1 (111111111111, us-east-1) until 2099-02-01T00:00:00.000Z`);
    expect((await tracking.dismissals([id], new Date())).get(id)).toMatchObject({ reason: 'kept for the migration', until: '2099-02-01T00:00:00.000Z', by: 'cli' });
    expect((await cli('dismiss', id, '--undo', '--config', configFile)).code).toBe(0);
    expect((await tracking.dismissals([id], new Date())).size).toBe(0);
  });

  it('says what is wrong: no reason, an unknown id, a past date', async () => {
    const noReason = await cli('dismiss', id, '--config', configFile);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');
    const unknown = await cli('dismiss', 'rec_0000000000000000', '--reason', 'x', '--config', configFile);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('is not tracked');
    const past = await cli('dismiss', id, '--reason', 'x', '--until', '2020-01-01', '--config', configFile);
    expect(past.stderr).toContain('is not in the future');
  });
});
