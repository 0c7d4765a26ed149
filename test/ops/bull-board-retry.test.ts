// Operating a failure through Bull Board's own HTTP API: a discovery partition fails (AWS throttles every call in
// eu-west-1), its failedReason says where and what to do, the cause is fixed (the pool is redeployed), an operator
// retries the failed jobs on the board, and the scan resumes to its report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, listen } from '@finops/api';
import { bootstrap, getScanProgress, startRoleWorkers, startScan, waitForScan, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testRedisUrl } from '../support/redis.js';
import { opsContext, type OpsContext } from './ops-context.js';

const auth = { authorization: `Basic ${Buffer.from('ops:correct-horse-battery').toString('base64')}` };

describe('retrying a failed discovery partition from Bull Board', () => {
  let ops: OpsContext;
  let server: Awaited<ReturnType<typeof listen>>;
  const extra: ServiceContext[] = [];
  const pools: RoleWorkers[] = [];

  /** A worker context pinned to `regions`, from a config file of its own (the throttled pool gets another one). */
  async function pool(name: string, regions: string, settings: Record<string, unknown>): Promise<{ ctx: ServiceContext; workers: RoleWorkers }> {
    const file = join(ops.dir, `${name}.yaml`);
    writeFileSync(file, stringify(settings));
    const ctx = await bootstrap({ service: name, argv: ['--config', file, '--regions', regions], env: { ...process.env, REDIS_URL: testRedisUrl() } });
    extra.push(ctx);
    const workers = await startRoleWorkers(ctx, 'discovery');
    pools.push(workers);
    return { ctx, workers };
  }

  beforeAll(async () => {
    ops = await opsContext('board-retry', {
      aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1'], maxAttempts: 1 },
      services: { rds: false, lambda: false },
      workers: { attempts: 1, backoffMs: 10 },
      api: { auth: { type: 'basic', username: 'ops', password: 'correct-horse-battery' } },
    });
    const { ctx } = ops;
    for (const role of ['analysis', 'optimizer', 'reporter'] as const) pools.push(await startRoleWorkers(ctx, role));
    const app = createApp({ ...ctx, startScan: (o) => startScan(ctx, o), scanProgress: (id) => getScanProgress(ctx.queues, ctx.store, id) });
    server = await listen(app, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await server?.close();
    for (const w of pools) await w.close();
    for (const c of extra) await c.close();
    await ops?.cleanup();
  });

  it('resumes the scan and writes the report', async () => {
    const { ctx } = ops;
    await pool('discovery-us', 'us-east-1', ops.settings);
    const throttled = await pool('discovery-eu-throttled', 'eu-west-1', { ...ops.settings, simulation: { ...(ops.settings.simulation as object), throttleRate: 1 } });

    const plan = await startScan(ctx, { trigger: 'test' });
    // The scan stalls at the first failure; wait until every eu-west-1 partition has failed.
    let stalled = await waitForScan(ctx.queues, ctx.store, plan.scanId, { pollMs: 100, signal: AbortSignal.timeout(30_000) });
    for (const deadline = Date.now() + 20_000; stalled.stages.discover.failed + stalled.stages.discover.completed < stalled.stages.discover.total; ) {
      if (Date.now() > deadline) throw new Error(`discovery did not settle: ${JSON.stringify(stalled.stages.discover)}`);
      await new Promise((r) => setTimeout(r, 100));
      stalled = (await getScanProgress(ctx.queues, ctx.store, plan.scanId))!;
    }
    expect(stalled.status).toBe('stalled');
    const euJobs = stalled.failedJobs.filter((j) => j.queue === 'discovery-eu-west-1');
    expect(euJobs.length).toBe(plan.kinds.length);
    expect(stalled.failedJobs.every((j) => j.queue === 'discovery-eu-west-1')).toBe(true);
    // The failedReason names the account, the region, the AWS error code and what to do.
    for (const job of euJobs) {
      expect(job.reason).toMatch(/^partition 111111111111 eu-west-1: |account 111111111111, eu-west-1: /);
      expect(job.reason).toMatch(/: (Throttling|RequestLimitExceeded|ThrottlingException|TooManyRequestsException): /);
      expect(job.reason).toMatch(/ — fix: .+/);
    }

    // The cause is fixed: the throttled pool is replaced by a healthy one.
    await throttled.workers.close();
    await pool('discovery-eu', 'eu-west-1', ops.settings);

    const board = (path: string, init: RequestInit = {}) => fetch(`${server.url}/admin/queues/api/queues/${path}`, init);
    expect((await board('discovery-eu-west-1/retry/failed', { method: 'PUT' })).status).toBe(401);
    // One job through the per-job route, the rest through "retry all".
    const [first] = euJobs;
    expect((await board(`discovery-eu-west-1/${encodeURIComponent(first.id)}/retry`, { method: 'PUT', headers: auth })).status).toBe(204);
    expect((await board('discovery-eu-west-1/retry/failed', { method: 'PUT', headers: auth })).status).toBe(200);

    const done = await waitForScan(ctx.queues, ctx.store, plan.scanId, { pollMs: 100, signal: AbortSignal.timeout(30_000) });
    expect(done.status, JSON.stringify(done.failedJobs)).toBe('completed');
    const report = await fetch(`${server.url}/api/scans/${plan.scanId}/report`, { headers: auth });
    expect(report.status).toBe(200);
    const body = (await report.json()) as { errors: unknown[]; inventory: { byAccountRegion: { region: string }[] } };
    expect(body.errors).toEqual([]);
    expect(body.inventory.byAccountRegion.map((p) => p.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });
});
