// The discovery job on a real Redis against the simulated account: the calls of an attempt that fails are counted,
// a permanent failure is recorded with what to fix, and a retryable one reaches BullMQ with its calls counted too.
import { newScanId, type HandlerContext } from '@finops/queues';
import { describe, expect, it } from 'vitest';
import { discoverHandler } from './discover.js';
import { handlerTestKit, silentLogger as logger } from './handler-test-kit.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

describe('discovery job', () => {
  const kit = handlerTestKit('discover');
  const setup = (simulation: Record<string, unknown>, aws: Record<string, unknown> = {}) =>
    kit.setup({
      aws: { provider: 'simulated', regions: [REGION], ...aws },
      simulation: { seed: 5, accounts: [ACCOUNT], resourcesPerRegion: 40, ...simulation },
    });
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
});
