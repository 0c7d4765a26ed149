// End to end: the four worker services as separate processes run one full scan of the simulated account on a
// private Redis; the report must find exactly the waste the simulator planted for every registered check.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS } from '@finops/checks';
import { RESOURCE_KINDS, type Recommendation } from '@finops/core';
import { startServiceProcess, stopServiceProcess, type ServiceProcess } from '@finops/cli';
import { configSchema } from '@finops/core';
import { bootstrap, dismissRecommendation, startScan, trackingStoreFor, waitForScan, type ServiceContext } from '@finops/pipeline';
import { reportSchema, type Report } from '@finops/reports';
import { createSimulatedAws, TRUTH_CHECK_IDS } from '@finops/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { expectedSavings, inventoryOf } from './expected-savings.js';

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
  let scanId: string;

  beforeAll(async () => {
    writeFileSync(configFile, stringify(settings));
    const env = { ...process.env, FINOPS_CONFIG: configFile, REDIS_URL: testRedisUrl() };
    processes = WORKERS.map((name) => startServiceProcess(name, { env, logDir: join(dir, 'logs') }));
    ctx = await bootstrap({ service: 'e2e-test', argv: ['--config', configFile], env });
    const plan = await startScan(ctx, { trigger: 'test' });
    scanId = plan.scanId;
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

  it('finds exactly the planted waste of every registered check, and nothing on healthy resources', () => {
    const simulator = createSimulatedAws(configSchema.parse(settings).simulation, settings.aws.regions);
    // Every registered check has a ground truth: planted cases, or the estate's known absence of them.
    expect(CHECKS.map((c) => c.id).filter((id) => !TRUTH_CHECK_IDS.includes(id))).toEqual([]);
    const key = (x: { checkId: string; accountId: string; region: string; resourceId: string }) => `${x.checkId}|${x.accountId}|${x.region}|${x.resourceId}`;
    const plantedAll = simulator.plantedWaste();
    const foundAll = [...report.recommendations, ...report.suppressed];
    const lines: string[] = [];
    let plantedTotal = 0;
    let foundTotal = 0;
    let truePositives = 0;
    for (const check of CHECKS) {
      const planted = new Set(plantedAll.filter((p) => p.checkId === check.id).map(key));
      const found = new Set(foundAll.filter((r) => r.checkId === check.id).map(key));
      const hits = [...found].filter((k) => planted.has(k)).length;
      plantedTotal += planted.size;
      foundTotal += found.size;
      truePositives += hits;
      lines.push(`  ${check.id.padEnd(40)} planted ${String(planted.size).padStart(3)}  found ${String(found.size).padStart(3)}  precision ${(found.size ? hits / found.size : 1).toFixed(3)}  recall ${(planted.size ? hits / planted.size : 1).toFixed(3)}`);
      expect([...planted].filter((k) => !found.has(k)), `${check.id}: planted but not found`).toEqual([]);
      expect([...found].filter((k) => !planted.has(k)), `${check.id}: found but not planted`).toEqual([]);
    }
    const precision = foundTotal ? truePositives / foundTotal : 1;
    const recall = plantedTotal ? truePositives / plantedTotal : 1;
    console.log(`e2e: planted ${plantedTotal}, found ${foundTotal}, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}\n${lines.join('\n')}`);
    expect(plantedTotal).toBeGreaterThan(0);
    const healthy = new Set(simulator.healthyResources().map((h) => `${h.accountId}|${h.region}|${h.resourceId}`));
    const onHealthy = [...report.recommendations, ...report.suppressed].filter((r) => healthy.has(`${r.accountId}|${r.region}|${r.resourceId}`));
    expect(onHealthy).toEqual([]);
  });

  it('prices every recommendation within 1% of the price table\'s figure', async () => {
    const resources = (
      await Promise.all(
        report.accounts.flatMap((accountId) => report.regions.map((region) => ctx.store.loadInventory(scanId, accountId, region, RESOURCE_KINDS))),
      )
    ).flat();
    const inventory = inventoryOf(resources);
    const all = [...report.recommendations, ...report.suppressed];
    let expectedTotal = 0;
    let foundTotal = 0;
    let worst = { error: 0, id: '' };
    const off: string[] = [];
    for (const r of all) {
      const expected = expectedSavings(r, inventory, ctx.prices);
      expectedTotal += expected;
      foundTotal += r.monthlySavingsUsd;
      // Reports round to cents: half a cent (and float noise) is the floor of any tolerance.
      const rounding = 0.005 + 1e-9;
      const tolerance = Math.max(0.01 * expected, rounding);
      const difference = Math.abs(r.monthlySavingsUsd - expected);
      const error = expected > 0 ? difference / expected : difference;
      if (difference > rounding && error > worst.error) worst = { error, id: `${r.checkId} ${r.resourceId}` };
      if (difference > tolerance) off.push(`${r.checkId} ${r.resourceId}: ${r.monthlySavingsUsd} vs ${expected.toFixed(4)}`);
    }
    const totalError = expectedTotal > 0 ? Math.abs(foundTotal - expectedTotal) / expectedTotal : 0;
    console.log(
      `e2e: savings of ${all.length} recommendations $${foundTotal.toFixed(2)} vs price table $${expectedTotal.toFixed(2)}: error ${(100 * totalError).toFixed(3)}% in total, worst ${(100 * worst.error).toFixed(3)}% beyond rounding to cents${worst.id ? ` (${worst.id})` : ''}`,
    );
    expect(off).toEqual([]);
    expect(totalError).toBeLessThan(0.01);
    // Only checks that name a risk rather than a saving may report $0 (and RDS gp2 → gp3, priced the same per GB).
    const zeroAllowed = new Set(['lambda-unused-function', 'lambda-high-error-rate-function', 'rds-gp2-storage-instance']);
    expect(report.recommendations.filter((r) => r.monthlySavingsUsd === 0 && !zeroAllowed.has(r.checkId) && !r.checkId.startsWith('lambda-'))).toEqual([]);
  });

  it('totals the best exclusive set: alternatives on one resource are folded, not added', () => {
    const counted = report.recommendations.filter((r) => !r.foldedInto);
    const folded = report.recommendations.filter((r) => r.foldedInto);
    expect(report.totals.monthlySavingsUsd).toBeCloseTo(counted.reduce((s, r) => s + r.monthlySavingsUsd, 0), 2);
    expect(report.totals.recommendations).toBe(report.recommendations.length);
    expect(report.totals.folded).toEqual({ count: folded.length, monthlySavingsUsd: expect.closeTo(folded.reduce((s, r) => s + r.monthlySavingsUsd, 0), 2) });
    // Every idle instance has alternatives (rightsizing, Graviton…): they are folded into stopping it.
    const byId = new Map(report.recommendations.map((r) => [r.id, r]));
    const idle = report.recommendations.filter((r) => r.checkId === 'ec2-idle-instance');
    expect(idle.length).toBeGreaterThan(0);
    for (const r of idle) expect(r.foldedInto).toBeUndefined();
    for (const r of folded) {
      const into = byId.get(r.foldedInto as string) as Recommendation;
      const touches = (x: Recommendation) => new Set([x.resourceId, ...(x.relatedResourceIds ?? [])]);
      expect([...touches(r)].some((id) => touches(into).has(id)), `${r.id} shares no resource with ${into.id}`).toBe(true);
    }
  });

  it('fetches the scan\'s costs from Cost Explorer once, and counts what those requests cost', () => {
    expect(report.costs).toMatchObject({ available: true, cached: false, metric: 'NetUnblendedCost' });
    expect(report.costs?.totalUsd).toBeGreaterThan(0);
    expect(report.costs?.byAccount.map((a) => a.name).sort()).toEqual(settings.simulation.accounts);
    expect(report.apiUsage.costExplorerRequests).toBeGreaterThan(0);
    expect(report.apiUsage.calls['ce.GetCostAndUsage']).toBeGreaterThan(0);
    expect(report.apiUsage.estimatedCostUsd).toBeGreaterThanOrEqual(report.apiUsage.costExplorerRequests * 0.01);
  });

  it('answers a second scan\'s costs from the shared cache, with no Cost Explorer request', async () => {
    // A narrow scan keeps this quick; its costs cover the same accounts, so the same cached answer serves them.
    const plan = await startScan(ctx, { trigger: 'test', services: ['lambda'], regions: ['eu-west-1'] });
    const progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, { pollMs: 200, signal: AbortSignal.timeout(60_000) });
    expect(progress.status).toBe('completed');
    expect(progress.stages.costs).toMatchObject({ total: 1, completed: 1 });
    const second = JSON.parse(readFileSync(join(progress.reportDir as string, 'report.json'), 'utf8')) as Report;
    expect(second.apiUsage.costExplorerRequests).toBe(0);
    expect(second.costs).toMatchObject({ available: true, cached: true, totalUsd: report.costs?.totalUsd });
  }, 90_000);

  it('tracks recommendations across scans, and keeps dismissed ones out of the totals with their reason', async () => {
    // The narrow scan above (lambda, eu-west-1) saw its recommendations a second time.
    const tracking = trackingStoreFor(ctx);
    const lambda = report.recommendations.filter((r) => r.checkId === 'lambda-arm64-candidate-function' && r.region === 'eu-west-1');
    expect(lambda.length).toBeGreaterThan(0);
    const first = lambda[0] as Recommendation;
    expect(first.tracking).toEqual({ firstSeenAt: report.startedAt, lastSeenAt: report.startedAt, seenCount: 1 });
    expect((await tracking.get(first.id))?.seenCount).toBe(2);
    await dismissRecommendation(tracking, { id: first.id, reason: 'the team moves it to arm64 next sprint', until: '2099-01-31' }, new Date());
    const plan = await startScan(ctx, { trigger: 'test', services: ['lambda'], regions: ['eu-west-1'] });
    const progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, { pollMs: 200, signal: AbortSignal.timeout(60_000) });
    expect(progress.status).toBe('completed');
    const third = JSON.parse(readFileSync(join(progress.reportDir as string, 'report.json'), 'utf8')) as Report;
    expect(third.recommendations.map((r) => r.id)).not.toContain(first.id);
    expect(third.suppressed.find((r) => r.id === first.id)).toMatchObject({
      status: 'dismissed',
      suppression: { by: 'dismissal', reason: 'the team moves it to arm64 next sprint', until: '2099-02-01T00:00:00.000Z' },
      tracking: { firstSeenAt: report.startedAt, seenCount: 3 },
    });
    // Nothing resolved: the narrow scans judged only what they covered, and found it all again.
    expect(third.suppressed.filter((r) => r.status === 'resolved')).toEqual([]);
  }, 90_000);

  it('counts the AWS calls the scan made, with GetMetricData batched per region and kind', () => {
    const calls = report.apiUsage.calls;
    expect(calls['ec2.DescribeInstances']).toBeGreaterThanOrEqual(4);
    const partitions = settings.simulation.accounts.length * settings.aws.regions.length;
    // Analysis runs per (partition, kind); a small partition's queries of one kind and window fit one call: at most
    // one call per metered kind (6) and window (Lambda's invocations span the longer "unused" window too).
    expect(calls['cloudwatch.GetMetricData']).toBeGreaterThanOrEqual(partitions);
    expect(calls['cloudwatch.GetMetricData']).toBeLessThanOrEqual(partitions * 7);
    expect(calls['cloudwatch.GetMetricData']).toBeLessThan(report.apiUsage.metricsRequested / 10);
    expect(report.apiUsage.metricsRequested).toBeGreaterThan(0);
  });
});
