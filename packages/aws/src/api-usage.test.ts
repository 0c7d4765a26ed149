// The usage middleware on real clients (per attempt, per scope, Cost Explorer) and the usage arithmetic.
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { apiUsagePlugin, emptyApiUsage, estimateApiCostUsd, mergeApiUsage, withApiUsage } from './api-usage.js';
import { awsError, fakeAws, type FakeHandler } from './__fixtures__/fake-aws.js';
import { FAKE_CREDENTIALS } from './__fixtures__/test-access.js';

/** A real client with the usage plugin and, behind it, a deserialize/high middleware answering like the simulator. */
function client<C extends EC2Client | CostExplorerClient>(Client: new (config: object) => C, service: string, handler: FakeHandler): C {
  const instance = new Client({ region: 'us-east-1', credentials: FAKE_CREDENTIALS, retryMode: 'adaptive', maxAttempts: 3 });
  instance.middlewareStack.use(apiUsagePlugin(service));
  for (const plugin of fakeAws(handler).plugins({ accountId: '111111111111', region: 'us-east-1', service })) {
    instance.middlewareStack.use(plugin);
  }
  return instance;
}

describe('apiUsagePlugin', () => {
  it('sits inside the retry loop: each attempt and each throttle is counted', async () => {
    let attempts = 0;
    const ec2 = client(EC2Client, 'ec2', () => {
      attempts += 1;
      if (attempts === 1) throw awsError('RequestLimitExceeded', 503);
      return { Volumes: [] };
    });
    const { usage } = await withApiUsage(() => ec2.send(new DescribeVolumesCommand({ MaxResults: 1000 })));
    expect(usage.calls).toEqual({ 'ec2.DescribeVolumes': 2 });
    expect(usage.throttled).toBe(1);
    ec2.destroy();
  });

  it('counts nothing outside withApiUsage, and nothing of another scope', async () => {
    const ec2 = client(EC2Client, 'ec2', () => ({ Volumes: [] }));
    await ec2.send(new DescribeVolumesCommand({}));
    const [one, two] = await Promise.all([
      withApiUsage(() => ec2.send(new DescribeVolumesCommand({}))),
      withApiUsage(async () => {
        await ec2.send(new DescribeVolumesCommand({}));
        await ec2.send(new DescribeVolumesCommand({}));
      }),
    ]);
    expect(one.usage.calls).toEqual({ 'ec2.DescribeVolumes': 1 });
    expect(two.usage.calls).toEqual({ 'ec2.DescribeVolumes': 2 });
    ec2.destroy();
  });

  it('counts successful Cost Explorer requests, which are billed', async () => {
    const ce = client(CostExplorerClient, 'ce', () => ({ ResultsByTime: [] }));
    const input = { TimePeriod: { Start: '2024-01-01', End: '2024-02-01' }, Granularity: 'DAILY' as const, Metrics: ['UnblendedCost'] };
    const { usage } = await withApiUsage(async () => {
      await ce.send(new GetCostAndUsageCommand(input));
      await ce.send(new GetCostAndUsageCommand(input));
    });
    expect(usage).toMatchObject({ calls: { 'ce.GetCostAndUsage': 2 }, costExplorerRequests: 2 });
    expect(estimateApiCostUsd(usage)).toBeCloseTo(0.02, 10);
    ce.destroy();
  });
});

describe('usage arithmetic', () => {
  it('merges counts and estimates GetMetricData and Cost Explorer charges', () => {
    const a = { calls: { 'ec2.DescribeVolumes': 2 }, throttled: 1, metricsRequested: 3000, costExplorerRequests: 0 };
    const b = { calls: { 'ec2.DescribeVolumes': 1, 'ce.GetCostAndUsage': 4 }, throttled: 0, metricsRequested: 500, costExplorerRequests: 4 };
    const merged = mergeApiUsage(a, b);
    expect(merged).toEqual({
      calls: { 'ec2.DescribeVolumes': 3, 'ce.GetCostAndUsage': 4 },
      throttled: 1,
      metricsRequested: 3500,
      costExplorerRequests: 4,
    });
    expect(a.calls).toEqual({ 'ec2.DescribeVolumes': 2 });
    expect(estimateApiCostUsd(merged)).toBeCloseTo(0.035 + 0.04, 10);
    expect(estimateApiCostUsd(emptyApiUsage())).toBe(0);
  });
});
