// The e2e's pricing oracle: what each recommendation should save, worked out again from the inventory and the price
// table by the plain rule of its check (not by the check's code), so a pricing slip in a check shows as an error.
import type { EbsVolume, Ec2Instance, ElasticIp, Recommendation, Resource } from '@finops/core';
import { HOURS_PER_MONTH, type PriceTable } from '@finops/pricing';

const EC2_NEXT_GENERATION: Record<string, string> = { t2: 't3', m4: 'm5', c4: 'c5', r4: 'r5' };
const EC2_GRAVITON: Record<string, string> = { t2: 't4g', t3: 't4g', m4: 'm7g', m5: 'm7g', m6i: 'm7g', c5: 'c7g', c6i: 'c7g', r5: 'r7g' };
const RDS_NEXT_GENERATION: Record<string, string> = { 'db.t2': 'db.t3', 'db.m4': 'db.m5', 'db.r4': 'db.r5' };
const RDS_GRAVITON: Record<string, string> = { 'db.t2': 'db.t4g', 'db.t3': 'db.t4g', 'db.m5': 'db.m7g', 'db.r5': 'db.r7g' };

/** Everything of one scan the oracle may look up. */
export interface Inventory {
  byId: Map<string, Resource>;
  volumes: EbsVolume[];
  addresses: ElasticIp[];
}

export function inventoryOf(resources: readonly Resource[]): Inventory {
  return {
    byId: new Map(resources.map((r) => [`${r.accountId}|${r.region}|${r.id}`, r])),
    volumes: resources.filter((r): r is EbsVolume => r.kind === 'ebs-volume'),
    addresses: resources.filter((r): r is ElasticIp => r.kind === 'elastic-ip'),
  };
}

function moved(type: string, families: Record<string, string>): string {
  const dot = type.lastIndexOf('.');
  const family = families[type.slice(0, dot)];
  if (!family) throw new Error(`no target family for ${type}`);
  return `${family}${type.slice(dot)}`;
}

const num = (value: unknown): number => {
  if (typeof value !== 'number') throw new Error(`expected a number in the evidence, got ${JSON.stringify(value)}`);
  return value;
};
const str = (value: unknown): string => {
  if (typeof value !== 'string') throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  return value;
};

/**
 * The monthly saving the price table gives for a recommendation's action on its resource. Metric-driven choices
 * (the smaller size a rightsizing picked, a function's observed usage) are read from the evidence; the prices never.
 */
