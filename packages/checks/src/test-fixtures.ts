// Builders of realistic resources, metric summaries and configs for the checks' tests (not part of the API).
import { configSchema } from '@finops/core';
import type {
  Config,
  ConfigInput,
  EbsSnapshot,
  EbsVolume,
  Ec2Instance,
  ElasticIp,
  LambdaFunction,
  LoadBalancer,
  MetricName,
  MetricSummary,
  NatGateway,
  RdsInstance,
  RdsSnapshot,
  ResourceKind,
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
  return {
    instancesById: new Map(),
    volumesById: new Map(),
    addressesByInstanceId: new Map(),
    lookbackDays: 14,
    unusedLookbackDays: 30,
    firstSeen: () => undefined,
    ...overrides,
  };
}

export function days(count: number, value: number): number[] {
  return Array.from({ length: count }, () => value);
}

export function snapshot(overrides: Partial<EbsSnapshot> = {}): EbsSnapshot {
  return {
    kind: 'ebs-snapshot',
    id: 'snap-0ddddddddddddddd1',
    accountId: ACCOUNT,
    region: 'us-east-1',
    name: 'nightly-1',
    tags: { Name: 'nightly-1' },
    volumeId: 'vol-0bbbbbbbbbbbbbbb1',
    volumeSizeGiB: 100,
    startTime: daysAgo(120),
    state: 'completed',
    storageTier: 'standard',
    encrypted: true,
    usedByImages: [],
    sourceVolumeExists: true,
    ...overrides,
  };
}

export function database(overrides: Partial<RdsInstance> = {}): RdsInstance {
  return {
    kind: 'rds-instance',
    id: 'orders-db',
    accountId: ACCOUNT,
    region: 'us-east-1',
    name: 'orders-db',
    tags: { Name: 'orders-db', env: 'dev' },
    dbInstanceClass: 'db.m5.large',
    engine: 'postgres',
    engineVersion: '16.3',
    multiAz: false,
    storageType: 'gp3',
    allocatedStorageGiB: 100,
    status: 'available',
    createdAt: daysAgo(200),
    ...overrides,
  };
}

export function lambdaFunction(overrides: Partial<LambdaFunction> = {}): LambdaFunction {
  return {
    kind: 'lambda-function',
    id: 'resize-images',
    accountId: ACCOUNT,
    region: 'us-east-1',
    name: 'resize-images',
    tags: { Name: 'resize-images' },
    memoryMb: 1024,
    architecture: 'x86_64',
    runtime: 'nodejs20.x',
    timeoutSec: 30,
    lastModified: daysAgo(90),
    packageType: 'Zip',
    ...overrides,
  };
}

export function natGateway(overrides: Partial<NatGateway> = {}): NatGateway {
  return {
    kind: 'nat-gateway',
    id: 'nat-0eeeeeeeeeeeeeee1',
    accountId: ACCOUNT,
    region: 'us-east-1',
    name: 'nat-a',
    tags: { Name: 'nat-a' },
    state: 'available',
    connectivityType: 'public',
    subnetId: 'subnet-1',
    vpcId: 'vpc-1',
    createTime: daysAgo(200),
    publicIps: ['203.0.113.20'],
    ...overrides,
  };
}

export function loadBalancer(overrides: Partial<LoadBalancer> = {}): LoadBalancer {
  return {
    kind: 'load-balancer',
    id: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188',
    arn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188',
    accountId: ACCOUNT,
    region: 'us-east-1',
    name: 'web',
    tags: { Name: 'web' },
    type: 'application',
    scheme: 'internet-facing',
    state: 'active',
    createdTime: daysAgo(300),
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    targetGroups: 1,
    registeredTargets: 2,
    healthyTargets: 2,
    ...overrides,
  };
}

export function dbSnapshot(overrides: Partial<RdsSnapshot> = {}): RdsSnapshot {
  return {
    kind: 'rds-snapshot',
    id: 'orders-db-pre-upgrade-2026-01-01',
    accountId: ACCOUNT,
    region: 'us-east-1',
    name: 'orders-db-pre-upgrade-2026-01-01',
    tags: {},
    snapshotType: 'manual',
    dbInstanceId: 'orders-db',
    allocatedStorageGiB: 100,
    engine: 'postgres',
    storageType: 'gp2',
    encrypted: true,
    snapshotCreateTime: daysAgo(120),
    status: 'available',
    sourceInstanceExists: true,
    ...overrides,
  };
}

/** A Sum summary built from daily totals (one value per day ending today), with `datapoints` hourly points. */
export function dailySum(values: number[], overrides: Partial<MetricSummary> = {}): MetricSummary {
  const sum = values.reduce((a, b) => a + b, 0);
  return summary({
    stat: 'Sum',
    sum,
    min: Math.min(...values),
    max: Math.max(...values),
    avg: values.length ? sum / values.length : 0,
    daily: values.map((value, index) => ({ date: daysAgo(values.length - 1 - index).slice(0, 10), value })),
    ...overrides,
  });
}

/** Metrics of one resource: utilization window metrics and, optionally, the unused window's. */
export function metricsOf(
  resourceId: string,
  kind: ResourceKind,
  metrics: Partial<Record<MetricName, MetricSummary | null>>,
  unused?: Partial<Record<MetricName, MetricSummary | null>>,
): ResourceMetrics {
  return { resourceId, kind, lookbackDays: 14, metrics, ...(unused ? { unused: { lookbackDays: 30, metrics: unused } } : {}) };
}
