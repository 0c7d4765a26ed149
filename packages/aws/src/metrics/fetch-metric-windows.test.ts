// fetchMetrics with a selection: only the metrics asked for, one query per metric across both windows, two summaries.
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type GetMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import type { MetricName, Resource } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { availableDatabase, inScope, mockedAccess, runningInstance, SCOPE } from '../__fixtures__/test-access.js';
import type { MetricSelection } from './fetch-metrics.js';

const cloudwatch = mockClient(CloudWatchClient);
afterEach(() => cloudwatch.reset());

const NOW = new Date('2024-06-30T10:30:00Z');
const base = inScope();
const fn: Resource = { ...base, kind: 'lambda-function', id: 'nightly', memoryMb: 512, architecture: 'x86_64', timeoutSec: 30, lastModified: '2024-01-01T00:00:00.000Z' };
const gateway: Resource = { ...base, kind: 'nat-gateway', id: 'nat-1', state: 'available', connectivityType: 'public', createTime: '2024-01-01T00:00:00.000Z', publicIps: [] };
const volume: Resource = {
  ...base,
  kind: 'ebs-volume',
  id: 'vol-1',
  volumeType: 'gp3',
  sizeGiB: 10,
  state: 'in-use',
  attachments: [],
  encrypted: false,
  createTime: '2024-01-01T00:00:00.000Z',
};

type Query = NonNullable<GetMetricDataCommandInput['MetricDataQueries']>[number];

/** fetchMetrics of `resources` with a selection, hourly at NOW, through an access of its own. */
async function fetchSelected(resources: Resource[], select: MetricSelection, lookbackDays = 14) {
  const { access } = mockedAccess();
  try {
    return await access.fetchMetrics(SCOPE, resources, { lookbackDays, periodSec: 3600, now: NOW, select });
  } finally {
    access.close();
  }
}

/** One datapoint per period over the call's window, valued 1 for every query. */
function ones(input: GetMetricDataCommandInput): GetMetricDataCommandOutput {
  const start = (input.StartTime as Date).getTime();
  const end = (input.EndTime as Date).getTime();
  return {
    $metadata: {},
    MetricDataResults: (input.MetricDataQueries ?? []).map((query: Query) => {
      const periodMs = (query.MetricStat?.Period ?? 3600) * 1000;
      const timestamps: Date[] = [];
      for (let t = start; t < end; t += periodMs) timestamps.push(new Date(t));
      return { Id: query.Id, StatusCode: 'Complete', Timestamps: timestamps, Values: timestamps.map(() => 1) };
    }),
  };
}

/** One datapoint per period over the call's window, valued by its own time: the same hour is worth the same in any call. */
function byTime(input: GetMetricDataCommandInput): GetMetricDataCommandOutput {
  const answer = ones(input);
  for (const result of answer.MetricDataResults ?? []) result.Values = (result.Timestamps ?? []).map((t) => ((t.getTime() / 3_600_000) % 97) + 1);
  return answer;
}

/** Each call's queries as `MetricName Period`, with the call's window. */
function callShapes(calls: readonly GetMetricDataCommandInput[]) {
  return calls.map((call) => ({
    metrics: (call.MetricDataQueries ?? []).map((q) => `${q.MetricStat?.Metric?.MetricName} ${q.MetricStat?.Period}`),
    start: (call.StartTime as Date).toISOString(),
    end: (call.EndTime as Date).toISOString(),
  }));
}

