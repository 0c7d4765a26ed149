// The discovery job on a real Redis against the simulated account: the calls of an attempt that fails are counted,
// a permanent failure is recorded with what to fix, and a retryable one reaches BullMQ with its calls counted too.
import { checkGroups } from '@finops/checks';
import type { Resource } from '@finops/core';
import { buildScanFlow, jobId, newScanId, scanJobs, type HandlerContext, type ScanPlan } from '@finops/queues';
import { flowJobOptions } from '../scan.js';
import { describe, expect, it, vi } from 'vitest';
import { discoverHandler } from './discover.js';
import { handlerTestKit, silentLogger as logger, testPlan, type HandlerEnv } from './handler-test-kit.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

describe('discovery job', () => {
  const kit = handlerTestKit('discover');
  const setup = (simulation: Record<string, unknown>, aws: Record<string, unknown> = {}) =>
    kit.setup({
      aws: { provider: 'simulated', regions: [REGION], ...aws },
      simulation: { seed: 5, accounts: [ACCOUNT], resourcesPerRegion: 40, ...simulation },
    });
  /** A scan whose discovery queues analysis, stored and its flow added, as startScan does it. */
  const queuedScan = async ({ store, deps, config }: Pick<HandlerEnv, 'store' | 'deps' | 'config'>, kinds: ScanPlan['kinds']): Promise<ScanPlan> => {
    const plan = testPlan({ accounts: [ACCOUNT], regions: [REGION], kinds, checkGroups: checkGroups(kinds), analysisQueuedByDiscovery: true });
    await store.createScan(plan);
    await deps.queues.flows().add(buildScanFlow(plan, flowJobOptions(config)));
    return plan;
  };
  const context = (id: string): HandlerContext => ({ job: { id, attemptsMade: 0 }, logger, progress: async () => undefined }) as unknown as HandlerContext;

  it('records a denied listing with its action, and counts the call AWS answered', async () => {
    const { store, deps } = setup({ denied: [{ action: 'ec2:DescribeVolumes' }] });
    const scanId = newScanId();
    const result = await discoverHandler(deps)({ scanId, accountId: ACCOUNT, region: REGION, kind: 'ebs-volume' }, context(`${scanId}.d1`));
    expect(result).toMatchObject({ status: 'failed' });
    expect((await store.usage(scanId)).calls['ec2.DescribeVolumes']).toBe(1);
    expect(await store.errors(scanId)).toEqual([
      expect.objectContaining({ stage: 'discovery', accountId: ACCOUNT, region: REGION, kind: 'ebs-volume', action: 'ec2:DescribeVolumes' }),
    ]);
  });

  it('counts every attempt of a job that fails on throttling before BullMQ retries it', async () => {
    const { store, deps } = setup({ throttleRate: 1 }, { maxAttempts: 3 });
    const scanId = newScanId();
    await expect(discoverHandler(deps)({ scanId, accountId: ACCOUNT, region: REGION, kind: 'ebs-volume' }, context(`${scanId}.d2`))).rejects.toThrow();
    const usage = await store.usage(scanId);
    // The first call of a process is GetCallerIdentity (to map the simulated caller): throttled, it is tried three times.
    expect(Object.values(usage.calls).reduce((a, b) => a + b, 0)).toBe(3);
    expect(usage.throttled).toBe(3);
  });

  it('on a plan whose discovery queues analysis, adds the kind\'s analysis to its check job once the kind is listed, once', async () => {
    const { store, deps, config } = setup({ resourcesPerRegion: 200 });
    const plan = await queuedScan({ store, deps, config }, ['lambda-function', 'ebs-volume']);
    const analysis = deps.queues.get(`analysis-${REGION}`);
    const analyzeId = (kind: ScanPlan['kinds'][number]) => jobId.analyze({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kind });
    expect(await analysis.getJob(analyzeId('lambda-function'))).toBeUndefined();

    // What the analysis found stored when it was queued: the functions as listed (the ListTags calls still to come).
    let listedThen: number | undefined;
    const original = analysis.add.bind(analysis);
    const spy = vi.spyOn(analysis, 'add').mockImplementation(async (...args) => {
      listedThen = (await store.loadInventory(plan.scanId, ACCOUNT, REGION, ['lambda-function'])).length;
      return original(...args);
    });
    const payload = { scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kind: 'lambda-function' as const };
    const result = await discoverHandler(deps)(payload, context(`${plan.scanId}.d3`));
    expect(result).toMatchObject({ status: 'completed' });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(listedThen).toBe((result as { resources: number }).resources);
    const job = (await analysis.getJob(analyzeId('lambda-function')))!;
    expect(job.data).toEqual(payload);
    expect(job.parent).toEqual({ id: jobId.check({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kinds: ['lambda-function'] }), queueKey: `${config.redis.prefix}:optimizer` });
    // A retried discovery job adds nothing new.
    await discoverHandler(deps)(payload, context(`${plan.scanId}.d3`));
    expect(await analysis.getJobCountByTypes('waiting', 'prioritized', 'active')).toBe(1);
    spy.mockRestore();
    // The stored inventory is the tagged one.
    expect((await store.loadInventory(plan.scanId, ACCOUNT, REGION, ['lambda-function'])).some((r) => Object.keys(r.tags).length > 0)).toBe(true);
    expect(scanJobs(plan).map((j) => j.id)).toContain(job.id);
    for (const queue of deps.queues.all()) await queue.obliterate({ force: true });
  });

  it('queues the analysis of a kind whose listing was denied too, so its check job is not left waiting for it', async () => {
    const { store, deps, config } = setup({ denied: [{ action: 'ec2:DescribeVolumes' }] });
    const kinds: ScanPlan['kinds'] = ['ebs-volume'];
    const plan = await queuedScan({ store, deps, config }, kinds);
    const result = await discoverHandler(deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kind: 'ebs-volume' }, context(`${plan.scanId}.d4`));
    expect(result).toMatchObject({ status: 'failed' });
    expect(await deps.queues.get(`analysis-${REGION}`).getJob(jobId.analyze({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kind: 'ebs-volume' }))).toBeDefined();
    expect(await store.loadInventory(plan.scanId, ACCOUNT, REGION, kinds)).toEqual([]);
    for (const queue of deps.queues.all()) await queue.obliterate({ force: true });
  });

  it('drops the listing it handed over when the discovery then fails for good, and keeps it for a retry', async () => {
    const { store, deps, config } = setup({ resourcesPerRegion: 200 });
    const scope = { accountId: ACCOUNT, region: REGION };
    const functions = await deps.aws.access.discover('lambda-function', scope);
    const failingAfterListing = (error: Error) => ({
      ...deps,
      aws: {
        ...deps.aws,
        access: {
          ...deps.aws.access,
          discover: async (_kind: string, _scope: unknown, options?: { onListed?: (listed: readonly Resource[]) => Promise<void> }) => {
            await options?.onListed?.(functions);
            throw error;
          },
        },
      } as typeof deps.aws,
    });
    const plan = await queuedScan({ store, deps, config }, ['lambda-function']);
    const payload = { scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kind: 'lambda-function' as const };
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 }, $retryable: { throttling: true } });
    await expect(discoverHandler(failingAfterListing(throttled))(payload, context(`${plan.scanId}.d5`))).rejects.toThrow();
    // Retryable: the listing stays for the analysis already queued on it; the retry replaces it.
    expect(await store.loadInventory(plan.scanId, ACCOUNT, REGION, ['lambda-function'])).toHaveLength(functions.length);
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    expect(await discoverHandler(failingAfterListing(denied))(payload, context(`${plan.scanId}.d5`))).toMatchObject({ status: 'failed' });
    expect(await store.loadInventory(plan.scanId, ACCOUNT, REGION, ['lambda-function'])).toEqual([]);
    expect(await deps.queues.get(`analysis-${REGION}`).getJob(jobId.analyze(payload))).toBeDefined();
    for (const queue of deps.queues.all()) await queue.obliterate({ force: true });
  });
});
