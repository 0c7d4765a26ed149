// How many resources of each kind one (account, region) partition holds: cheap, without generating the partition.
import type { ResourceKind } from '@finops/core';
import { hashString } from './prng.js';

/**
 * Share of each kind in a partition. Every instance gets a root volume, so volumes slightly outnumber instances
 * (the spare volumes are the unattached ones). NAT gateways and load balancers are few, as in real VPCs.
 */
const KIND_SHARES: Record<ResourceKind, number> = {
  'ec2-instance': 0.28,
  'ebs-volume': 0.33,
  'ebs-snapshot': 0.13,
  'elastic-ip': 0.04,
  'rds-instance': 0.06,
  'lambda-function': 0.09,
  'nat-gateway': 0.02,
  'load-balancer': 0.03,
  'rds-snapshot': 0.02,
};

export interface PartitionSizeInput {
  seed: number;
  accountId: string;
  region: string;
  resourcesPerRegion: number;
}

/** Resources per kind: `resourcesPerRegion` ±10%, varied per partition so regions do not all look alike. */
export function partitionSize({ seed, accountId, region, resourcesPerRegion }: PartitionSizeInput): Record<ResourceKind, number> {
  const jitter = hashString(`${seed}|size|${accountId}|${region}`) / 4294967296;
  const total = Math.max(1, Math.round(resourcesPerRegion * (0.9 + 0.2 * jitter)));
  const counts = {} as Record<ResourceKind, number>;
  for (const [kind, share] of Object.entries(KIND_SHARES) as [ResourceKind, number][]) {
    counts[kind] = Math.round(total * share);
  }
  return counts;
}

/** Unattached volumes among a partition's volumes (about 12%, at least one when there are two or more). */
export function unattachedVolumeCount(volumes: number): number {
  if (volumes < 2) return 0;
  return Math.max(1, Math.round(volumes * 0.12));
}
