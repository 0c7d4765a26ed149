// What the simulator planted: the waste each check must find, and the healthy resources no check may touch.
import type { ResourceKind } from '@finops/core';
import { DAY_MS } from './clock.js';
import type { Partition } from './estate-types.js';

/** The check ids whose waste the simulator plants; for each, plantedWaste() is exhaustive. */
export const PLANTED_CHECK_IDS = [
  'ec2-idle-instance',
  'ec2-stopped-instance',
  'ebs-unattached-volume',
  'ebs-gp2-volume',
  'eip-unassociated-address',
  'snapshot-old',
  'snapshot-orphaned',
  'rds-idle-instance',
  'lambda-unused-function',
] as const;
export type PlantedCheckId = (typeof PLANTED_CHECK_IDS)[number];

export interface PlantedWaste {
  checkId: PlantedCheckId;
  accountId: string;
  region: string;
  /** The id the platform's model uses: instance id, volume id, snapshot id, allocation id, DB identifier, function name. */
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
/** Older than this is `snapshot-old`; planted snapshots are ≥ 120 days or ≤ 60 days old. */
export const OLD_SNAPSHOT_DAYS = 90;

/** Every resource of a partition with the check ids it was planted for (empty: healthy). */
export function classifyPartition(partition: Partition, epochMs: number): { kind: ResourceKind; resourceId: string; checkIds: PlantedCheckId[] }[] {
  const out: { kind: ResourceKind; resourceId: string; checkIds: PlantedCheckId[] }[] = [];
  for (const instance of partition.instances) {
    const checkIds: PlantedCheckId[] = [];
    if (instance.state === 'running' && instance.profile === 'idle') checkIds.push('ec2-idle-instance');
    if (instance.state === 'stopped' && instance.stoppedAt !== undefined && instance.stoppedAt < epochMs - STOPPED_WASTE_DAYS * DAY_MS) {
      checkIds.push('ec2-stopped-instance');
    }
    out.push({ kind: 'ec2-instance', resourceId: instance.id, checkIds });
  }
  for (const volume of partition.volumes) {
    const checkIds: PlantedCheckId[] = [];
    if (!volume.attachment) checkIds.push('ebs-unattached-volume');
    if (volume.volumeType === 'gp2') checkIds.push('ebs-gp2-volume');
    out.push({ kind: 'ebs-volume', resourceId: volume.id, checkIds });
  }
  for (const snapshot of partition.snapshots) {
    const checkIds: PlantedCheckId[] = [];
    if (snapshot.startTime < epochMs - OLD_SNAPSHOT_DAYS * DAY_MS) checkIds.push('snapshot-old');
    if (!snapshot.sourceVolumeExists && snapshot.imageIds.length === 0) checkIds.push('snapshot-orphaned');
    out.push({ kind: 'ebs-snapshot', resourceId: snapshot.id, checkIds });
  }
  for (const address of partition.addresses) {
    out.push({ kind: 'elastic-ip', resourceId: address.allocationId, checkIds: address.association ? [] : ['eip-unassociated-address'] });
  }
  for (const db of partition.dbInstances) {
    out.push({ kind: 'rds-instance', resourceId: db.id, checkIds: db.profile === 'idle' ? ['rds-idle-instance'] : [] });
  }
  for (const fn of partition.functions) {
    out.push({ kind: 'lambda-function', resourceId: fn.name, checkIds: fn.profile === 'unused' ? ['lambda-unused-function'] : [] });
  }
  return out;
}
