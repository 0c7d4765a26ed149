// Fault: a worker process of each role is killed with SIGKILL in the middle of a job.
// Injects: four service processes (discovery, analysis, optimizer, reporter) run one scan; as each stage reaches
//   them, the process of that role is frozen while a job of its stage is active, checked to still hold the job,
//   and killed; another worker of the role (in-process) is started only then.
// Asserts: every job caught in flight is recovered by the other worker (stalled → retried) and completes; the scan
//   completes with a report equal to that of an undisturbed scan of the same estate (same recommendations, savings
//   and totals); no recommendation, notification or backend delivery is duplicated.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceProcess } from '@finops/cli';
import type { ConfigInput } from '@finops/core';
import { startScan, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import type { Report } from '@finops/reports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint } from '../notifications/support.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import {
  SCAN_ROLES,
  awaitScan,
  closeContext,
  duplicates,
  eventually,
  killMidJob,
  openContext,
  reportFingerprint,
  runScan,
  startReplicas,
  startWorkerProcesses,
  stopAll,
  writeConfig,
  type QueueJob,
  type ScanRole,
} from './harness.js';

/** The job names whose execution is interrupted, per role (the reporter's notify/deliver jobs come after). */
const STAGE_JOBS: Record<ScanRole, string[]> = {
  discovery: ['discover'],
  analysis: ['analyze', 'costs'],
  optimizer: ['optimize'],
  reporter: ['report'],
};

describe('a worker of each role killed with SIGKILL mid-job', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-kill-'));
  const estate = (name: string): ConfigInput => ({
    aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1'] },
    simulation: { seed: 11, accounts: ['111111111111', '222222222222'], resourcesPerRegion: 40, latencyMs: { min: 15, max: 30 } },
    redis: { prefix: uniquePrefix(name), managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, name, 'reports') },
    // Short locks so a killed worker's job is recovered in seconds, not the default 30 s.
    workers: { backoffMs: 200, lockDurationMs: 3000, stalledIntervalMs: 1000, concurrency: { discovery: 2, analysis: 1, optimizer: 1, reporter: 1 } },
    logging: { level: 'info' },
  });
  let hook: Endpoint;
  let backend: Endpoint;
  let baseline: Report;
  let disturbed: Report;
  let ctx: ServiceContext;
  let processes: Record<string, ServiceProcess> = {};
  const replicas: RoleWorkers[] = [];
  const killed: Partial<Record<ScanRole, QueueJob[]>> = {};

  beforeAll(async () => {
    hook = await startEndpoint();
    backend = await startEndpoint();
    const settings: ConfigInput = {
      ...estate('kill'),
      notifications: {
        enabled: true,
        highSavingsThresholdUsd: 1,
        backoffMs: 200,
        channels: [{ id: 'hook', type: 'webhook', url: `${hook.url}/hook`, secret: 'a-webhook-secret-16+', events: ['high-savings', 'scan-failure'] }],
      },
      backend: { url: backend.url, retryBaseMs: 200, retryMaxMs: 1000 },
    };
    const configFile = writeConfig(dir, settings);
    const baselineFile = writeConfig(dir, estate('kill-baseline'), 'baseline');
    // The undisturbed scan (in-process workers, its own prefix) runs while the service processes start.
    const undisturbed = (async () => {
      const base = await openContext(baselineFile, testRedisUrl());
      const workers = await startReplicas(base, SCAN_ROLES);
      try {
        return (await runScan(base)).report;
      } finally {
        await Promise.all(workers.map((w) => w.close()));
        await closeContext(base);
      }
    })();
    [processes, ctx] = await Promise.all([
      startWorkerProcesses(SCAN_ROLES, { configFile, redisUrl: testRedisUrl(), logDir: join(dir, 'logs') }),
      openContext(configFile, testRedisUrl()),
    ]);
    baseline = await undisturbed;

    const plan = await startScan(ctx, { trigger: 'test' });
    for (const role of SCAN_ROLES) {
      killed[role] = await killMidJob(ctx, processes[role] as ServiceProcess, role, { names: STAGE_JOBS[role] });
      replicas.push(...(await startReplicas(ctx, [role])));
    }
    disturbed = (await awaitScan(ctx, plan.scanId, 120_000)).report;
  }, 180_000);

  afterAll(async () => {
    await stopAll(Object.values(processes));
    await Promise.all(replicas.map((r) => r.close()));
    await closeContext(ctx);
    await hook?.close();
    await backend?.close();
  });

  it('killed each role\'s process while it held a job, and another worker recovered and finished every such job', async () => {
    for (const role of SCAN_ROLES) {
      const jobs = killed[role] ?? [];
      expect(jobs.length, `${role}: a job in flight when the process died`).toBeGreaterThan(0);
      expect(processes[role]?.child.signalCode).toBe('SIGKILL');
      for (const job of jobs) {
        const now = await ctx.queues.get(job.queueName).getJob(job.id as string);
        expect(await now?.getState(), `${job.id}`).toBe('completed');
        // Started by the killed worker, then again by the other one after its lock expired.
        expect(now?.attemptsStarted, `${job.id}`).toBeGreaterThanOrEqual(2);
        expect(now?.failedReason ?? '', `${job.id}`).toBe('');
      }
    }
  });

  it('reports exactly what an undisturbed scan of the same estate reports', () => {
    expect(baseline.recommendations.length).toBeGreaterThan(0);
    expect(reportFingerprint(disturbed)).toEqual(reportFingerprint(baseline));
    expect(disturbed.errors).toEqual([]);
  });

  it('duplicates no recommendation, notification or backend delivery', async () => {
    expect(duplicates([...disturbed.recommendations, ...disturbed.suppressed].map((r) => r.id))).toEqual([]);
    const notified = await eventually(() => {
      const bodies = hook.received.map((r) => JSON.parse(r.body) as { dedupKey?: string; event?: string });
      expect(bodies.length).toBeGreaterThan(0);
      return bodies;
    });
    const delivered = await eventually(() => {
      const posts = backend.received.filter((r) => r.method === 'POST');
      expect(posts.length).toBeGreaterThan(0);
      return posts;
    });
    // Late duplicates would arrive after a retry's backoff: give them the time to show up.
    await new Promise((r) => setTimeout(r, 1500));
    expect(hook.received).toHaveLength(notified.length);
    expect(notified.map((b) => b.event)).toEqual(['high-savings']);
    expect(backend.received.filter((r) => r.method === 'POST')).toHaveLength(delivered.length);
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(delivered[0]?.body ?? '{}')).toMatchObject({ scanId: disturbed.scanId });
  });
});
