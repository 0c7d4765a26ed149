// What the simulator planted: the waste each check must find, and the healthy resources no check may touch.
import type { ResourceKind } from '@finops/core';
import { DAY_MS, HOUR_MS } from './clock.js';
import type { Partition, SimFunction, SimInstance } from './estate-types.js';
import { findSeries, newHourStats } from './metric-series.js';

/** The check ids whose waste the simulator plants; for each, plantedWaste() is exhaustive. */
export const PLANTED_CHECK_IDS = [
  'ec2-idle-instance',
  'ec2-stopped-instance',
  'ebs-unattached-volume',
  'ebs-gp2-volume',
  'eip-unassociated-address',
  'ebs-old-snapshot',
  'ebs-orphaned-snapshot',
  'rds-idle-instance',
  'lambda-unused-function',
  'ec2-underutilized-instance',
  'ec2-previous-generation-instance',
  'ec2-graviton-candidate-instance',
  'ebs-stopped-instance-volume',
  'ebs-overprovisioned-iops-volume',
  'rds-underutilized-instance',
  'rds-previous-generation-instance',
  'rds-graviton-candidate-instance',
  'rds-gp2-storage-instance',
  'rds-non-production-multi-az-instance',
  'lambda-overprovisioned-memory-function',
  'lambda-arm64-candidate-function',
  'nat-idle-gateway',
  'elb-idle-load-balancer',
  'rds-old-snapshot',
  'rds-orphaned-snapshot',
] as const;
export type PlantedCheckId = (typeof PLANTED_CHECK_IDS)[number];

/**
 * Check ids whose waste this estate never holds, so plantedWaste() is exhaustive for them too by returning none:
 * every attached volume sees I/O each day, and no function fails more than about 6% of its calls in a day.
 */
export const UNPLANTED_CHECK_IDS = ['ebs-idle-volume', 'lambda-high-error-rate-function'] as const;

/** Every check id the ground truth speaks for: planted ones and those the estate never holds. */
export const TRUTH_CHECK_IDS: readonly string[] = [...PLANTED_CHECK_IDS, ...UNPLANTED_CHECK_IDS];

export interface PlantedWaste {
  checkId: PlantedCheckId;
  accountId: string;
  region: string;
  /**
   * The id the platform's model uses: instance id, volume id, snapshot id, allocation id, DB identifier, function
   * name, NAT gateway id, load balancer ARN (classic: name), DB snapshot identifier.
   */
  resourceId: string;
  kind: ResourceKind;
}

export interface HealthyResource {
  accountId: string;
  region: string;
  resourceId: string;
  kind: ResourceKind;
}

/** Stopped for longer than this is `ec2-stopped-instance`; planted stops are ≥ 45 days or ≤ 10 days old. */
export const STOPPED_WASTE_DAYS = 30;
/** Older than this is `ebs-old-snapshot`; planted snapshots are ≥ 120 days or ≤ 60 days old. */
export const OLD_SNAPSHOT_DAYS = 90;
/** The utilization window checks read by default (optimization.lookbackDays). */
export const UTILIZATION_DAYS = 14;

/**
 * The facts the derived truths below rest on (AWS's catalog, not the estate's choices): the sizes in order, the
 * smallest size of each family the estate uses and of its Graviton equivalent, and which families are previous
 * generation. Busy CPU (p99 ≥ 39% on EC2, ≥ 41% on RDS) never fits one size down with the checks' default 25%
 * headroom, and idle CPU (p99 < 3%) always does: only the catalog decides for idle resources.
 */
