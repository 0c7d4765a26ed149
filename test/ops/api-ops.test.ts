// The api service as operators use it: health, Prometheus metrics (with and without auth), Bull Board with every
// queue and redacted job data, the schedule API driving the scheduler worker, status, and config reload.
import { startApiService, type ApiService } from '@finops/api';
import { findFreePort } from '@finops/core';
import { runWorkerProcess, type WorkerProcess } from '@finops/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsContext, type OpsContext } from './ops-context.js';

const USER = 'ops';
const PASSWORD = 'correct-horse-battery';
const auth = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('api service operations', () => {
  let ops: OpsContext;
  let api: ApiService;
  const call = (path: string, init: RequestInit = {}) => fetch(`${api.url}${path}`, init);

  beforeAll(async () => {
    ops = await opsContext('api-ops', {
      api: { auth: { type: 'basic', username: USER, password: PASSWORD }, port: 0, metrics: { auth: true } },
      schedules: { dailyOptimization: { enabled: true, time: '05:00' }, custom: [{ id: 'nightly-ec2', cron: '0 0 2 * * *', job: 'scan', options: { services: ['ec2'] } }] },
    }, 'api');
    api = await startApiService(ops.ctx, { exitOnSignal: false });
  });

  afterAll(async () => {
    await api?.shutdown();
    await ops?.cleanup();
  });

  it('answers liveness and readiness without credentials', async () => {
    expect(await (await call('/healthz')).json()).toEqual({ live: true });
    const ready = await call('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, redis: 'ok' });
  });

  it('serves Prometheus metrics behind api.auth when api.metrics.auth says so', async () => {
    expect((await call('/metrics')).status).toBe(401);
    const res = await call('/metrics', { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const queue of ['discovery-us-east-1', 'analysis-us-east-1', 'optimizer', 'reporter', 'scheduler']) {
      expect(text).toContain(`bullmq_job_count{queue="${queue}", state="waiting", prefix="${ops.prefix}"}`);
    }
    expect(text).toContain('# TYPE finops_job_duration_seconds histogram');
    expect(text).toContain('finops_last_scan_completed_timestamp_seconds{role="api"} 0');
    expect(text.match(/^# TYPE bullmq_job_count gauge$/gm)).toHaveLength(1);
  });

  it('shows every queue on Bull Board, and job data without secrets', async () => {
    const { queues } = (await (await call('/admin/queues/api/queues', { headers: auth })).json()) as { queues: { name: string }[] };
    expect(queues.map((q) => q.name)).toEqual(expect.arrayContaining(ops.ctx.queues.all().map((q) => q.name)));
    expect(queues.map((q) => q.name)).toContain('scheduler');
    await ops.ctx.queues.forRole('optimizer').add('optimize', { scanId: 's', webhook: { url: 'https://x', token: 'sekret-token' }, password: 'hunter2' }, { jobId: 'redaction-probe' });
    const board = await (await call('/admin/queues/api/queues?activeQueue=optimizer&status=waiting', { headers: auth })).text();
    expect(board).toContain('redaction-probe');
    expect(board).not.toMatch(/sekret-token|hunter2/);
    await (await ops.ctx.queues.forRole('optimizer').getJob('redaction-probe'))?.remove();
  });

  it('lists, disables, enables and runs schedules; the scheduler worker in the api starts the scan', async () => {
    expect((await call('/api/schedules')).status).toBe(401);
    const list = (await (await call('/api/schedules', { headers: auth })).json()) as { schedules: { id: string; active: boolean }[] };
    expect(list.schedules.filter((s) => s.active).map((s) => s.id).sort()).toEqual(['daily-optimization', 'nightly-ec2']);

    const disabled = await call('/api/schedules/nightly-ec2/disable', { method: 'POST', headers: auth });
    expect(await disabled.json()).toMatchObject({ id: 'nightly-ec2', disabled: true, active: false });
    const enabled = await call('/api/schedules/nightly-ec2/enable', { method: 'POST', headers: auth });
    expect(await enabled.json()).toMatchObject({ id: 'nightly-ec2', disabled: false, active: true });
    expect((await call('/api/schedules/nope/run', { method: 'POST', headers: auth })).status).toBe(400);

    const run = await call('/api/schedules/nightly-ec2/run', { method: 'POST', headers: auth });
    expect(run.status).toBe(202);
    const schedules = await until(
      async () => (await api.schedules.list()).find((s) => s.id === 'nightly-ec2'),
      (s) => s?.lastRun?.outcome === 'started',
    );
    expect(schedules?.lastRun).toMatchObject({ by: 'run-now', outcome: 'started' });
    const scan = await ops.ctx.store.getScan(schedules!.lastRun!.scanId!);
    expect(scan?.plan).toMatchObject({ trigger: 'schedule:nightly-ec2', purpose: 'scan' });
  });

  it('serves the operator status', async () => {
    const res = await call('/api/status', { headers: auth });
    expect(res.status).toBe(200);
    const status = (await res.json()) as { queues: { name: string }[]; sink: { type: string }; latestScan?: { trigger: string }; problems: string[] };
    expect(status.queues.map((q) => q.name)).toContain('scheduler');
    expect(status.sink.type).toBe('files');
    expect(status.latestScan?.trigger).toBe('schedule:nightly-ec2');
    expect(Array.isArray(status.problems)).toBe(true);
  });

  it('reloads the configuration on POST /api/config/reload, refusing an invalid one', async () => {
    const base = ops.settings;
    expect((await call('/api/config/reload', { method: 'POST' })).status).toBe(401);
    ops.writeConfig({ ...base, optimization: { minMonthlySavingsUsd: 'ten' } });
    const bad = await call('/api/config/reload', { method: 'POST', headers: auth });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: string }).error).toMatch(/optimization\.minMonthlySavingsUsd: expected number ≥ 0, got "ten"/);
    expect(ops.ctx.config.optimization.minMonthlySavingsUsd).toBe(0);

    // A schedule removed from the file disappears from Redis on reload.
    ops.writeConfig({ ...base, optimization: { minMonthlySavingsUsd: 15 }, schedules: { dailyOptimization: { enabled: true, time: '05:00' } } });
    const good = await call('/api/config/reload', { method: 'POST', headers: auth });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ ok: true, needsRestart: [] });
    expect(ops.ctx.config.optimization.minMonthlySavingsUsd).toBe(15);
    const keys = (await ops.ctx.queues.forRole('scheduler').getJobSchedulers(0, -1)).map((s) => s.key);
    expect(keys).toEqual(['daily-optimization']);
    ops.writeConfig(base);
  });
});

describe('worker process health port', () => {
  let ops: OpsContext;
  let proc: WorkerProcess;
  let port: number;

  beforeAll(async () => {
    port = await findFreePort();
    ops = await opsContext('worker-health', { workers: { healthPort: port } }, 'optimizer');
    proc = await runWorkerProcess(ops.ctx, ['optimizer'], { exitOnSignal: false });
  });
  afterAll(async () => {
    await proc?.shutdown();
    await ops?.cleanup();
  });

  it('serves /healthz, /readyz and /metrics on workers.healthPort', async () => {
    expect(proc.healthPort).toBe(port);
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ live: true });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ready: true });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('# TYPE finops_aws_calls_total counter');
    expect(metrics).toContain('finops_process_cpu_user_seconds_total{role="optimizer"}');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('is no longer ready once its workers have stopped', async () => {
    await proc.workers[0].close();
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(503);
  });
});
