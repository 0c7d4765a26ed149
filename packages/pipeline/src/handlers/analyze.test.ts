// The analysis job per (account, region, kind) on a real Redis against the simulated account: it fetches only its
// kind's metrics, stores them under that kind, reports its batches as progress, counts the calls of a failed job,
// and a job queued before analysis was per kind (no `kind`) still analyses its whole partition.
import type { ResourceKind } from '@finops/core';
import { type HandlerContext, type JobProgress, type ScanPlan } from '@finops/queues';
import { describe, expect, it } from 'vitest';
import type { AwsRuntime } from '../aws-runtime.js';
import { analyzeHandler } from './analyze.js';
import { handlerTestKit, silentLogger as logger, testPlan, type HandlerEnv } from './handler-test-kit.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const KINDS: ResourceKind[] = ['ec2-instance', 'ebs-volume', 'ebs-snapshot'];

describe('analysis job per kind', () => {
  const kit = handlerTestKit('analyze');
  const setup = (simulation: Record<string, unknown> = {}) =>
    kit.setup({
      aws: { provider: 'simulated', regions: [REGION] },
      simulation: { seed: 11, accounts: [ACCOUNT], resourcesPerRegion: 120, ...simulation },
    });

  /** A scan whose inventory is listed for real through the simulator. */
  const discoveredScan = async ({ runtime, store }: HandlerEnv): Promise<ScanPlan> => {
    const plan = testPlan({ accounts: [ACCOUNT], regions: [REGION], kinds: KINDS });
    await store.createScan(plan);
    for (const kind of KINDS) {
      await store.saveInventory(plan.scanId, ACCOUNT, REGION, kind, await runtime.access.discover(kind, { accountId: ACCOUNT, region: REGION }));
    }
    return plan;
  };

  const context = (id: string, progress: JobProgress[] = [], attemptsMade = 0): HandlerContext =>
    ({ job: { id, attemptsMade }, logger, progress: async (p: JobProgress) => void progress.push(p) }) as unknown as HandlerContext;
  const getMetricData = (runtime: AwsRuntime) => runtime.simulator?.stats().calls['cloudwatch.GetMetricData'] ?? 0;

  it("fetches and stores one kind's metrics, with its batches as progress", async () => {
    const env = setup();
    const plan = await discoveredScan(env);
    const progress: JobProgress[] = [];
    const result = await analyzeHandler(env.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kind: 'ec2-instance' }, context('a', progress));
    const instances = await env.store.loadInventory(plan.scanId, ACCOUNT, REGION, ['ec2-instance']);
    expect(instances.length).toBeGreaterThan(0);
    expect(result).toMatchObject({ status: 'completed', resources: instances.length });
    const ec2 = await env.store.loadMetrics(plan.scanId, ACCOUNT, REGION, ['ec2-instance']);
    expect(ec2.map((m) => m.resourceId).sort()).toEqual(instances.map((r) => r.id).sort());
    expect(ec2.every((m) => m.kind === 'ec2-instance' && m.metrics.cpuUtilization !== undefined)).toBe(true);
    // Nothing of the other kinds was fetched or stored.
    expect(await env.store.loadMetrics(plan.scanId, ACCOUNT, REGION, ['ebs-volume'])).toEqual([]);
    const last = progress.at(-1)!;
    expect(progress[0]).toMatchObject({ stage: 'analyze', done: 0 });
    expect(last).toMatchObject({ stage: 'analyze', done: last.total });
    expect(last.total).toBe(getMetricData(env.runtime));
  });

  it('skips a kind no enabled check reads metrics of, without a call', async () => {
    const env = setup();
    const plan = await discoveredScan(env);
    const before = getMetricData(env.runtime);
    const result = await analyzeHandler(env.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kind: 'ebs-snapshot' }, context('b'));
    expect(result).toMatchObject({ status: 'skipped' });
    expect(getMetricData(env.runtime)).toBe(before);
  });

  it('a job without a kind (queued by an older version) analyses and stores every kind of its partition', async () => {
    const env = setup();
    const plan = await discoveredScan(env);
    await analyzeHandler(env.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION }, context('c'));
    const volumes = await env.store.loadInventory(plan.scanId, ACCOUNT, REGION, ['ebs-volume']);
    const stored = await env.store.loadMetrics(plan.scanId, ACCOUNT, REGION, ['ebs-volume']);
    expect(stored.length).toBe(volumes.length);
    expect((await env.store.loadMetrics(plan.scanId, ACCOUNT, REGION, ['ec2-instance'])).length).toBeGreaterThan(0);
  });

  it('counts the calls of an attempt that fails, and records what to fix', async () => {
    const env = setup({ denied: [{ action: 'cloudwatch:GetMetricData' }] });
    const plan = await discoveredScan(env);
    const id = `${plan.scanId}.analyze.${ACCOUNT}.${REGION}.ec2-instance`;
    const result = await analyzeHandler(env.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kind: 'ec2-instance' }, context(id));
    expect(result).toMatchObject({ status: 'failed' });
    const usage = await env.store.usage(plan.scanId);
    expect(usage.calls['cloudwatch.GetMetricData']).toBeGreaterThanOrEqual(1);
    const errors = await env.store.errors(plan.scanId);
    expect(errors).toEqual([expect.objectContaining({ stage: 'analysis', accountId: ACCOUNT, region: REGION, kind: 'ec2-instance', action: 'cloudwatch:GetMetricData' })]);
  });
});
