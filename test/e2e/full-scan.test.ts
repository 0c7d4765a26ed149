// End to end: the four worker services as separate processes run one full scan of the simulated account on a
// private Redis; the report must find exactly the waste the simulator planted for every registered check.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS } from '@finops/checks';
import { startServiceProcess, stopServiceProcess, type ServiceProcess } from '@finops/cli';
import { configSchema } from '@finops/core';
import { bootstrap, startScan, waitForScan, type ServiceContext } from '@finops/pipeline';
import { reportSchema, type Report } from '@finops/reports';
import { createSimulatedAws } from '@finops/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const WORKERS = ['discovery', 'analysis', 'optimizer', 'reporter'] as const;

describe('a full scan through four worker processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-e2e-'));
  const configFile = join(dir, 'config.yaml');
  const settings = {
    aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1'] },
    simulation: { seed: 7, accounts: ['111111111111', '222222222222'], resourcesPerRegion: 80, latencyMs: { min: 1, max: 5 } },
    redis: { prefix: uniquePrefix('e2e'), managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports') },
    workers: { backoffMs: 200 },
    logging: { level: 'info' },
  };
  let processes: ServiceProcess[] = [];
  let ctx: ServiceContext;
  let report: Report;

  beforeAll(async () => {
    writeFileSync(configFile, stringify(settings));
    const env = { ...process.env, FINOPS_CONFIG: configFile, REDIS_URL: testRedisUrl() };
    processes = WORKERS.map((name) => startServiceProcess(name, { env, logDir: join(dir, 'logs') }));
    ctx = await bootstrap({ service: 'e2e-test', argv: ['--config', configFile], env });
    const plan = await startScan(ctx, { trigger: 'test' });
    const progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, {
      pollMs: 200,
      signal: AbortSignal.timeout(120_000),
    });
    if (progress.status !== 'completed' || !progress.reportDir) {
      const logs = processes.map((p) => `--- ${p.name}\n${readFileSync(p.logFile, 'utf8').slice(-3000)}`).join('\n');
      throw new Error(`scan ended ${progress.status}: ${JSON.stringify(progress.failedJobs)}\n${logs}`);
    }
    report = JSON.parse(readFileSync(join(progress.reportDir, 'report.json'), 'utf8')) as Report;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => stopServiceProcess(p)));
    await ctx?.queues.all().reduce((p, q) => p.then(() => q.obliterate({ force: true }).catch(() => undefined)), Promise.resolve());
    await ctx?.close();
  });

  it('writes a report that matches the versioned contract, with md and csv beside it', () => {
    expect(() => reportSchema.parse(report)).not.toThrow();
    expect(report.scanId).toMatch(/^scan-/);
    expect(report.dryRun).toBe(true);
    expect(report.accounts).toEqual(settings.simulation.accounts);
    expect(report.regions).toEqual(settings.aws.regions);
    expect(report.errors).toEqual([]);
  });

  it('inventories every resource of the simulated estate', () => {
    const simulator = createSimulatedAws(configSchema.parse(settings).simulation, settings.aws.regions);
    expect(report.inventory.byKind).toEqual(simulator.inventoryCounts());
    expect(report.inventory.total).toBe(Object.values(simulator.inventoryCounts()).reduce((a, b) => a + b, 0));
  });

  it('finds every planted waste case of the registered checks and nothing on healthy resources', () => {
    const simulator = createSimulatedAws(configSchema.parse(settings).simulation, settings.aws.regions);
    const checkIds = new Set(CHECKS.map((c) => c.id));
    const key = (x: { checkId: string; accountId: string; region: string; resourceId: string }) => `${x.checkId}|${x.accountId}|${x.region}|${x.resourceId}`;
    const planted = new Set(simulator.plantedWaste().filter((p) => checkIds.has(p.checkId)).map(key));
    const found = new Set([...report.recommendations, ...report.suppressed].map(key));
    const truePositives = [...found].filter((k) => planted.has(k)).length;
    const precision = found.size ? truePositives / found.size : 1;
    const recall = planted.size ? truePositives / planted.size : 1;
    console.log(`e2e: planted ${planted.size}, found ${found.size}, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
    expect(planted.size).toBeGreaterThan(0);
    expect([...planted].filter((k) => !found.has(k))).toEqual([]);
    expect([...found].filter((k) => !planted.has(k))).toEqual([]);
    const healthy = new Set(simulator.healthyResources().map((h) => `${h.accountId}|${h.region}|${h.resourceId}`));
    const onHealthy = [...report.recommendations, ...report.suppressed].filter((r) => healthy.has(`${r.accountId}|${r.region}|${r.resourceId}`));
    expect(onHealthy).toEqual([]);
  });

  it('prices every recommendation and totals them', () => {
    for (const r of report.recommendations) expect(r.monthlySavingsUsd).toBeGreaterThan(0);
    const sum = report.recommendations.reduce((s, r) => s + r.monthlySavingsUsd, 0);
    expect(report.totals.monthlySavingsUsd).toBeCloseTo(sum, 2);
    expect(report.totals.recommendations).toBe(report.recommendations.length);
  });

  it('counts the AWS calls the scan made, with GetMetricData batched per region', () => {
    const calls = report.apiUsage.calls;
    expect(calls['ec2.DescribeInstances']).toBeGreaterThanOrEqual(4);
    const partitions = settings.simulation.accounts.length * settings.aws.regions.length;
    expect(calls['cloudwatch.GetMetricData']).toBeGreaterThanOrEqual(partitions);
    expect(calls['cloudwatch.GetMetricData']).toBeLessThanOrEqual(partitions * 3);
    expect(report.apiUsage.metricsRequested).toBeGreaterThan(0);
  });
});