const SIZES = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge', '4xlarge'];
const SMALLEST_SIZE: Record<string, string> = {
  t2: 'nano', t3: 'nano', t4g: 'nano', m4: 'large', m5: 'large', m6i: 'large', m7g: 'medium',
  c5: 'large', c6i: 'large', c7g: 'medium', r5: 'large', r7g: 'medium',
};
const EC2_GRAVITON: Record<string, string> = { t2: 't4g', t3: 't4g', m4: 'm7g', m5: 'm7g', m6i: 'm7g', c5: 'c7g', c6i: 'c7g', r5: 'r7g' };
const EC2_PREVIOUS_GENERATION = new Set(['t2', 'm4']);
/** DB classes the estate uses that have a smaller size, in their family or in their Graviton family. */
const DB_CLASS_HAS_SMALLER = new Set(['db.t3.medium', 'db.m5.large', 'db.r5.large', 'db.m6g.large', 'db.t2.small']);
const DB_GRAVITON_FAMILIES = new Set(['db.m6g', 'db.m7g', 'db.r6g', 'db.r7g', 'db.t4g']);
const DB_PREVIOUS_GENERATION = new Set(['db.t2', 'db.m4', 'db.r4']);
const NON_PRODUCTION = new Set(['dev', 'staging']);
/** Memory at which Lambda gives one full vCPU; single-threaded runtimes cannot use more. */
const ONE_VCPU_MB = 1769;
const SINGLE_THREADED_RUNTIMES = ['nodejs', 'python', 'ruby'];

function sizeIndex(size: string): number {
  return SIZES.indexOf(size);
}

/** Whether an idle instance can go one size down: in its family, or (Linux x86_64) into its Graviton family. */
function hasSmallerSize(instance: SimInstance): boolean {
  const size = sizeIndex(instance.instanceType.split('.')[1] ?? '');
  const smaller = (family: string | undefined) => family !== undefined && SMALLEST_SIZE[family] !== undefined && sizeIndex(SMALLEST_SIZE[family]) < size;
  if (smaller(instance.family)) return true;
  return instance.platform === 'linux' && instance.architecture === 'x86_64' && smaller(EC2_GRAVITON[instance.family]);
}

/** Invocations of a function over the utilization window ending at the epoch, from its own series. */
function invocationsInWindow(partition: Partition, fn: SimFunction, epochMs: number): number {
  const series = findSeries(partition, 'AWS/Lambda', 'Invocations', [{ Name: 'FunctionName', Value: fn.name }]);
  if (!series) return 0;
  const stats = newHourStats();
  let total = 0;
  for (let hour = (epochMs - UTILIZATION_DAYS * DAY_MS) / HOUR_MS; hour < epochMs / HOUR_MS; hour++) total += series.hour(hour, stats) ? stats.sum : 0;
  return total;
}

/** Older than this is `rds-old-snapshot`; planted DB snapshots are ≥ 120 days or ≤ 60 days old. */
export const OLD_DB_SNAPSHOT_DAYS = 90;

