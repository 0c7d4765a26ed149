// Security: live remediation cannot be triggered through the API without the live permission (safety.dryRun false
// and the action in safety.allowedActions) and an approval. One scan; then the api service and an optimizer worker
// are deployed with four safety settings in turn, and the same live request is made through the API each time.
// Asserts: refused (400) while safety.dryRun is true; recorded as not-allowed when the action is not allowed; as
// needs-approval without an approval — with the instance left running each time (no mutating AWS call reached the
// account); and applied only once an operator approved it through the API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiService, type ApiService } from '@finops/api';
import type { ConfigInput, Recommendation } from '@finops/core';
import { remediationDeps, startRoleWorkers, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import { redisMutationStore, waitForRun, type RunProgress } from '@finops/remediation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { SCAN_ROLES, closeContext, openContext, runScan, startReplicas, writeConfig } from '../reliability/harness.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const AUTH = { authorization: `Basic ${Buffer.from('admin:correct-horse-battery').toString('base64')}`, 'content-type': 'application/json' };

describe('live remediation through the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-live-api-'));
  const prefix = uniquePrefix('live-api');
  const settings = (safety: NonNullable<ConfigInput['safety']>): ConfigInput => ({
    aws: { provider: 'simulated', regions: [REGION] },
    simulation: { seed: 43, accounts: [ACCOUNT], resourcesPerRegion: 30 },
    redis: { prefix, managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports'), formats: ['json'] },
    costs: { enabled: false },
    api: { port: 0, auth: { type: 'basic', username: 'admin', password: 'correct-horse-battery' } },
    workers: { backoffMs: 200 },
    safety,
    logging: { level: 'silent' },
  });
  let scanCtx: ServiceContext;
  let scanId: string;
  let target: Recommendation;

  /** The api service and an optimizer worker deployed with `safety`, for the length of `use`. */
  async function deployed<T>(name: string, safety: NonNullable<ConfigInput['safety']>, use: (api: ApiService, ctx: ServiceContext) => Promise<T>): Promise<T> {
    const ctx = await openContext(writeConfig(dir, settings(safety), name), testRedisUrl(), 'api');
    const api = await startApiService(ctx, { exitOnSignal: false, scheduler: false });
    let optimizer: RoleWorkers | undefined;
    try {
      optimizer = await startRoleWorkers(ctx, 'optimizer');
      return await use(api, ctx);
    } finally {
      await optimizer?.close();
      await api.shutdown();
    }
  }

  const liveRun = (api: ApiService) =>
    fetch(`${api.url}/api/remediation/runs`, { method: 'POST', headers: AUTH, body: JSON.stringify({ scanId, recommendationIds: [target.id], live: true }) });

  async function followRun(ctx: ServiceContext, res: Response): Promise<RunProgress> {
    expect(res.status).toBe(202);
    const { run } = (await res.json()) as { run: { runId: string; mode: string } };
    expect(run.mode).toBe('live');
    return waitForRun(remediationDeps(ctx.deps), run.runId, { pollMs: 100, signal: AbortSignal.timeout(30_000) });
  }

  const actionOf = (progress: RunProgress) => progress.batches.flatMap((b) => b.actions).find((a) => a.recommendationId === target.id);
  const touched = async () => Object.keys((await redisMutationStore(scanCtx.redis, prefix).load(ACCOUNT, REGION)).entries).filter((k) => k.endsWith(target.resourceId));

  beforeAll(async () => {
    scanCtx = await openContext(writeConfig(dir, settings({}), 'scan'), testRedisUrl());
    const workers = await startReplicas(scanCtx, SCAN_ROLES);
    const { report } = await runScan(scanCtx);
    await Promise.all(workers.map((w) => w.close()));
    scanId = report.scanId;
    target = report.recommendations.find((r) => r.action.type === 'ec2.stop-instance' && !r.foldedInto) as Recommendation;
    expect(target, 'an idle instance to stop').toBeDefined();
  }, 90_000);

  afterAll(async () => {
    await closeContext(scanCtx);
  });

  it('refuses a live run while safety.dryRun is true', async () => {
    await deployed('dry', { dryRun: true, allowedActions: ['ec2.stop-instance'] }, async (api) => {
      const res = await liveRun(api);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: expect.stringMatching(/live mode was asked for, but safety\.dryRun is true/) });
      const runs = (await (await fetch(`${api.url}/api/remediation/runs`, { headers: AUTH })).json()) as { runs: unknown[] };
      expect(runs.runs).toEqual([]);
    });
    expect(await touched()).toEqual([]);
  });

  it('does not act when the action is not in safety.allowedActions', async () => {
    await deployed('not-allowed', { dryRun: false, allowedActions: [] }, async (api, ctx) => {
      const progress = await followRun(ctx, await liveRun(api));
      expect(actionOf(progress)).toMatchObject({ status: 'not-allowed', reason: expect.stringMatching(/not in safety\.allowedActions/) });
    });
    expect(await touched()).toEqual([]);
  });

  it('does not act without an approval', async () => {
    await deployed('unapproved', { dryRun: false, allowedActions: ['ec2.stop-instance'], approvalRequiredFrom: 'low' }, async (api, ctx) => {
      const progress = await followRun(ctx, await liveRun(api));
      expect(actionOf(progress)).toMatchObject({ status: 'needs-approval' });
    });
    expect(await touched()).toEqual([]);
  });

  it('acts once an operator approved it through the API, and only then', async () => {
    await deployed('approved', { dryRun: false, allowedActions: ['ec2.stop-instance'], approvalRequiredFrom: 'low' }, async (api, ctx) => {
      const approval = await fetch(`${api.url}/api/remediation/approvals`, { method: 'POST', headers: AUTH, body: JSON.stringify({ scanId, recommendationIds: [target.id], reason: 'idle for weeks' }) });
      expect(approval.status).toBe(200);
      const progress = await followRun(ctx, await liveRun(api));
      expect(actionOf(progress)).toMatchObject({ status: 'applied', approval: { by: 'admin', auto: false } });
    });
    expect(await touched()).toEqual([`instances/${target.resourceId}`]);
  });
});
