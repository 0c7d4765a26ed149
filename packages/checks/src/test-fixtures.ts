// Builders of realistic resources, metric summaries and configs for the checks' tests (not part of the API).
import { configSchema } from '@finops/core';
import type {
  Config,
  ConfigInput,
  EbsVolume,
  Ec2Instance,
  ElasticIp,
  MetricSummary,
  ResourceMetrics,
} from '@finops/core';
import { loadPriceTable } from '@finops/pricing';
import type { CheckContext } from './check.js';

export const NOW = new Date('2026-11-26T12:00:00.000Z');
export const prices = loadPriceTable();
export const ACCOUNT = '111111111111';

export function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * 86_400_000).toISOString();
}

export function instance(overrides: Partial<Ec2Instance> = {}): Ec2Instance {
  return {
    kind: 'ec2-instance',
    id: 'i-0123456789abcdef0',
    accountId: ACCOUNT,
    region: 'us-east-1',
    name: 'batch-worker-1',
    tags: { Name: 'batch-worker-1', team: 'data' },
    instanceType: 'm5.large',
    state: 'running',
    launchTime: daysAgo(90),
    platform: 'linux',
    architecture: 'x86_64',
    lifecycle: 'on-demand',
    volumeIds: ['vol-0aaaaaaaaaaaaaaa1'],
    availabilityZone: 'us-east-1a',
    ...overrides,
  };
}

export function volume(overrides: Partial<EbsVolume> = {}): EbsVolume {
  return {
    kind: 'ebs-volume',
    id: 'vol-0bbbbbbbbbbbbbbb1',
    accountId: ACCOUNT,
    region: 'us-east-1',
    name: 'scratch-1',
    tags: { Name: 'scratch-1' },
    volumeType: 'gp2',
    sizeGiB: 100,
    iops: 300,
    state: 'available',
    attachments: [],
    encrypted: true,
    createTime: daysAgo(45),
    availabilityZone: 'us-east-1a',
    ...overrides,
  };
}

export function address(overrides: Partial<ElasticIp> = {}): ElasticIp {
  return {
    kind: 'elastic-ip',
    id: 'eipalloc-0ccccccccccccccc1',
    accountId: ACCOUNT,
    region: 'us-east-1',
    tags: {},
    allocationId: 'eipalloc-0ccccccccccccccc1',
    publicIp: '203.0.113.10',
    domain: 'vpc',
    ...overrides,
  };
}

/** `days` daily values, one per UTC day ending yesterday. */
export function dailySeries(values: number[]): { date: string; value: number }[] {
  return values.map((value, index) => ({
    date: daysAgo(values.length - index).slice(0, 10),
    value,
  }));
}

/** An hourly summary over 14 days, full unless `datapoints` says otherwise. */
export function summary(overrides: Partial<MetricSummary> = {}): MetricSummary {
  return {
    periodSec: 3600,
    stat: 'Average',
    datapoints: 336,
    expectedDatapoints: 336,
    min: 0,
    max: 0,
    avg: 0,
    sum: 0,
    p95: 0,
    p99: 0,
    daily: [],
    ...overrides,
  };
}

/** Metrics of an instance: CPU p99 in percent and the same network bytes per day in and out. */
export function instanceMetrics(
  resourceId: string,
  { cpuP99, dailyInBytes, dailyOutBytes, datapoints = 336 }: { cpuP99: number; dailyInBytes: number[]; dailyOutBytes: number[]; datapoints?: number },
): ResourceMetrics {
  const bytes = (daily: number[]) =>
    summary({
      stat: 'Sum',
      datapoints,
      sum: daily.reduce((a, b) => a + b, 0),
      max: Math.max(...daily),
      daily: dailySeries(daily),
    });
  return {
    resourceId,
    kind: 'ec2-instance',
    lookbackDays: 14,
    metrics: {
      cpuUtilization: summary({ datapoints, p99: cpuP99, p95: cpuP99, max: cpuP99, avg: cpuP99 / 2 }),
      networkInBytes: bytes(dailyInBytes),
      networkOutBytes: bytes(dailyOutBytes),
    },
  };
}

export function config(input: ConfigInput = {}): Config {
  return configSchema.parse(input);
}

export function context(overrides: Partial<CheckContext> = {}): CheckContext {
  return { instancesById: new Map(), lookbackDays: 14, unusedLookbackDays: 30, ...overrides };
}

export function days(count: number, value: number): number[] {
  return Array.from({ length: count }, () => value);
}
