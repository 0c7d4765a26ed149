// The remediation commands and API on the run's Redis: dry run by default, live only with --live and
// safety.dryRun: false, approvals with their actor, the audit trail, rollback; the API behind its credentials.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, listen } from '@finops/api';
import { createLogger, createRedisConnection, type Ec2Instance, type ElasticIp } from '@finops/core';
import { RoleWorkers } from '@finops/queues';
import { bootstrap, getScanProgress, startScan, type ServiceContext } from '@finops/pipeline';
import { defaultActor, remediationStores, type ActionRecord, type AuditEntry, type RunProgress } from '@finops/remediation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cli } from '../input/cli-capture.js';
import { testRedisUrl } from '../support/redis.js';
import { ACCOUNT, REGION, harness, latch, recommend, type Harness } from './harness.js';

describe('remediation from the CLI and the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-remediation-cli-'));
  const dryConfig = join(dir, 'dry.yaml');
  const liveConfig = join(dir, 'live.yaml');
  let h: Harness;
  let instance: Ec2Instance;
  let address: ElasticIp;
  let stopId: string;
  let releaseId: string;

  beforeAll(async () => {
    // The estate the CLI's own simulator generates from the same settings, with changes shared through Redis.
    h = await harness({ redisOverlay: true });
    instance = h.inventory.find((r): r is Ec2Instance => r.kind === 'ec2-instance' && r.state === 'running' && r.lifecycle === 'on-demand')!;
    address = h.inventory.find((r): r is ElasticIp => r.kind === 'elastic-ip' && !r.associationId)!;
    const stop = recommend({ resource: instance, type: 'ec2.stop-instance', params: { instanceId: instance.id }, risk: 'medium', monthlySavingsUsd: 70 });
    const release = recommend({ resource: address, type: 'ec2.release-address', params: { allocationId: address.allocationId, publicIp: address.publicIp } });
    [stopId, releaseId] = [stop.id, release.id];
    await h.recommendations([stop, release]);
    const settings = (dryRun: boolean) => ({
      aws: { provider: 'simulated', regions: [REGION] },
      simulation: { accounts: [ACCOUNT], resourcesPerRegion: 60 },
      redis: { url: testRedisUrl(), prefix: h.prefix, managed: { enabled: false, useLocalDefault: false } },
      api: { auth: { type: 'basic', username: 'ops-admin', password: 'correct-horse-battery' } },
      safety: { dryRun, allowedActions: ['ec2.stop-instance', 'ec2.release-address'], waitTimeoutSec: 30 },
      logging: { level: 'silent' },
    });
    writeFileSync(dryConfig, stringify(settings(true)));
    writeFileSync(liveConfig, stringify(settings(false)));
  });

  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a dry run by default and refuses --live while safety.dryRun is true', async () => {
    const dry = await cli('apply', '--config', dryConfig, '--json');
    expect(dry.code).toBe(0);
    const progress = JSON.parse(dry.stdout) as RunProgress;
    expect(progress).toMatchObject({ status: 'completed', run: { mode: 'dry-run' }, counts: { planned: 2 } });
    expect((await h.discover('ec2-instance')).find((i) => i.id === instance.id)?.state).toBe('running');

    const refused = await cli('apply', '--config', dryConfig, '--live', '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/live mode was asked for, but safety\.dryRun is true/);
    expect(refused.stderr).toMatch(/fix: set safety\.dryRun: false/);
  });

  it('applies live with --live and safety.dryRun: false; medium risk waits for `finops approve`', async () => {
    const first = JSON.parse((await cli('apply', '--config', liveConfig, '--live', '--yes', '--actor', 'dave@ci', '--json')).stdout) as RunProgress;
    const actions = first.batches.flatMap((b) => b.actions);
    expect(actions.map((a) => [a.recommendationId, a.status])).toEqual([
      [stopId, 'needs-approval'],
      [releaseId, 'applied'],
    ]);
    expect(actions[1]!.actor).toBe('dave@ci');

    expect((await cli('reject', stopId, '--config', liveConfig)).code).toBe(2);
    const approved = await cli('approve', stopId, '--config', liveConfig, '--actor', 'erin@laptop');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^approved ${stopId} \\(ec2\\.stop-instance on ${instance.id}.*\\) by erin@laptop`));

    const second = JSON.parse((await cli('apply', stopId, '--config', liveConfig, '--live', '--yes', '--json')).stdout) as RunProgress;
    expect(second.batches[0]!.actions[0]).toMatchObject({ status: 'applied', approval: { by: 'erin@laptop' } });
    expect((await h.discover('ec2-instance')).find((i) => i.id === instance.id)?.state).toBe('stopped');
  });

  it('lists the audit trail by resource, and rolls an action back', async () => {
    const audit = JSON.parse((await cli('audit', '--config', liveConfig, '--resource', instance.id, '--json')).stdout) as { entries: AuditEntry[] };
    expect(audit.entries.map((e) => [e.event, e.actor])).toEqual([
      // No --actor on that run: $USER@host.
      ['applied', defaultActor()],
      ['approved', 'erin@laptop'],
      ['needs-approval', 'dave@ci'],
      ['planned', expect.any(String)],
    ]);
    expect((await cli('audit', '--config', liveConfig, '--since', 'yesterday')).code).toBe(2);
    const applied = audit.entries[0]!;
    const rolled = await cli('rollback', applied.actionId!, '--config', liveConfig, '--actor', 'frank@ops', '--json');
    expect(rolled.code).toBe(0);
    expect((JSON.parse(rolled.stdout) as ActionRecord).rollback).toMatchObject({ status: 'rolled-back', by: 'frank@ops' });
    expect((await h.discover('ec2-instance')).find((i) => i.id === instance.id)?.state).toBe('running');
    // Asked again: the finished rollback is reported at once, and nothing is queued or called.
    const { at } = (JSON.parse(rolled.stdout) as ActionRecord).rollback!;
    const again = await cli('rollback', applied.actionId!, '--config', liveConfig, '--actor', 'gina@ops');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`already rolled back at ${at} by frank@ops (rolled-back: ${(JSON.parse(rolled.stdout) as ActionRecord).rollback!.message}); nothing to do\n`);
    expect((await h.discover('ec2-instance')).find((i) => i.id === instance.id)?.state).toBe('running');
  }, 60_000);

  it('says what to check when the rollback job does not finish in time', async () => {
    const audit = JSON.parse((await cli('audit', '--config', liveConfig, '--resource', address.id, '--json')).stdout) as { entries: AuditEntry[] };
    const released = audit.entries.find((e) => e.event === 'applied')!;
    // A worker serves the queue but never finishes the job (a stuck optimizer).
    const stuck = latch();
    const connection = createRedisConnection(testRedisUrl(), { role: 'worker', name: 'stuck-optimizer' });
    const workers = new RoleWorkers({
      role: 'optimizer',
      handlers: { check: async () => undefined, optimize: async () => undefined, remediate: async () => undefined, 'rollback-action': () => stuck.opened.then(() => undefined) },
      connection,
      prefix: h.prefix,
      concurrency: 1,
      regions: [REGION],
      logger: createLogger({ ...h.config.logging, level: 'silent' }, { service: 'stuck-optimizer' }),
      shutdownTimeoutMs: 5000,
    });
    try {
      await workers.ready();
      const waited = await cli('rollback', released.actionId!, '--config', liveConfig, '--timeout', '1');
      expect(waited.code).toBe(1);
      expect(waited.stdout).toMatch(/^rollback of act_\w+ not finished after 1 s \(job rollback\.act_\w+\.\d+ is (active|waiting)\): check the job in Bull Board \(\/admin\/queues, queue `remediation`\) and that the optimizer workers serving that queue are running/);
    } finally {
      stuck.open();
      await workers.close();
      await connection.quit();
    }
  });

  describe('the API', () => {
    let ctx: ServiceContext;
    let server: Awaited<ReturnType<typeof listen>>;
    const auth = { authorization: `Basic ${Buffer.from('ops-admin:correct-horse-battery').toString('base64')}`, 'content-type': 'application/json' };
    const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}/api/remediation${path}`, { ...init, headers: { ...auth, ...init.headers } });

    beforeAll(async () => {
      ctx = await bootstrap({ service: 'api-test', argv: ['--config', liveConfig], env: process.env });
      const app = createApp({ ...ctx, startScan: (o) => startScan(ctx, o), scanProgress: (id) => getScanProgress(ctx.queues, ctx.store, id) });
      server = await listen(app, 0, '127.0.0.1');
    });
    afterAll(async () => {
      await server?.close();
      for (const q of ctx?.queues.all() ?? []) await q.obliterate({ force: true }).catch(() => undefined);
      await ctx?.close();
    });

    it('needs credentials and records the authenticated principal as the actor', async () => {
      expect((await fetch(`${server.url}/api/remediation/audit`)).status).toBe(401);
      const decided = await call('/rejections', { method: 'POST', body: JSON.stringify({ recommendationIds: [stopId], reason: 'kept for load tests' }) });
      expect(decided.status).toBe(200);
      expect((await decided.json()) as object).toMatchObject({ decisions: [{ decision: 'rejected', actor: 'ops-admin', reason: 'kept for load tests' }] });
      const audit = (await (await call(`/audit?resource=${instance.id}&limit=1`)).json()) as { entries: AuditEntry[] };
      expect(audit.entries).toEqual([expect.objectContaining({ event: 'rejected', actor: 'ops-admin' })]);
    });

    it('previews and queues runs, reads them back, and explains refusals', async () => {
      const preview = (await (await call('/preview', { method: 'POST', body: JSON.stringify({ live: true }) })).json()) as { mode: string; byStatus: Record<string, { count: number }> };
      expect(preview.mode).toBe('live');
      expect(preview.byStatus['needs-approval']?.count).toBe(1);
      const started = await call('/runs', { method: 'POST', body: JSON.stringify({ recommendationIds: [stopId] }) });
      expect(started.status).toBe(202);
      const { run: queued } = (await started.json()) as { run: { runId: string; mode: string; actor: string } };
      expect(queued).toMatchObject({ mode: 'dry-run', actor: 'ops-admin' });
      const status = (await (await call(`/runs/${queued.runId}`)).json()) as RunProgress;
      expect(status).toMatchObject({ run: { runId: queued.runId }, status: 'running' });
      const bad = await call('/runs', { method: 'POST', body: JSON.stringify({ recommendationIds: ['not-an-id'] }) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/recommendationIds\.0: expected a recommendation id/);
      const unknown = await call('/actions/act_000000000000000000000000/rollback', { method: 'POST' });
      expect([unknown.status, ((await unknown.json()) as { error: string }).error]).toEqual([400, 'no action act_000000000000000000000000']);
    });

    it('reports a rollback that already finished instead of queueing another', async () => {
      const { store } = remediationStores({ config: ctx.config, redis: ctx.redis, now: () => new Date() });
      const actionId = 'act_0f0f0f0f0f0f0f0f0f0f0f0f';
      const rollback = { status: 'rolled-back', at: '2026-11-20T10:00:00.000Z', by: 'frank@ops', message: 'started i-0abc again' } as const;
      const applied: ActionRecord = {
        actionId,
        runId: 'run_0f0f0f0f0f0f',
        scanId: 'scan-20261120T090000Z-abcd',
        mode: 'live',
        status: 'applied',
        recommendationId: stopId,
        checkId: 'ec2-idle-instance',
        actionType: 'stop-instance',
        accountId: ACCOUNT,
        region: REGION,
        resourceId: instance.id,
        resourceKind: 'ec2-instance',
        monthlySavingsUsd: 10,
        risk: 'low',
        actor: 'ops-admin',
        trigger: 'api',
        at: '2026-11-20T09:00:00.000Z',
      };
      await store.saveAction({ ...applied, rollback } as ActionRecord);
      const remediationQueue = ctx.queues.get('remediation');
      const before = await remediationQueue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed');
      const again = await call(`/actions/${actionId}/rollback`, { method: 'POST' });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ status: 'already-rolled-back', rollback: expect.objectContaining(rollback), action: `/api/remediation/actions/${actionId}` });
      expect(await remediationQueue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(before);
    });
  });
});
