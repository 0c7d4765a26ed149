// The simulator's own compact records of one (account, region) partition; SDK-shaped objects are built only when served.
import type { Tags } from '@finops/core';

/** How a resource behaves in its metrics. Idle and unused resources are planted waste; busy ones are healthy. */
export type InstanceProfile = 'busy' | 'idle';
export type FunctionProfile = 'busy' | 'sparse' | 'unused';

/** Times are epoch milliseconds. */
export interface SimInstance {
  id: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  family: string;
  state: 'running' | 'stopped';
  launchTime: number;
  /** When a stopped instance stopped (StateTransitionReason carries it). */
  stoppedAt?: number;
  profile: InstanceProfile;
  platform: 'linux' | 'windows';
  architecture: 'x86_64' | 'arm64';
  spot: boolean;
  availabilityZone: string;
  subnetId: string;
  vpcId: string;
  privateIp: string;
  /** Set when an Elastic IP is associated. */
  publicIp?: string;
  /** Root volume first. */
  volumeIds: string[];
  tags: Tags;
  /** Key of this resource's metric series. */
  metricKey: number;
}

export interface SimVolume {
  id: string;
  volumeType: 'gp2' | 'gp3' | 'io1';
  sizeGiB: number;
  iops?: number;
  throughput?: number;
  createTime: number;
  availabilityZone: string;
  encrypted: boolean;
  snapshotId?: string;
  attachment?: { instanceId: string; device: string; attachTime: number; deleteOnTermination: boolean };
  tags: Tags;
  metricKey: number;
}

export interface SimSnapshot {
  id: string;
  /** The source volume; it may no longer exist (`vol-ffffffff` for copies). */
  volumeId: string;
  volumeSizeGiB: number;
  startTime: number;
  storageTier: 'standard' | 'archive';
  encrypted: boolean;
  description: string;
  sourceVolumeExists: boolean;
  /** AMIs whose block device mappings reference this snapshot. */
  imageIds: string[];
  tags: Tags;
}

export interface SimImage {
  id: string;
  name: string;
  creationTime: number;
  architecture: 'x86_64' | 'arm64';
  platform: 'linux' | 'windows';
  snapshotIds: string[];
  snapshotSizes: number[];
  tags: Tags;
}

export interface SimAddress {
  allocationId: string;
  publicIp: string;
  association?: { associationId: string; instanceId: string; networkInterfaceId: string; privateIp: string };
  tags: Tags;
}

export interface SimDbInstance {
  id: string;
  resourceId: string;
  dbInstanceClass: string;
  engine: string;
  engineVersion: string;
  multiAz: boolean;
  storageType: 'gp2' | 'gp3';
  allocatedStorageGiB: number;
  createTime: number;
  availabilityZone: string;
  secondaryAvailabilityZone?: string;
  profile: InstanceProfile;
  /** Set by a mutation (StopDBInstance); generated instances are `available`. */
  status?: 'available' | 'stopped';
  tags: Tags;
  metricKey: number;
}

export interface SimFunction {
  name: string;
  memoryMb: number;
  architecture: 'x86_64' | 'arm64';
  runtime: string;
  handler: string;
  timeoutSec: number;
  codeSize: number;
  description: string;
  lastModified: number;
  /** Invocations are served from here on. */
  createdAt: number;
  profile: FunctionProfile;
  tags: Tags;
  metricKey: number;
}

export type NatProfile = 'busy' | 'idle';

export interface SimNatGateway {
  id: string;
  connectivityType: 'public' | 'private';
  subnetId: string;
  vpcId: string;
  createTime: number;
  networkInterfaceId: string;
  privateIp: string;
  /** Public gateways only: their Elastic IP (not part of the estate's Elastic IP list, which stays as planned). */
  publicIp?: string;
  allocationId?: string;
  associationId?: string;
  profile: NatProfile;
  tags: Tags;
  metricKey: number;
}

/** busy: healthy targets and traffic; quiet: healthy targets, < 100 requests a day; no-targets: nothing registered. */
export type LoadBalancerProfile = 'busy' | 'quiet' | 'no-targets';

export interface SimTarget {
  /** Instance id, or an IP address for `ip` target groups. */
  id: string;
  port: number;
  availabilityZone: string;
  state: 'healthy' | 'unhealthy' | 'unused';
}

export interface SimTargetGroup {
  arn: string;
  name: string;
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  port: number;
  targetType: 'instance' | 'ip';
  vpcId: string;
  /** Empty for a group left behind by a deleted load balancer. */
  loadBalancerArns: string[];
  targets: SimTarget[];
  tags: Tags;
}

export interface SimLoadBalancer {
  name: string;
  type: 'application' | 'network' | 'classic';
  /** elbv2 only. */
  arn?: string;
  /** The CloudWatch dimension value: `app/<name>/<id>`, `net/<name>/<id>`, or the classic name. */
  dimension: string;
  scheme: 'internet-facing' | 'internal';
  createTime: number;
  dnsName: string;
  vpcId: string;
  availabilityZones: string[];
  subnetIds: string[];
  /** Classic load balancers register instances directly. */
  instanceIds: string[];
  profile: LoadBalancerProfile;
  tags: Tags;
  metricKey: number;
}

export interface SimDbSnapshot {
  id: string;
  dbInstanceId: string;
  /** The source instance's resource id (unique, never reused). */
  dbiResourceId: string;
  /** False when the source instance was deleted after the snapshot was taken. */
  sourceExists: boolean;
  engine: string;
  engineVersion: string;
  allocatedStorageGiB: number;
  storageType: 'gp2' | 'gp3';
  encrypted: boolean;
  createTime: number;
  availabilityZone: string;
  vpcId: string;
  tags: Tags;
}

/** Everything of one account and region, generated on first use. */
export interface Partition {
  accountId: string;
  region: string;
  instances: SimInstance[];
  volumes: SimVolume[];
  snapshots: SimSnapshot[];
  images: SimImage[];
  addresses: SimAddress[];
  dbInstances: SimDbInstance[];
  functions: SimFunction[];
  natGateways: SimNatGateway[];
  loadBalancers: SimLoadBalancer[];
  /** Target groups of the elbv2 load balancers, and a few attached to none. */
  targetGroups: SimTargetGroup[];
  /** Manual DB snapshots (automated ones are derived from the instances when served). */
  dbSnapshots: SimDbSnapshot[];
  instanceById: Map<string, SimInstance>;
  volumeById: Map<string, SimVolume>;
  dbInstanceById: Map<string, SimDbInstance>;
  functionByName: Map<string, SimFunction>;
  natGatewayById: Map<string, SimNatGateway>;
  /** By CloudWatch dimension value (`app/…`, `net/…`, classic name). */
  loadBalancerByDimension: Map<string, SimLoadBalancer>;
}
