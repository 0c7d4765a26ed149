// The shared resource, metric and recommendation model: plain data that travels between workers and into reports.

/** Every resource kind the platform inventories. Ids are kebab-case and appear in config, logs and reports. */
export const RESOURCE_KINDS = [
  'ec2-instance',
  'ebs-volume',
  'ebs-snapshot',
  'elastic-ip',
  'rds-instance',
  'lambda-function',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** AWS services as users name them (`--services ec2,rds,lambda`), and the resource kinds each one covers. */
export const SERVICE_KINDS = {
  ec2: ['ec2-instance', 'ebs-volume', 'ebs-snapshot', 'elastic-ip'],
  rds: ['rds-instance'],
  lambda: ['lambda-function'],
} as const satisfies Record<string, readonly ResourceKind[]>;
export type ServiceName = keyof typeof SERVICE_KINDS;
export const SERVICE_NAMES = Object.keys(SERVICE_KINDS) as ServiceName[];

export type Tags = Record<string, string>;

interface ResourceBase {
  kind: ResourceKind;
  /** The AWS id (i-…, vol-…, snap-…, eipalloc-…, DB identifier, function name). */
  id: string;
  arn?: string;
  accountId: string;
  region: string;
  /** The `Name` tag, or the resource's own name where it has one. */
  name?: string;
  tags: Tags;
}

export interface Ec2Instance extends ResourceBase {
  kind: 'ec2-instance';
  instanceType: string;
  /** pending | running | stopping | stopped | shutting-down | terminated */
  state: string;
  /** ISO time of the last state change when AWS states it (parsed from StateTransitionReason), else undefined. */
  stateChangedAt?: string;
  stateTransitionReason?: string;
  launchTime: string;
  platform: 'linux' | 'windows';
  architecture: 'x86_64' | 'arm64' | 'i386' | 'x86_64_mac' | 'arm64_mac';
  lifecycle: 'on-demand' | 'spot' | 'scheduled' | 'capacity-block';
  volumeIds: string[];
  availabilityZone?: string;
}

export interface EbsVolume extends ResourceBase {
  kind: 'ebs-volume';
  volumeType: 'gp2' | 'gp3' | 'io1' | 'io2' | 'st1' | 'sc1' | 'standard';
  sizeGiB: number;
  iops?: number;
  throughputMiBps?: number;
  /** creating | available | in-use | deleting | deleted | error */
  state: string;
  attachments: { instanceId: string; state: string; device?: string }[];
  encrypted: boolean;
  createTime: string;
  snapshotId?: string;
  availabilityZone?: string;
}

export interface EbsSnapshot extends ResourceBase {
  kind: 'ebs-snapshot';
  volumeId?: string;
  volumeSizeGiB: number;
  startTime: string;
  state: string;
  storageTier: 'standard' | 'archive';
  encrypted: boolean;
  /** AMI ids whose block device mappings reference this snapshot. */
  usedByImages: string[];
  /** Whether the source volume still exists in the account and region. */
  sourceVolumeExists: boolean;
  description?: string;
}

export interface ElasticIp extends ResourceBase {
  kind: 'elastic-ip';
  allocationId: string;
  publicIp: string;
  domain: 'vpc' | 'standard';
  associationId?: string;
  instanceId?: string;
  networkInterfaceId?: string;
}

export interface RdsInstance extends ResourceBase {
  kind: 'rds-instance';
  dbInstanceClass: string;
  engine: string;
  engineVersion?: string;
  multiAz: boolean;
  storageType: string;
  allocatedStorageGiB: number;
  iops?: number;
  /** available | stopped | … */
  status: string;
  createdAt: string;
}

export interface LambdaFunction extends ResourceBase {
  kind: 'lambda-function';
  memoryMb: number;
  architecture: 'x86_64' | 'arm64';
  runtime?: string;
  timeoutSec: number;
  lastModified: string;
  packageType?: 'Zip' | 'Image';
}

export type Resource = Ec2Instance | EbsVolume | EbsSnapshot | ElasticIp | RdsInstance | LambdaFunction;
export type ResourceOf<K extends ResourceKind> = Extract<Resource, { kind: K }>;

/** Normalized metric names. Network is in bytes, never MB. */
export const METRIC_NAMES = [
  'cpuUtilization', // percent, EC2 and RDS
  'networkInBytes',
  'networkOutBytes',
  'ebsReadOps',
  'ebsWriteOps',
  'databaseConnections',
  'lambdaInvocations',
  'lambdaErrors',
  'lambdaDurationMs',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * What the analysis stage learned about one metric of one resource over the lookback window.
 * Every datapoint of the window is used. `null` in {@link ResourceMetrics.metrics} means "no datapoints"
 * (a new or stopped resource), which checks must treat explicitly, never as zero.
 */
export interface MetricSummary {
  /** Period of each datapoint in seconds (3600 hourly, 86400 daily). */
  periodSec: number;
  /** The CloudWatch statistic each datapoint holds (Average for CPU, Sum for bytes and counts). */
  stat: 'Average' | 'Sum' | 'Maximum';
  datapoints: number;
  /** Datapoints a full window would have: lookback / period. `datapoints < expected` means a partial window. */
  expectedDatapoints: number;
  min: number;
  max: number;
  avg: number;
  sum: number;
  p95: number;
  p99: number;
  /** One value per UTC day that has data: the sum (Sum stats) or the maximum (Average/Maximum stats) of that day. */
  daily: { date: string; value: number }[];
}

export interface ResourceMetrics {
  resourceId: string;
  kind: ResourceKind;
  lookbackDays: number;
  metrics: Partial<Record<MetricName, MetricSummary | null>>;
}

export type Risk = 'low' | 'medium' | 'high';
export const RISK_LEVELS: readonly Risk[] = ['low', 'medium', 'high'];

/** A machine-readable action the remediation executors understand. */
export interface RecommendedAction {
  /** e.g. `ec2.stop-instance`, `ebs.delete-volume`, `ec2.release-address`. */
  type: string;
  /** What to do, in words. */
  description: string;
  params: Record<string, string | number | boolean>;
}

export type Evidence = Record<string, string | number | boolean | null>;

export interface Recommendation {
  /** Stable fingerprint of (account, region, resource, check): the same waste keeps the same id across scans. */
  id: string;
  checkId: string;
  resourceId: string;
  resourceKind: ResourceKind;
  resourceName?: string;
  tags: Tags;
  accountId: string;
  region: string;
  monthlySavingsUsd: number;
  risk: Risk;
  /** 0..1: how much data backed the decision (datapoints present, lookback complete). */
  confidence: number;
  action: RecommendedAction;
  status: 'open' | 'suppressed' | 'dismissed' | 'resolved';
  reason: string;
  evidence: Evidence;
  priceConfidence: 'exact' | 'estimated';
}

/** An error recorded against a scan partition (it does not stop the rest of the scan). */
export interface ScanError {
  stage: 'discovery' | 'analysis' | 'optimization' | 'report' | 'costs';
  accountId?: string;
  region?: string;
  kind?: string;
  /** The AWS action that failed, e.g. `ec2:DescribeVolumes`. */
  action?: string;
  code: string;
  message: string;
  /** What to do about it. */
  hint?: string;
  at: string;
}

/** Count of AWS calls by `<service>.<Operation>`. */
export type ApiCallCounts = Record<string, number>;

/** One day's cost, in USD. */
export interface DailyCost {
  /** YYYY-MM-DD (UTC). */
  date: string;
  amountUsd: number;
}

/**
 * Daily costs a scan fetched from Cost Explorer (cached across scans). Series keys: `total`, `service:<name>`,
 * `region:<name>`, `account:<id>`, `tag:<key>=<value>`. Days without cost are present with 0.
 */
export interface CostDataset {
  fetchedAt: string;
  /** First day (inclusive) and last day (exclusive), YYYY-MM-DD. */
  start: string;
  end: string;
  metric: 'NetUnblendedCost' | 'UnblendedCost';
  series: Record<string, DailyCost[]>;
  /** Daily cost per (service, region, account), for root-cause attribution. */
  breakdown: { date: string; service: string; region: string; accountId: string; amountUsd: number }[];
  /** Cost Explorer's own forecast to the end of the current month, when available. */
  forecast?: { start: string; end: string; amountUsd: number; lowerUsd?: number; upperUsd?: number };
  /** Whether this came from the Redis cache (no Cost Explorer request made). */
  cached: boolean;
}
