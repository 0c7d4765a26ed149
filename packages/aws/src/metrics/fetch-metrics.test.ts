// fetchMetrics against a mocked CloudWatch: batching, pagination, every datapoint, no-data as null.
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type GetMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { AwsAccessError, type EbsVolume, type Resource } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { inScope, mockedAccess, runningInstance, SCOPE } from '../__fixtures__/test-access.js';
import { MAX_DATAPOINTS_PER_CALL } from './plan-metric-batches.js';

const cloudwatch = mockClient(CloudWatchClient);
afterEach(() => cloudwatch.reset());

const NOW = new Date('2024-06-15T10:30:00Z');
const base = inScope();

const instance = (id: string): Resource => runningInstance(id);

const volume: Resource = {
  ...base,
  kind: 'ebs-volume',
  id: 'vol-1',
  volumeType: 'gp3',
  sizeGiB: 10,
  state: 'available',
  attachments: [],
  encrypted: false,
  createTime: '2024-01-01T00:00:00.000Z',
};
const snapshot: Resource = {
  ...base,
  kind: 'ebs-snapshot',
  id: 'snap-1',
  volumeSizeGiB: 10,
  startTime: '2024-01-01T00:00:00.000Z',
  state: 'completed',
  storageTier: 'standard',
  encrypted: false,
  usedByImages: [],
  sourceVolumeExists: false,
};
const address: Resource = { ...base, kind: 'elastic-ip', id: 'eipalloc-1', allocationId: 'eipalloc-1', publicIp: '203.0.113.1', domain: 'vpc' };
const database: Resource = {
  ...base,
  kind: 'rds-instance',
  id: 'orders-db',
  dbInstanceClass: 'db.m5.large',
  engine: 'postgres',
  multiAz: false,
  storageType: 'gp3',
  allocatedStorageGiB: 100,
  status: 'available',
  createdAt: '2024-01-01T00:00:00.000Z',
};
const fn: Resource = {
  ...base,
  kind: 'lambda-function',
  id: 'resize-images',
  memoryMb: 1024,
  architecture: 'arm64',
  timeoutSec: 30,
  lastModified: '2024-01-01T00:00:00.000Z',
};

type Query = NonNullable<GetMetricDataCommandInput['MetricDataQueries']>[number];

/** One datapoint per period of the window for every query, valued by `value(query, index)`. */
function fullAnswer(input: GetMetricDataCommandInput, value: (query: Query, index: number) => number): GetMetricDataCommandOutput {
  const start = (input.StartTime as Date).getTime();
  const end = (input.EndTime as Date).getTime();
  return {
    $metadata: {},
    MetricDataResults: (input.MetricDataQueries ?? []).map((query) => {
      const periodMs = (query.MetricStat?.Period ?? 3600) * 1000;
      const timestamps: Date[] = [];
      for (let t = start; t < end; t += periodMs) timestamps.push(new Date(t));
      return { Id: query.Id, StatusCode: 'Complete', Timestamps: timestamps, Values: timestamps.map((_, i) => value(query, i)) };
    }),
  };
}