export function expectedSavings(r: Recommendation, inventory: Inventory, prices: PriceTable): number {
  const resource = inventory.byId.get(`${r.accountId}|${r.region}|${r.resourceId}`);
  if (!resource) throw new Error(`${r.checkId}: ${r.resourceId} is not in the inventory`);
  const region = r.region;
  const e = r.evidence;
  const ec2 = (type: string, i: Ec2Instance) => prices.ec2InstanceHourly(type, region, i.platform).usd * HOURS_PER_MONTH;
  const volumeNetOfSnapshot = (v: EbsVolume) => prices.ebsVolumeMonthly(v, region).usd - prices.snapshotMonthly(v.sizeGiB, region, 'standard').usd;

  switch (resource.kind) {
    case 'ec2-instance': {
      const i = resource;
      if (r.checkId === 'ec2-idle-instance') return ec2(i.instanceType, i);
      if (r.checkId === 'ec2-underutilized-instance') return ec2(i.instanceType, i) - ec2(str(e.toType), i);
      if (r.checkId === 'ec2-previous-generation-instance') return ec2(i.instanceType, i) - ec2(moved(i.instanceType, EC2_NEXT_GENERATION), i);
      if (r.checkId === 'ec2-graviton-candidate-instance') return ec2(i.instanceType, i) - ec2(moved(i.instanceType, EC2_GRAVITON), i);
      if (r.checkId === 'ec2-stopped-instance') {
        const volumes = inventory.volumes.filter((v) => v.accountId === i.accountId && v.region === i.region && v.attachments.some((a) => a.instanceId === i.id));
        const addresses = inventory.addresses.filter((a) => a.accountId === i.accountId && a.region === i.region && a.instanceId === i.id);
        return volumes.reduce((sum, v) => sum + volumeNetOfSnapshot(v), 0) + addresses.length * prices.publicIpv4Monthly(region).usd;
      }
      break;
    }
    case 'ebs-volume': {
      const v = resource;
      if (r.checkId === 'ebs-unattached-volume' || r.checkId === 'ebs-stopped-instance-volume' || r.checkId === 'ebs-idle-volume') return volumeNetOfSnapshot(v);
      if (r.checkId === 'ebs-gp2-volume') {
        const gp3 = { volumeType: 'gp3' as const, sizeGiB: v.sizeGiB, iops: Math.max(3000, Math.min(16_000, 3 * v.sizeGiB)), throughputMiBps: v.sizeGiB >= 334 ? 250 : 128 };
        return prices.ebsVolumeMonthly(v, region).usd - prices.ebsVolumeMonthly(gp3, region).usd;
      }
      if (r.checkId === 'ebs-overprovisioned-iops-volume') {
        const gp3 = { volumeType: 'gp3' as const, sizeGiB: v.sizeGiB, iops: num(e.gp3Iops), throughputMiBps: 125 };
        return prices.ebsVolumeMonthly(v, region).usd - prices.ebsVolumeMonthly(gp3, region).usd;
      }
      break;
    }
    case 'ebs-snapshot':
      return prices.snapshotMonthly(resource.volumeSizeGiB, region, resource.storageTier).usd;
    case 'elastic-ip':
      return prices.publicIpv4Monthly(region).usd;
    case 'nat-gateway':
      return prices.natGatewayMonthly(region).usd + resource.publicIps.length * prices.publicIpv4Monthly(region).usd;
    case 'load-balancer':
      return prices.loadBalancerMonthly(resource.type === 'gateway' ? 'network' : resource.type, region).usd;
    case 'rds-instance': {
      const db = resource;
      const hourly = (cls: string, multiAz = db.multiAz) => prices.rdsInstanceHourly(cls, db.engine, multiAz, region).usd * HOURS_PER_MONTH;
      if (r.checkId === 'rds-idle-instance') return hourly(db.dbInstanceClass);
      if (r.checkId === 'rds-underutilized-instance') return hourly(db.dbInstanceClass) - hourly(str(e.toClass));
      if (r.checkId === 'rds-previous-generation-instance') return hourly(db.dbInstanceClass) - hourly(moved(db.dbInstanceClass, RDS_NEXT_GENERATION));
      if (r.checkId === 'rds-graviton-candidate-instance') return hourly(db.dbInstanceClass) - hourly(moved(db.dbInstanceClass, RDS_GRAVITON));
      if (r.checkId === 'rds-gp2-storage-instance') {
        const size = db.allocatedStorageGiB;
        const gp3 = prices.rdsStorageMonthly('gp3', size, Math.max(3000, 3 * size), region, db.multiAz).usd;
        return Math.max(0, prices.rdsStorageMonthly('gp2', size, undefined, region, db.multiAz).usd - gp3);
      }
      if (r.checkId === 'rds-non-production-multi-az-instance') {
        const storage = (multiAz: boolean) => prices.rdsStorageMonthly(db.storageType, db.allocatedStorageGiB, db.iops, region, multiAz).usd;
        return hourly(db.dbInstanceClass, true) - hourly(db.dbInstanceClass, false) + storage(true) - storage(false);
      }
      break;
    }
    case 'rds-snapshot':
      // The table has no RDS backup rate: the EBS snapshot rate stands in (the check says so in its price basis).
      return prices.snapshotMonthly(resource.allocatedStorageGiB, region, 'standard').usd;
    case 'lambda-function': {
      if (r.checkId === 'lambda-unused-function' || r.checkId === 'lambda-high-error-rate-function') return 0;
      const usage = { architecture: resource.architecture, memoryMb: resource.memoryMb, invocationsPerMonth: num(e.invocationsPerMonth), avgDurationMs: num(e.avgDurationMs) };
      const current = prices.lambdaMonthly(usage, region).usd;
      if (r.checkId === 'lambda-arm64-candidate-function') return current - prices.lambdaMonthly({ ...usage, architecture: 'arm64' }, region).usd;
      if (r.checkId === 'lambda-overprovisioned-memory-function') return current - prices.lambdaMonthly({ ...usage, memoryMb: num(e.targetMemoryMb) }, region).usd;
      break;
    }
  }
  throw new Error(`no pricing rule for ${r.checkId} on ${resource.kind}`);
}
