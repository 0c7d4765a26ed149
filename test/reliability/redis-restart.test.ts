// Fault: Redis crashes in the middle of a scan and comes back (append-only persistence on).
// Injects: a private redis-server with appendonly yes; the api service and a worker of each role (in-process, each
//   with its own connection, as in separate services) run a scan started through the API; once discovery is under
//   way Redis is killed with SIGKILL, left down for two seconds, and restarted on the same port and data directory.
// Asserts: /readyz answers 503 while Redis is away and 200 after, without restarting anything; the workers and the
//   API reconnect by themselves; the scan completes with the report of an undisturbed scan of the same estate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiService, type ApiService } from '@finops/api';
import type { ConfigInput } from '@finops/core';
import type { ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import type { Report } from '@finops/reports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { SCAN_ROLES, closeContext, eventually, openContext, readReport, reportFingerprint, runScan, sleep, startReplicas, writeConfig } from './harness.js';

describe('Redis restarted mid-scan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-redis-restart-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'finops-redis-aof-'));
  const settings = (name: string): ConfigInput => ({
    aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1'] },
    simulation: { seed: 5, accounts: ['111111111111'], resourcesPerRegion: 40, latencyMs: { min: 40, max: 80 } },
    redis: { prefix: uniquePrefix(name), managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, name, 'reports') },
    workers: { backoffMs: 200, lockDurationMs: 5000, stalledIntervalMs: 1000, concurrency: { discovery: 2 } },
    api: { port: 0, auth: 'none' },
    logging: { level: 'silent' },
  });
  let redis: TestRedisServer;
  let api: ApiService;
  let apiCtx: ServiceContext;
  let workerCtx: ServiceContext[] = [];
  const workers: RoleWorkers[] = [];
  let baseline: Report;
  let scanId: string;
  const readiness: { phase: string; status: number }[] = [];

  const readyz = async (): Promise<number> => (await fetch(`${api.url}/readyz`, { signal: AbortSignal.timeout(5000) })).status;

  beforeAll(async () => {
    redis = await startRedisServer({ appendonly: true, dir: dataDir });
    const configFile = writeConfig(dir, settings('restart'));
    const baselineFile = writeConfig(dir, settings('restart-baseline'), 'baseline');
    const undisturbed = (async () => {
      const base = await openContext(baselineFile, testRedisUrl());
      const replicas = await startReplicas(base, SCAN_ROLES);
      try {
        return (await runScan(base)).report;
      } finally {
        await Promise.all(replicas.map((w) => w.close()));
        await closeContext(base);
      }
    })();
    // One context per role, as separate services would have: each reconnects on its own.
    workerCtx = await Promise.all(SCAN_ROLES.map((role) => openContext(configFile, redis.url, role)));
    for (const [i, role] of SCAN_ROLES.entries()) workers.push(...(await startReplicas(workerCtx[i] as ServiceContext, [role])));
    apiCtx = await openContext(configFile, redis.url, 'api');
    api = await startApiService(apiCtx, { exitOnSignal: false });
    baseline = await undisturbed;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await api?.shutdown();
    for (const ctx of workerCtx) await closeContext(ctx);
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports not-ready while Redis is away, reconnects every process by itself, and completes the scan', async () => {
    readiness.push({ phase: 'before', status: await readyz() });
    const started = await fetch(`${api.url}/api/scans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(started.status).toBe(202);
    scanId = ((await started.json()) as { scanId: string }).scanId;
    const progress = async () => (await (await fetch(`${api.url}/api/scans/${scanId}`)).json()) as { status: string; stages: Record<string, { completed: number; total: number }> };

    // Mid-scan: some discovery done, the rest (and every later stage) still to come.
    await eventually(async () => {
      const p = await progress();
      expect(p.stages.discover?.completed).toBeGreaterThan(0);
    }, 30_000, 20);
    const before = await progress();
    expect(before.status).toBe('running');
    expect(before.stages.report?.completed).toBe(0);

    await redis.kill();
    await eventually(async () => expect(await readyz()).toBe(503), 10_000, 100);
    readiness.push({ phase: 'down', status: 503 });
    await sleep(2000);
    readiness.push({ phase: 'still down', status: await readyz() });

    redis = await startRedisServer({ appendonly: true, dir: dataDir, port: redis.port });
    await eventually(async () => expect(await readyz()).toBe(200), 30_000, 200);
    readiness.push({ phase: 'after', status: 200 });
    expect(readiness).toEqual([
      { phase: 'before', status: 200 },
      { phase: 'down', status: 503 },
      { phase: 'still down', status: 503 },
      { phase: 'after', status: 200 },
    ]);

    const done = await eventually(async () => {
      const p = await progress();
      expect(p.status).toBe('completed');
      return p as unknown as { reportDir: string };
    }, 60_000, 200);
    const report = readReport(done.reportDir);
    expect(reportFingerprint(report)).toEqual(reportFingerprint(baseline));
    const served = await fetch(`${api.url}/api/scans/${scanId}/report`);
    expect(served.status).toBe(200);
    expect(((await served.json()) as Report).scanId).toBe(scanId);
    expect(workers.every((w) => w.isRunning())).toBe(true);
  }, 120_000);
});
