// The shared resource, metric and recommendation model: plain data that travels between workers and into reports.

/** Every resource kind the platform inventories. Ids are kebab-case and appear in config, logs and reports. */
export const RESOURCE_KINDS = [
  'ec2-instance',
  'ebs-volume',
  'ebs-snapshot',
  'elastic-ip',
  'rds-instance',
  'lambda-function',
  'nat-gateway',
  'load-balancer',
  'rds-snapshot',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** AWS services as users name them (`--services ec2,rds,lambda`), and the resource kinds each one covers. */
export const SERVICE_KINDS = {
  ec2: ['ec2-instance', 'ebs-volume', 'ebs-snapshot', 'elastic-ip', 'nat-gateway'],
  rds: ['rds-instance', 'rds-snapshot'],
  lambda: ['lambda-function'],
  elb: ['load-balancer'],
} as const satisfies Record<string, readonly ResourceKind[]>;
export type ServiceName = keyof typeof SERVICE_KINDS;
export const SERVICE_NAMES = Object.keys(SERVICE_KINDS) as ServiceName[];

export type Tags = Record<string, string>;

interface ResourceBase {
  kind: ResourceKind;
  /**
   * The AWS id (i-…, vol-…, snap-…, eipalloc-…, nat-…, DB identifier, DB snapshot identifier, function name; a
   * load balancer's ARN, or a classic load balancer's name: what each delete API takes).
   */
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

export interface NatGateway extends ResourceBase {
  kind: 'nat-gateway';
  /** pending | available | deleting | failed (deleted gateways are not inventoried) */
  state: string;
  connectivityType: 'public' | 'private';
  subnetId?: string;
  vpcId?: string;
  createTime: string;
  /** Public IPs of a public gateway's Elastic IPs. */
  publicIps: string[];
}

export interface LoadBalancer extends ResourceBase {
  kind: 'load-balancer';
  /** ALB, NLB and GWLB come from the elbv2 API; `classic` from the elb API. */
  type: 'application' | 'network' | 'gateway' | 'classic';
  scheme: 'internet-facing' | 'internal';
  /** active | provisioning | active_impaired | failed (classic load balancers report no state: `active`) */
  state: string;
  createdTime: string;
  dnsName?: string;
  vpcId?: string;
  availabilityZones: string[];
  /** Target groups attached (elbv2); 0 for classic load balancers, which register instances directly. */
  targetGroups: number;
  /** Targets (or, for classic, instances) registered behind the load balancer, over all its target groups. */
  registeredTargets: number;
  /** Of those, the ones whose health check passes (`healthy`, classic `InService`). */
  healthyTargets: number;
}

export interface RdsSnapshot extends ResourceBase {
  kind: 'rds-snapshot';
  /** Only manual snapshots are inventoried: automated ones expire with the instance's retention period. */
  snapshotType: 'manual';
  /** The DB instance the snapshot was taken from. */
  dbInstanceId: string;
  allocatedStorageGiB: number;
  engine: string;
  engineVersion?: string;
  storageType?: string;
  encrypted: boolean;
  snapshotCreateTime: string;
  /** available | creating | copying | … */
  status: string;
  /** Whether the source DB instance still exists in the account and region. */
  sourceInstanceExists: boolean;
}

export type Resource =
  | Ec2Instance
  | EbsVolume
  | EbsSnapshot
  | ElasticIp
  | RdsInstance
  | LambdaFunction
  | NatGateway
  | LoadBalancer
  | RdsSnapshot;
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
  'natBytesOutToDestination', // bytes the NAT gateway sent towards the internet or the destination
  'natBytesOutToSource', // bytes it sent back to the instances behind it
  'lbRequestCount', // ALB and classic load balancers: requests (ELB publishes nothing for a period without any)
  'lbNewFlowCount', // NLB and GWLB: new connections or flows
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
  /** The utilization window (optimization.lookbackDays at optimization.metricPeriodSec): `metrics` covers it. */
  lookbackDays: number;
  metrics: Partial<Record<MetricName, MetricSummary | null>>;
  /**
   * The long "unused" window (optimization.unusedLookbackDays, one datapoint per day), for the metrics a check
   * judges over it (no invocations in 30 days). Absent when no enabled check reads the resource's metrics over it.
   */
  unused?: { lookbackDays: number; metrics: Partial<Record<MetricName, MetricSummary | null>> };
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
  /**
   * Other resources the action changes or deletes (a terminated instance's volumes). Recommendations that share a
   * resource are alternatives: totals count the best exclusive set of them.
   */
  relatedResourceIds?: string[];
  /** Why a recommendation is out of the totals: set when its status is `suppressed` or `dismissed`. */
  suppression?: RecommendationSuppression;
  /** Set when a recommendation sharing a resource with this one was counted instead (its id). */
  foldedInto?: string;
  /** Its history across scans, from the tracking store (absent before the report stage). */
  tracking?: RecommendationTracking;
}

export interface RecommendationSuppression {
  /** `tag`: a suppress tag key on the resource; `config`: an optimization.suppress rule; `dismissal`: a user's dismissal. */
  by: 'tag' | 'config' | 'dismissal';
  /** `tag finops:ignore`, `optimization.suppress[2]: legacy account`, or the dismissal's reason. */
  reason: string;
  /** Dismissals: when the dismissal ends (ISO time); absent means until revoked. */
  until?: string;
  /** Dismissals: when it was made (ISO time). */
  at?: string;
}

/**
 * A condition AWS does not time-stamp (a volume unattached, an instance stopped) seen holding on a resource in a
 * scan; the platform remembers since when. `id` is the fingerprint of (resource, check), as a recommendation's.
 */
export interface TimedObservation {
  id: string;
  checkId: string;
  resourceId: string;
  resourceKind: ResourceKind;
}

export interface RecommendationTracking {
  /** First scan that found it (ISO time of the scan's start); reset when it comes back after being resolved. */
  firstSeenAt: string;
  lastSeenAt: string;
  /** Scans that found it. */
  seenCount: number;
  /** Set when status is `resolved`: the scan that no longer found it. */
  resolvedAt?: string;
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

/** Daily cost of one service by usage type (Cost Explorer USAGE_TYPE), for root-cause attribution of anomalies. */
export interface UsageTypeCosts {
  fetchedAt: string;
  /** First day (inclusive) and last day (exclusive), YYYY-MM-DD. */
  start: string;
  end: string;
  metric: 'NetUnblendedCost' | 'UnblendedCost';
  /** What the costs were filtered by: a Cost Explorer SERVICE value, and optionally a region and an account. */
  service: string;
  region?: string;
  accountId?: string;
  /** Usage type (`USE1-BoxUsage:m5.large`) → daily cost; days without cost are present with 0. */
  series: Record<string, DailyCost[]>;
  /** Whether this came from the Redis cache (no Cost Explorer request made). */
  cached: boolean;
}

/**
 * One product of the AWS Price List (pricing:GetProducts), reduced to what a price table needs: its attributes
 * and its on-demand price dimensions. Reserved and spot terms are dropped.
 */
export interface PriceListProduct {
  /** `AmazonEC2`, `AmazonRDS`, `AWSLambda`, … */
  serviceCode: string;
  sku: string;
  /** `Compute Instance`, `Storage`, `Database Instance`, `Serverless`, … */
  productFamily?: string;
  /** The product's attributes as AWS lists them: `instanceType`, `regionCode`, `operatingSystem`, `volumeApiName`, … */
  attributes: Record<string, string>;
  /** On-demand price dimensions; tiered prices have one entry per tier. */
  onDemand: { unit: string; usd: number; description: string; beginRange?: number; endRange?: number }[];
}

/** US dollars rounded to whole cents, as every figure the platform states. Example: `roundCents(12.345)` → 12.35. */
export function roundCents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
