// The costs job and the shared cost cache on a real Redis against the simulated account: one set of Cost Explorer
// requests for concurrent replicas, none for a cached scan, and a clear error when Cost Explorer is denied.
import { configSchema, type ConfigInput } from '@finops/core';
import { newScanId, type HandlerContext, type ScanPlan, type ScanStore } from '@finops/queues';
import { summarizeCosts } from '@finops/reports';
import { describe, expect, it } from 'vitest';
import type { AwsRuntime } from '../aws-runtime.js';
import { costLookbackDays, costsHandler } from './costs.js';
import { handlerTestKit, silentLogger as logger } from './handler-test-kit.js';

const ACCOUNTS = ['111111111111', '222222222222'];
const ceRequests = (runtime: AwsRuntime) => {
  const calls = runtime.simulator?.stats().calls ?? {};
  return (calls['ce.GetCostAndUsage'] ?? 0) + (calls['ce.GetCostForecast'] ?? 0) + (calls['ce.GetDimensionValues'] ?? 0);
};

describe('costs job with the Redis cost cache', () => {
  const kit = handlerTestKit('costs');
  // Its own cache: the first test's cached costs would otherwise answer without asking Cost Explorer.
  const deniedPrefix = kit.ownPrefix('denied');

  const setup = (extra: ConfigInput = {}) =>
    kit.setup({
      aws: { provider: 'simulated', regions: ['eu-west-1'] },
      simulation: { seed: 3, accounts: ACCOUNTS, resourcesPerRegion: 10 },
      redis: { prefix: kit.prefix },
      costs: { lookbackDays: 90 },
      ...extra,
    });

  const newScan = async (store: ScanStore): Promise<ScanPlan> => {
    const plan: ScanPlan = {
      scanId: newScanId(),
      startedAt: new Date().toISOString(),
      provider: 'simulated',
      dryRun: true,
      accounts: ACCOUNTS,
      regions: ['eu-west-1'],
      kinds: ['ebs-volume'],
      trigger: 'test',
      costsRegion: 'us-east-1',
    };
    await store.createScan(plan);
    return plan;
  };
  const context = (scanId: string): HandlerContext => ({ job: { id: `${scanId}.costs`, attemptsMade: 0 }, logger }) as unknown as HandlerContext;

  it('makes one set of requests for two replicas fetching at once, and none for the next scan', async () => {
    const [a, b] = [setup(), setup()];
    const [planA, planB] = [await newScan(a.store), await newScan(b.store)];
    const [resultA, resultB] = await Promise.all([
      costsHandler(a.deps)({ scanId: planA.scanId, region: 'us-east-1' }, context(planA.scanId)),
      costsHandler(b.deps)({ scanId: planB.scanId, region: 'us-east-1' }, context(planB.scanId)),
    ]);
    // 2 accounts → 2 request sets of ceil(90 / 60) = 2 pages each, plus 1 forecast: made by exactly one replica.
    const requests = [ceRequests(a.runtime), ceRequests(b.runtime)].sort();
    expect(requests).toEqual([0, 5]);
    const results = [resultA, resultB] as { cached: boolean; costExplorerRequests: number; totalUsd: number }[];
    expect(results.map((r) => r.cached).sort()).toEqual([false, true]);
    expect(results.map((r) => r.costExplorerRequests).sort()).toEqual([0, 5]);
    expect(results[0]?.totalUsd).toBe(results[1]?.totalUsd);
    expect((await a.store.usage(planA.scanId)).costExplorerRequests + (await b.store.usage(planB.scanId)).costExplorerRequests).toBe(5);

    const later = await newScan(a.store);
    const before = ceRequests(a.runtime);
    const result = (await costsHandler(a.deps)({ scanId: later.scanId, region: 'us-east-1' }, context(later.scanId))) as { cached: boolean };
    expect(result.cached).toBe(true);
    expect(ceRequests(a.runtime)).toBe(before);
    expect((await a.store.usage(later.scanId)).costExplorerRequests).toBe(0);

    const dataset = await a.store.loadCosts(later.scanId);
    expect(dataset).toMatchObject({ metric: 'NetUnblendedCost', cached: true });
    expect(dataset?.series.total).toHaveLength(costLookbackDays(a.config, new Date()));
    expect(Object.keys(dataset?.series ?? {})).toEqual(expect.arrayContaining(['total', 'account:111111111111', 'account:222222222222', 'region:eu-west-1']));
    expect(dataset?.breakdown.length).toBeGreaterThan(0);
    expect(dataset?.forecast?.amountUsd).toBeGreaterThan(0);
    const summary = summarizeCosts(dataset, { topN: 3 });
    expect(summary).toMatchObject({ available: true, cached: true });
    expect(summary.byService).toHaveLength(3);
    expect(summary.byAccount.reduce((sum, g) => sum + g.usd, 0)).toBeCloseTo(summary.totalUsd, 0);
  });

  it('completes with an error entry for stage costs when Cost Explorer is denied, and stores no costs', async () => {
    const denied = setup({ redis: { prefix: deniedPrefix }, costs: { lookbackDays: 30 }, simulation: { seed: 3, accounts: ACCOUNTS, resourcesPerRegion: 10, denied: [{ action: 'ce:*' }] } });
    const plan = await newScan(denied.store);
    const result = await costsHandler(denied.deps)({ scanId: plan.scanId, region: 'us-east-1' }, context(plan.scanId));
    expect(result).toEqual({ status: 'failed', code: 'AccessDeniedException' });
    const errors = await denied.store.errors(plan.scanId);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ stage: 'costs', action: 'ce:GetCostAndUsage', code: 'AccessDeniedException' });
    expect(errors[0]?.hint).toMatch(/grant ce:GetCostAndUsage/);
    expect(await denied.store.loadCosts(plan.scanId)).toBeUndefined();
    // The denied request was made (and counted: AWS does not bill it, but the scan did ask).
    expect((await denied.store.usage(plan.scanId)).calls['ce.GetCostAndUsage']).toBe(1);
  });

  it('fetches anomaly detection\'s longer lookback, within what Cost Explorer keeps', () => {
    const config = configSchema.parse({ costs: { lookbackDays: 30 }, anomalyDetection: { lookbackDays: 120 } });
    expect(costLookbackDays(config, new Date('2026-11-26T00:00:00Z'))).toBe(120);
    expect(costLookbackDays({ ...config, anomalyDetection: { ...config.anomalyDetection, enabled: false } }, new Date())).toBe(30);
    const long = configSchema.parse({ costs: { lookbackDays: 393 }, anomalyDetection: { lookbackDays: 395 } });
    expect(costLookbackDays(long, new Date('2026-03-01T00:00:00Z'))).toBe(393);
  });
});