describe('fetchMetrics', () => {
  it('batches 1,000 instances at 14 days: CPU hourly and network daily together, 6 calls of 500, at most 4 in flight', async () => {
    const inputs: GetMetricDataCommandInput[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    cloudwatch.on(GetMetricDataCommand).callsFake(async (input: GetMetricDataCommandInput) => {
      inputs.push(input);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return fullAnswer(input, () => 1);
    });
    const resources = Array.from({ length: 1000 }, (_, i) => instance(`i-${String(i).padStart(17, '0')}`));
    const { access } = mockedAccess();

    const metrics = await access.fetchMetrics(SCOPE, resources, { lookbackDays: 14, periodSec: 3600, now: NOW });

    // One window for all, from the midnight before the hourly window: CPU 346 hourly points (14 days and 10 hours),
    // network in and out 15 daily ones, 376 an instance. 3,000 queries: 6 calls of 500 (the 500-query cap binds, at
    // 62,446 or 62,777 points a call), where CPU in calls of 300 and network in calls of 500 took 4 + 4, all hourly 10.
    expect(inputs).toHaveLength(6);
    expect(inputs.map((input) => input.MetricDataQueries?.length)).toEqual([500, 500, 500, 500, 500, 500]);
    for (const input of inputs) {
      expect(input.StartTime).toEqual(new Date('2024-06-01T00:00:00Z'));
      expect(input.EndTime).toEqual(new Date('2024-06-15T10:00:00Z'));
      const periods = (input.MetricDataQueries ?? []).map((query) => query.MetricStat?.Period as number);
      expect(new Set(periods)).toEqual(new Set([3600, 86400]));
      const points = periods.reduce((sum, period) => sum + Math.ceil((346 * 3600) / period), 0);
      expect(points).toBeLessThanOrEqual(MAX_DATAPOINTS_PER_CALL);
    }
    for (const input of inputs) for (const query of input.MetricDataQueries ?? []) expect(query.Id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
    expect(new Set(inputs.flatMap((input) => input.MetricDataQueries?.map((query) => query.Id))).size).toBe(3000);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(metrics).toHaveLength(1000);
    expect(metrics[999]).toMatchObject({ resourceId: 'i-00000000000000999', kind: 'ec2-instance', lookbackDays: 14 });
    // The 10 hours before the hourly window are left out of the summary.
    expect(metrics[999]?.metrics.cpuUtilization).toMatchObject({ datapoints: 336, expectedDatapoints: 336, stat: 'Average' });
    expect(metrics[999]?.metrics.networkInBytes).toMatchObject({ datapoints: 15, expectedDatapoints: 14, periodSec: 86400 });
    access.close();
  });

  it('caps a call at 500 queries when the period is daily', async () => {
    const sizes: number[] = [];
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      sizes.push(input.MetricDataQueries?.length ?? 0);
      return fullAnswer(input, () => 0);
    });
    const { access } = mockedAccess();
    await access.fetchMetrics(
      SCOPE,
      Array.from({ length: 600 }, (_, i) => instance(`i-${i}`)),
      { lookbackDays: 14, periodSec: 86400, now: NOW },
    );
    expect(sizes.sort((a, b) => b - a)).toEqual([500, 500, 500, 300]);
    access.close();
  });

  it('fetches daily definitions at 86,400 s over the utilization window, in the hourly queries\' call, one datapoint a day', async () => {
    const inputs: GetMetricDataCommandInput[] = [];
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      inputs.push(input);
      // Day n of the window (from 1) is worth n: each summary day must be one datapoint, not a fold of several.
      return fullAnswer(input, (query, index) => (query.MetricStat?.Period === 86400 ? index + 1 : 1));
    });
    const alb: Resource = {
      ...base,
      kind: 'load-balancer',
      id: 'web',
      arn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188',
      type: 'application',
      scheme: 'internet-facing',
      state: 'active',
      createdTime: '2024-01-01T00:00:00.000Z',
      availabilityZones: [],
      targetGroups: 1,
      registeredTargets: 1,
      healthyTargets: 1,
    };
    const { access } = mockedAccess();
    const [ec2, lb] = await access.fetchMetrics(SCOPE, [instance('i-1'), alb], { lookbackDays: 14, periodSec: 3600, now: NOW });
    access.close();

    const shapes = inputs.map((input) => ({
      metrics: (input.MetricDataQueries ?? []).map((query) => `${query.MetricStat?.Metric?.MetricName} ${query.MetricStat?.Period}`),
      start: (input.StartTime as Date).toISOString(),
      end: (input.EndTime as Date).toISOString(),
    }));
    // One call, each query at its own period, from the midnight before the hourly window's first hour: 14 whole days
    // and today until 10:00, as UTC days.
    expect(shapes).toEqual([
      {
        metrics: ['CPUUtilization 3600', 'NetworkIn 86400', 'NetworkOut 86400', 'RequestCount 86400'],
        start: '2024-06-01T00:00:00.000Z',
        end: '2024-06-15T10:00:00.000Z',
      },
    ]);

    const days = Array.from({ length: 15 }, (_, i) => ({ date: `2024-06-${String(i + 1).padStart(2, '0')}`, value: i + 1 }));
    // One datapoint a day is expected: coverage is a fraction of lookbackDays, not of 336 hours.
    const perDay = { periodSec: 86400, stat: 'Sum', datapoints: 15, expectedDatapoints: 14, sum: 120, max: 15, daily: days };
    expect(ec2?.metrics.networkInBytes).toMatchObject(perDay);
    expect(ec2?.metrics.networkOutBytes).toMatchObject(perDay);
    expect(ec2?.metrics.cpuUtilization).toMatchObject({ periodSec: 3600, datapoints: 336, expectedDatapoints: 336 });
    expect(lb?.metrics.lbRequestCount).toMatchObject(perDay);
  });

  it('asks for the right metric, statistic, dimension and period per kind, and skips kinds without metrics', async () => {
    const queries: Query[] = [];
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      queries.push(...(input.MetricDataQueries ?? []));
      return fullAnswer(input, () => 2);
    });
    const { access } = mockedAccess();
    const provisioned: EbsVolume = { ...(volume as EbsVolume), id: 'vol-io2', volumeType: 'io2', iops: 8000 };
    const metrics = await access.fetchMetrics(SCOPE, [snapshot, instance('i-1'), address, volume, provisioned, database, fn], {
      lookbackDays: 7,
      periodSec: 3600,
      now: NOW,
    });

    // In planned order (ids m0, m1, …), whichever call carried them.
    queries.sort((a, b) => Number(a.Id?.slice(1)) - Number(b.Id?.slice(1)));
    const asked = queries.map((query) => {
      const stat = query.MetricStat;
      return `${stat?.Metric?.Namespace} ${stat?.Metric?.MetricName} ${stat?.Stat} ${stat?.Metric?.Dimensions?.[0]?.Name}=${stat?.Metric?.Dimensions?.[0]?.Value} ${stat?.Period}`;
    });
    expect(asked).toEqual([
      'AWS/EC2 CPUUtilization Average InstanceId=i-1 3600',
      'AWS/EC2 NetworkIn Sum InstanceId=i-1 86400',
      'AWS/EC2 NetworkOut Sum InstanceId=i-1 86400',
      // Daily totals of a gp3 volume; an io2 volume's busiest hour is read against its provisioned IOPS.
      'AWS/EBS VolumeReadOps Sum VolumeId=vol-1 86400',
      'AWS/EBS VolumeWriteOps Sum VolumeId=vol-1 86400',
      'AWS/EBS VolumeReadOps Sum VolumeId=vol-io2 3600',
      'AWS/EBS VolumeWriteOps Sum VolumeId=vol-io2 3600',
      'AWS/RDS CPUUtilization Average DBInstanceIdentifier=orders-db 3600',
      'AWS/RDS DatabaseConnections Maximum DBInstanceIdentifier=orders-db 3600',
      'AWS/Lambda Invocations Sum FunctionName=resize-images 3600',
      'AWS/Lambda Errors Sum FunctionName=resize-images 3600',
      'AWS/Lambda Duration Average FunctionName=resize-images 3600',
    ]);
    expect(metrics.map((entry) => entry.resourceId)).toEqual(['i-1', 'vol-1', 'vol-io2', 'orders-db', 'resize-images']);
    expect(Object.keys(metrics[0]?.metrics ?? {})).toEqual(['cpuUtilization', 'networkInBytes', 'networkOutBytes']);
    expect(metrics[1]?.metrics.ebsReadOps).toMatchObject({ periodSec: 86_400, expectedDatapoints: 7 });
    expect(metrics[2]?.metrics.ebsReadOps).toMatchObject({ periodSec: 3600, expectedDatapoints: 168 });
    expect(metrics[3]?.metrics.databaseConnections).toMatchObject({ stat: 'Maximum', max: 2, datapoints: 168 });
    expect(Object.keys(metrics[4]?.metrics ?? {})).toEqual(['lambdaInvocations', 'lambdaErrors', 'lambdaDurationMs']);
    access.close();
  });

  it('follows NextToken and uses every datapoint of the window, not the first page only', async () => {
    const tokens: (string | undefined)[] = [];
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const queries = input.MetricDataQueries ?? [];
      tokens.push(input.NextToken);
      // CPU comes first; the daily network queries of the same call get no datapoints at all.
      const cpu = queries[0]?.Id as string;
      const hour = (h: number) => new Date(Date.UTC(2024, 5, 1 + Math.floor(h / 24), 10 + (h % 24)));
      if (!input.NextToken) {
        return {
          MetricDataResults: [
            // 100 low values on the first page…
            { Id: cpu, StatusCode: 'PartialData', Timestamps: Array.from({ length: 100 }, (_, h) => hour(h)), Values: Array(100).fill(1) },
          ],
          NextToken: 'page-2',
        };
      }
      return {
        MetricDataResults: [
          // …and the peak only on the second page.
          { Id: cpu, StatusCode: 'Complete', Timestamps: [hour(100), hour(101)], Values: [97, 55] },
          { Id: 'mUnknown', StatusCode: 'Complete', Timestamps: [hour(1)], Values: [1] },
        ],
      };
    });
    const { access } = mockedAccess();
    const [entry] = await access.fetchMetrics(SCOPE, [instance('i-1')], { lookbackDays: 14, periodSec: 3600, now: NOW });

    expect(tokens).toEqual([undefined, 'page-2']);
    expect(entry?.metrics.cpuUtilization).toMatchObject({ datapoints: 102, expectedDatapoints: 336, max: 97, p99: 55, min: 1 });
    expect(entry?.metrics.cpuUtilization?.daily.find((day) => day.date === '2024-06-05')?.value).toBe(97);
    // No datapoints is "no data", never zero.
    expect(entry?.metrics.networkInBytes).toBeNull();
    expect(entry?.metrics.networkOutBytes).toBeNull();
    access.close();
  });

  it('throws AwsAccessError for cloudwatch:GetMetricData', async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    const { access } = mockedAccess();
    const error = await access
      .fetchMetrics(SCOPE, [instance('i-1')], { lookbackDays: 14, periodSec: 3600, now: NOW })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAccessError);
    expect(error).toMatchObject({ action: 'cloudwatch:GetMetricData', code: 'Throttling', retryable: true });
    access.close();
  });

  it('makes no call for resources without metrics', async () => {
    const { access } = mockedAccess();
    expect(await access.fetchMetrics(SCOPE, [snapshot, address], { lookbackDays: 14, periodSec: 3600 })).toEqual([]);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    access.close();
  });
});
