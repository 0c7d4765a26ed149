// Fault: SIGTERM to every worker process in the middle of a scan (a deploy, a scale-down).
// Injects: four service processes (discovery, analysis, optimizer, reporter) run a scan; while discovery jobs are
//   in flight in them, each process gets SIGTERM; later, the workers are started again as new processes.
// Asserts: each process exits by itself with code 0 within its shutdown timeout; every job in flight at the signal
//   finished (completed) or went back to the queue — none is left active or failed, and no new job was taken; the
//   scan is incomplete until the workers are restarted, then completes with the whole simulated estate
//   inventoried, no errors and no duplicate recommendation.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceProcess } from '@finops/cli';
import { configSchema, type ConfigInput } from '@finops/core';
import { getScanProgress, startScan, type ServiceContext } from '@finops/pipeline';
import type { Report } from '@finops/reports';
import { createSimulatedAws } from '@finops/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { SCAN_ROLES, activeJobs, awaitScan, closeContext, duplicates, eventually, openContext, startWorkerProcesses, stopAll, writeConfig, type QueueJob } from './harness.js';

describe('SIGTERM to the workers during a scan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-sigterm-'));
  const settings: ConfigInput = {
    aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1'] },
    simulation: { seed: 3, accounts: ['111111111111'], resourcesPerRegion: 30, latencyMs: { min: 150, max: 300 } },
    redis: { prefix: uniquePrefix('sigterm'), managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports') },
    workers: { backoffMs: 200, lockDurationMs: 3000, stalledIntervalMs: 1000, shutdownTimeoutMs: 15000, concurrency: { discovery: 3 } },
    logging: { level: 'info' },
  };
  let configFile: string;
  let ctx: ServiceContext;
  let first: Record<string, ServiceProcess> = {};
  let second: Record<string, ServiceProcess> = {};
  let inFlight: QueueJob[] = [];
  let exits: { name: string; code: number | null; signal: NodeJS.Signals | null; ms: number }[] = [];
  let scanId: string;
  let report: Report;

  beforeAll(async () => {
    configFile = writeConfig(dir, settings);
    [first, ctx] = await Promise.all([
      startWorkerProcesses(SCAN_ROLES, { configFile, redisUrl: testRedisUrl(), logDir: join(dir, 'logs-1') }),
      openContext(configFile, testRedisUrl()),
    ]);
    scanId = (await startScan(ctx, { trigger: 'test' })).scanId;
    inFlight = await eventually(async () => {
      const jobs = await activeJobs(ctx, 'discovery', ['discover']);
      expect(jobs.length).toBeGreaterThan(0);
      return jobs;
    }, 30_000, 5);
    const signalled = Date.now();
    for (const proc of Object.values(first)) proc.child.kill('SIGTERM');
    exits = await Promise.all(
      Object.values(first).map(async (proc) => ({ name: proc.name, ...(await proc.exited), ms: Date.now() - signalled })),
    );
  }, 120_000);

  afterAll(async () => {
    await stopAll([...Object.values(first), ...Object.values(second)]);
    await closeContext(ctx);
  });

  it('exits each process by itself with code 0, after its in-flight jobs finished', async () => {
    for (const exit of exits) {
      expect(exit, exit.name).toMatchObject({ code: 0, signal: null });
      expect(exit.ms, exit.name).toBeLessThan(15_000);
    }
    expect(inFlight.length).toBeGreaterThan(0);
    for (const job of inFlight) {
      const state = await job.getState();
      expect(['completed', 'waiting'], `${job.id} was active at SIGTERM, is now ${state}`).toContain(state);
    }
    const progress = await getScanProgress(ctx.queues, ctx.store, scanId);
    const stages = Object.values(progress?.stages ?? {});
    expect(progress?.status).toBe('running');
    expect(stages.reduce((n, s) => n + s.active, 0), 'no job left active').toBe(0);
    expect(stages.reduce((n, s) => n + s.failed, 0), 'no job failed').toBe(0);
    // Stopped workers take no new job: the scan cannot have finished.
    expect(progress?.stages.report?.completed).toBe(0);
  });

  it('finishes the scan when the workers are started again', async () => {
    second = await startWorkerProcesses(SCAN_ROLES, { configFile, redisUrl: testRedisUrl(), logDir: join(dir, 'logs-2') });
    report = (await awaitScan(ctx, scanId, 90_000)).report;
    const expected = createSimulatedAws(configSchema.parse(settings).simulation, ['us-east-1', 'eu-west-1']).inventoryCounts();
    expect(report.inventory.byKind).toEqual(expected);
    expect(report.errors).toEqual([]);
    expect(report.recommendations.length).toBeGreaterThan(0);
    expect(duplicates([...report.recommendations, ...report.suppressed].map((r) => r.id))).toEqual([]);
  }, 120_000);
});
