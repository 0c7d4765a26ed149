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
  instanceById: Map<string, SimInstance>;
  volumeById: Map<string, SimVolume>;
  dbInstanceById: Map<string, SimDbInstance>;
  functionByName: Map<string, SimFunction>;
}
