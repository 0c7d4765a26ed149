// ebs.modify-volume: change a gp2 or io1/io2 volume to gp3 in place (no detach, no downtime); rollback sets the old type.
import { ModifyVolumeCommand, type VolumeType } from '@aws-sdk/client-ec2';
import type { EbsVolume } from '@finops/core';
import type { ActionContext } from './action-context.js';
import { defineExecutor, type ActionExecutor } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeVolume } from './describe-ec2.js';
import { pollUntil, requireObserved } from './executor-support.js';
import { volumeFacts } from './delete-volume.js';

export interface ModifyVolumeParams {
  volumeId: string;
  volumeType: 'gp3';
  /** Provisioned IOPS of the new volume; default: at least what the volume delivers today (gp3 includes 3,000). */
  iops?: number;
  /** Throughput of the new volume in MiB/s; default: what the old type delivers (gp3 includes 125). */
  throughputMiBps?: number;
}

const TYPE = 'ebs.modify-volume';
const GP3_MAX_IOPS = 16_000;
const GP3_BASE_IOPS = 3_000;
const GP3_BASE_THROUGHPUT = 125;

/** gp2 delivers 3 IOPS per GiB (at least 100, at most 16,000); io1/io2 what is provisioned. */
function currentIops(volume: EbsVolume): number {
  if (volume.volumeType === 'gp2') return Math.min(16_000, Math.max(100, 3 * volume.sizeGiB));
  return volume.iops ?? GP3_BASE_IOPS;
}

/** gp2 volumes above 170 GiB deliver up to 250 MiB/s; gp3 includes 125. */
function currentThroughput(volume: EbsVolume): number {
  if (volume.volumeType === 'gp2') return volume.sizeGiB > 170 ? 250 : GP3_BASE_THROUGHPUT;
  return GP3_BASE_THROUGHPUT;
}

/** The gp3 request that keeps the volume at least as fast as it is. */
export function gp3Request(volume: EbsVolume, params: ModifyVolumeParams) {
  const iops = Math.max(GP3_BASE_IOPS, params.iops ?? currentIops(volume));
  const throughput = Math.max(GP3_BASE_THROUGHPUT, params.throughputMiBps ?? currentThroughput(volume));
  return {
    VolumeId: volume.id,
    VolumeType: 'gp3' as const,
    ...(iops > GP3_BASE_IOPS ? { Iops: iops } : {}),
    ...(throughput > GP3_BASE_THROUGHPUT ? { Throughput: throughput } : {}),
  };
}

async function modifyAndWait(context: ActionContext, input: { VolumeId: string; VolumeType: VolumeType; Iops?: number; Throughput?: number }) {
  const ec2 = await context.client('ec2');
  await context.mutate('ec2:ModifyVolume', input, () => ec2.send(new ModifyVolumeCommand(input)));
  // DescribeVolumes shows the new type once the modification is under way (optimizing keeps the volume usable).
  await pollUntil(context, `volume ${input.VolumeId} to become ${input.VolumeType}`, async () => {
    const current = await describeVolume(context, input.VolumeId);
    return current?.resource.volumeType === input.VolumeType;
  });
  return requireObserved(await describeVolume(context, input.VolumeId), 'volume', input.VolumeId);
}

export const modifyVolume: ActionExecutor<'ebs-volume', ModifyVolumeParams> = defineExecutor({
  type: TYPE,
  title: 'Change an EBS volume to gp3 in place',
  resourceKind: 'ebs-volume',
  removes: false,
  permissions: ['ec2:DescribeVolumes', 'ec2:ModifyVolume'],
  rollback: {
    restores: 'all',
    note: 'modifies the volume back to its previous type, IOPS and throughput — AWS allows one modification per volume every 6 hours',
  },
  parseParams(params, resourceId) {
    const read = paramReader(TYPE, params);
    return {
      volumeId: read.resourceId('volumeId', resourceId),
      volumeType: read.oneOf('volumeType', ['gp3'] as const, 'gp3'),
      // Below gp3's included 3,000 IOPS is allowed in the params and rounded up: gp3 never goes lower.
      iops: read.optionalInteger('iops', 100, GP3_MAX_IOPS),
      throughputMiBps: read.optionalInteger('throughputMiBps', GP3_BASE_THROUGHPUT, 1000),
    };
  },
  facts: volumeFacts,
  describe: (context, { volumeId }) => describeVolume(context, volumeId),
  readiness({ resource }, params) {
    if (resource.volumeType === params.volumeType) return { state: 'done', reason: `the volume is already ${resource.volumeType}` };
    if (!['gp2', 'io1', 'io2'].includes(resource.volumeType)) return { state: 'blocked', reason: `a ${resource.volumeType} volume is not changed to gp3 by this action` };
    if (!['available', 'in-use'].includes(resource.state)) return { state: 'blocked', reason: `the volume is ${resource.state}` };
    if (currentIops(resource) > GP3_MAX_IOPS && params.iops === undefined) {
      return { state: 'blocked', reason: `the volume delivers ${currentIops(resource)} IOPS, more than gp3's ${GP3_MAX_IOPS}` };
    }
    return { state: 'ready' };
  },
  plan({ resource }, params) {
    return [
      { api: 'ec2:ModifyVolume', input: gp3Request(resource, params) },
      { api: 'ec2:DescribeVolumes', input: { VolumeIds: [resource.id] }, note: 'poll: until the volume reports the new type' },
    ];
  },
  async apply(context, { resource }, params) {
    const undo = {
      volumeId: resource.id,
      previousVolumeType: resource.volumeType,
      previousIops: resource.iops ?? null,
      previousThroughputMiBps: resource.throughputMiBps ?? null,
    };
    await context.recordUndo(undo);
    const after = await modifyAndWait(context, gp3Request(resource, params));
    return {
      after,
      undo,
      notes: ['the volume keeps optimizing for a while; it stays usable throughout'],
    };
  },
  async undo(context, undo) {
    const volumeId = String(undo.volumeId);
    const current = await describeVolume(context, volumeId);
    if (!current) return { status: 'impossible', message: `volume ${volumeId} no longer exists` };
    const type = String(undo.previousVolumeType) as VolumeType;
    if (current.resource.volumeType === type) return { status: 'rolled-back', message: `volume ${volumeId} is already ${type}`, after: volumeFacts(current.resource) };
    // gp2 takes no Iops (it follows the size); io1/io2 need theirs back.
    const input = {
      VolumeId: volumeId,
      VolumeType: type,
      ...(type !== 'gp2' && typeof undo.previousIops === 'number' ? { Iops: undo.previousIops } : {}),
    };
    const after = await modifyAndWait(context, input);
    return { status: 'rolled-back', message: `volume ${volumeId} is ${type} again`, after: volumeFacts(after.resource) };
  },
});