describe('fetchMetrics with a selection of metrics and windows', () => {
  it('asks once per metric: hourly over the longer window when both need it, daily when only the unused one does', async () => {
    const calls: GetMetricDataCommandInput[] = [];
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      calls.push(input);
      return ones(input);
    });
    const metrics = await fetchSelected([fn, gateway, volume], {
      utilization: { 'lambda-function': ['lambdaInvocations', 'lambdaErrors'] },
      unused: { lookbackDays: 30, metrics: { 'lambda-function': ['lambdaInvocations'], 'nat-gateway': ['natBytesOutToDestination'] } },
    });

    const asked = calls
      .flatMap((call) =>
        (call.MetricDataQueries ?? []).map(
          (q) => `${q.MetricStat?.Metric?.MetricName} ${q.MetricStat?.Period} ${(call.StartTime as Date).toISOString()} ${(call.EndTime as Date).toISOString()}`,
        ),
      )
      .sort();
    expect(asked).toEqual([
      'BytesOutToDestination 86400 2024-05-31T00:00:00.000Z 2024-06-30T00:00:00.000Z',
      'Errors 3600 2024-06-16T10:00:00.000Z 2024-06-30T10:00:00.000Z',
      'Invocations 3600 2024-05-31T10:00:00.000Z 2024-06-30T10:00:00.000Z',
    ]);

    const lambda = metrics.find((entry) => entry.resourceId === 'nightly');
    // The utilization summary keeps its own 14 days of the 30 fetched.
    expect(lambda?.metrics.lambdaInvocations).toMatchObject({ datapoints: 336, expectedDatapoints: 336, sum: 336, periodSec: 3600 });
    expect(lambda?.metrics.lambdaErrors).toMatchObject({ datapoints: 336 });
    // The unused summary folds the hourly points into days: 24 a day, partial days at both ends.
    expect(lambda?.unused?.lookbackDays).toBe(30);
    expect(lambda?.unused?.metrics.lambdaInvocations).toMatchObject({ periodSec: 86400, expectedDatapoints: 30, sum: 720, max: 24 });
    expect(lambda?.unused?.metrics.lambdaInvocations?.daily).toHaveLength(31);
    const nat = metrics.find((entry) => entry.resourceId === 'nat-1');
    expect(nat?.metrics).toEqual({});
    expect(nat?.unused?.metrics.natBytesOutToDestination).toMatchObject({ datapoints: 30, sum: 30, periodSec: 86400 });
    // Nothing was selected for volumes: no query, no entry.
    expect(metrics.map((entry) => entry.resourceId)).toEqual(['nightly', 'nat-1']);
  });

  it('asks a daily metric both windows need once, daily over the longer window, and cuts the utilization days', async () => {
    const calls: GetMetricDataCommandInput[] = [];
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      calls.push(input);
      return ones(input);
    });
    const instance = runningInstance('i-1');
    const network = { 'ec2-instance': ['networkInBytes'] as const };
    const [entry] = await fetchSelected([instance], { utilization: network, unused: { lookbackDays: 30, metrics: network } });

    const asked = calls.flatMap((call) =>
      (call.MetricDataQueries ?? []).map(
        (q) => `${q.MetricStat?.Metric?.MetricName} ${q.MetricStat?.Period} ${(call.StartTime as Date).toISOString()} ${(call.EndTime as Date).toISOString()}`,
      ),
    );
    expect(asked).toEqual(['NetworkIn 86400 2024-05-31T00:00:00.000Z 2024-06-30T10:00:00.000Z']);
    // The utilization summary keeps the days a daily query of its own window would hold: from the midnight before
    // 2024-06-16T10:00, 14 whole days and today so far.
    const utilization = entry?.metrics.networkInBytes;
    expect(utilization).toMatchObject({ periodSec: 86400, datapoints: 15, expectedDatapoints: 14, sum: 15 });
    expect(utilization?.daily[0]?.date).toBe('2024-06-16');
    expect(entry?.unused?.metrics.networkInBytes).toMatchObject({ periodSec: 86400, datapoints: 31, expectedDatapoints: 30, sum: 31 });
  });

  it('folds hourly averages and maxima into daily means and peaks', async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const start = (input.StartTime as Date).getTime();
      return {
        MetricDataResults: (input.MetricDataQueries ?? []).map((query) => ({
          Id: query.Id,
          StatusCode: 'Complete',
          // Two hours of the same UTC day, 20 days ago: 10 and 30.
          Timestamps: [new Date(start + 14 * 3_600_000), new Date(start + 15 * 3_600_000)],
          Values: [10, 30],
        })),
      };
    });
    const db = availableDatabase('orders');
    const both = { 'rds-instance': ['cpuUtilization', 'databaseConnections'] as const };
    const [entry] = await fetchSelected([db], { utilization: both, unused: { lookbackDays: 30, metrics: both } });
    expect(entry?.unused?.metrics.cpuUtilization).toMatchObject({ datapoints: 1, max: 20, stat: 'Average' });
    expect(entry?.unused?.metrics.databaseConnections).toMatchObject({ datapoints: 1, max: 30, stat: 'Maximum' });
    // Both hours are older than the 14-day utilization window: it has no datapoints, which is "no data".
    expect(entry?.metrics.cpuUtilization).toBeNull();
  });

  it('asks an instance\'s hourly CPU and daily network in one call, each at its own period, the CPU summary unchanged', async () => {
    const calls: GetMetricDataCommandInput[] = [];
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      calls.push(input);
      return byTime(input);
    });
    const fetch = async (metrics: readonly MetricName[]) => {
      calls.length = 0;
      const [entry] = await fetchSelected([runningInstance('i-1')], { utilization: { 'ec2-instance': metrics } });
      return { entry, shapes: callShapes(calls) };
    };

    const cpuOnly = await fetch(['cpuUtilization']);
    expect(cpuOnly.shapes).toEqual([{ metrics: ['CPUUtilization 3600'], start: '2024-06-16T10:00:00.000Z', end: '2024-06-30T10:00:00.000Z' }]);
    const withNetwork = await fetch(['cpuUtilization', 'networkInBytes', 'networkOutBytes']);
    // One call from the midnight before the hourly window: CPU returns 10 hours more, 346 points.
    expect(withNetwork.shapes).toEqual([
      {
        metrics: ['CPUUtilization 3600', 'NetworkIn 86400', 'NetworkOut 86400'],
        start: '2024-06-16T00:00:00.000Z',
        end: '2024-06-30T10:00:00.000Z',
      },
    ]);
    // The CPU summary leaves those hours out: datapoints, coverage, percentiles and days as when fetched alone.
    expect(cpuOnly.entry?.metrics.cpuUtilization).toMatchObject({ datapoints: 336, expectedDatapoints: 336 });
    expect(cpuOnly.entry?.metrics.cpuUtilization?.daily[0]).toMatchObject({ date: '2024-06-16' });
    expect(withNetwork.entry?.metrics.cpuUtilization).toEqual(cpuOnly.entry?.metrics.cpuUtilization);
    expect(withNetwork.entry?.metrics.networkInBytes).toMatchObject({ periodSec: 86400, datapoints: 15, expectedDatapoints: 14 });
  });

  it('leaves the earlier hours out of an unused summary too when both windows are as long', async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(byTime);
    const fetch = async (utilization: readonly MetricName[]) => {
      const [entry] = await fetchSelected(
        [runningInstance('i-1')],
        { utilization: { 'ec2-instance': utilization }, unused: { lookbackDays: 30, metrics: { 'ec2-instance': ['cpuUtilization'] } } },
        30,
      );
      return entry;
    };
    // CPU serves both 30-day windows with one hourly query, which the daily network moves to the midnight before.
    const cpuOnly = await fetch(['cpuUtilization']);
    const withNetwork = await fetch(['cpuUtilization', 'networkInBytes']);
    expect(cloudwatch.commandCalls(GetMetricDataCommand).map((call) => call.args[0].input.StartTime)).toEqual([
      new Date('2024-05-31T10:00:00Z'),
      new Date('2024-05-31T00:00:00Z'),
    ]);
    expect(cpuOnly?.unused?.metrics.cpuUtilization).toMatchObject({ periodSec: 86400, datapoints: 31 });
    expect(withNetwork?.unused).toEqual(cpuOnly?.unused);
    expect(withNetwork?.metrics.cpuUtilization).toEqual(cpuOnly?.metrics.cpuUtilization);
  });
});