/** Every resource of a partition with the check ids it was planted for (empty: healthy). */
export function classifyPartition(partition: Partition, epochMs: number): { kind: ResourceKind; resourceId: string; checkIds: PlantedCheckId[] }[] {
  const out: { kind: ResourceKind; resourceId: string; checkIds: PlantedCheckId[] }[] = [];
  for (const instance of partition.instances) {
    const checkIds: PlantedCheckId[] = [];
    if (instance.state === 'running' && instance.profile === 'idle') checkIds.push('ec2-idle-instance');
    if (instance.state === 'stopped' && instance.stoppedAt !== undefined && instance.stoppedAt < epochMs - STOPPED_WASTE_DAYS * DAY_MS) {
      checkIds.push('ec2-stopped-instance');
    }
    if (instance.state === 'running') {
      if (instance.profile === 'idle' && hasSmallerSize(instance)) checkIds.push('ec2-underutilized-instance');
      if (EC2_PREVIOUS_GENERATION.has(instance.family)) checkIds.push('ec2-previous-generation-instance');
      // Every x86 family of the estate has a Graviton equivalent offering the same size.
      if (instance.platform === 'linux' && instance.architecture === 'x86_64') checkIds.push('ec2-graviton-candidate-instance');
    }
    out.push({ kind: 'ec2-instance', resourceId: instance.id, checkIds });
  }
  for (const volume of partition.volumes) {
    const checkIds: PlantedCheckId[] = [];
    if (!volume.attachment) checkIds.push('ebs-unattached-volume');
    if (volume.volumeType === 'gp2') checkIds.push('ebs-gp2-volume');
    const host = volume.attachment ? partition.instanceById.get(volume.attachment.instanceId) : undefined;
    if (host?.stoppedAt !== undefined && host.stoppedAt < epochMs - STOPPED_WASTE_DAYS * DAY_MS) checkIds.push('ebs-stopped-instance-volume');
    // io1 volumes use a few dozen of their ≥ 1,000 IOPS: waste wherever the window holds their I/O, i.e. whenever
    // their instance ran in it (EBS publishes nothing while it is stopped).
    const ranInWindow = host !== undefined && (host.stoppedAt === undefined || host.stoppedAt > epochMs - UTILIZATION_DAYS * DAY_MS);
    if (volume.volumeType === 'io1' && ranInWindow) checkIds.push('ebs-overprovisioned-iops-volume');
    out.push({ kind: 'ebs-volume', resourceId: volume.id, checkIds });
  }
  for (const snapshot of partition.snapshots) {
    const checkIds: PlantedCheckId[] = [];
    if (snapshot.startTime < epochMs - OLD_SNAPSHOT_DAYS * DAY_MS) checkIds.push('ebs-old-snapshot');
    if (!snapshot.sourceVolumeExists && snapshot.imageIds.length === 0) checkIds.push('ebs-orphaned-snapshot');
    out.push({ kind: 'ebs-snapshot', resourceId: snapshot.id, checkIds });
  }
  for (const address of partition.addresses) {
    out.push({ kind: 'elastic-ip', resourceId: address.allocationId, checkIds: address.association ? [] : ['eip-unassociated-address'] });
  }
  for (const db of partition.dbInstances) {
    const checkIds: PlantedCheckId[] = [];
    const family = db.dbInstanceClass.split('.').slice(0, 2).join('.');
    if (db.profile === 'idle') checkIds.push('rds-idle-instance');
    if (db.profile === 'idle' && DB_CLASS_HAS_SMALLER.has(db.dbInstanceClass)) checkIds.push('rds-underutilized-instance');
    if (DB_PREVIOUS_GENERATION.has(family)) checkIds.push('rds-previous-generation-instance');
    // Every engine of the estate (PostgreSQL, MySQL, MariaDB) runs on Graviton classes.
    if (!DB_GRAVITON_FAMILIES.has(family)) checkIds.push('rds-graviton-candidate-instance');
    // gp3 costs the same per GB and includes 3,000 IOPS, all the baseline gp2 gives up to 1,000 GiB: a $0 move.
    if (db.storageType === 'gp2') checkIds.push('rds-gp2-storage-instance');
    if (db.multiAz && NON_PRODUCTION.has(db.tags.env ?? '')) checkIds.push('rds-non-production-multi-az-instance');
    out.push({ kind: 'rds-instance', resourceId: db.id, checkIds });
  }
  for (const fn of partition.functions) {
    const checkIds: PlantedCheckId[] = [];
    if (fn.profile === 'unused') checkIds.push('lambda-unused-function');
    if (fn.profile !== 'unused' && fn.architecture === 'x86_64') checkIds.push('lambda-arm64-candidate-function');
    // Durations stay far enough from every timeout that the checks' timeout guard never decides.
    const singleThreaded = SINGLE_THREADED_RUNTIMES.some((prefix) => fn.runtime.startsWith(prefix));
    if (fn.profile !== 'unused' && singleThreaded && fn.memoryMb > ONE_VCPU_MB && invocationsInWindow(partition, fn, epochMs) >= 50) {
      checkIds.push('lambda-overprovisioned-memory-function');
    }
    out.push({ kind: 'lambda-function', resourceId: fn.name, checkIds });
  }
  for (const gateway of partition.natGateways) {
    out.push({ kind: 'nat-gateway', resourceId: gateway.id, checkIds: gateway.profile === 'idle' ? ['nat-idle-gateway'] : [] });
  }
  for (const balancer of partition.loadBalancers) {
    // No registered targets, or fewer than 100 requests (flows) a day over the last 7 days.
    const idle = balancer.profile !== 'busy';
    out.push({ kind: 'load-balancer', resourceId: balancer.arn ?? balancer.name, checkIds: idle ? ['elb-idle-load-balancer'] : [] });
  }
  for (const snapshot of partition.dbSnapshots) {
    const checkIds: PlantedCheckId[] = [];
    if (snapshot.createTime < epochMs - OLD_DB_SNAPSHOT_DAYS * DAY_MS) checkIds.push('rds-old-snapshot');
    if (!snapshot.sourceExists) checkIds.push('rds-orphaned-snapshot');
    out.push({ kind: 'rds-snapshot', resourceId: snapshot.id, checkIds });
  }
  return out;
}
