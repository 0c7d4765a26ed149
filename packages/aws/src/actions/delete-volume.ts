// ebs.delete-volume: detach (from stopped instances only), snapshot (tagged with the action id), delete; rollback restores it.
import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DetachVolumeCommand,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
  waitUntilVolumeDeleted,
  waitUntilVolumeInUse,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import type { EbsVolume } from '@finops/core';
import type { ActionContext } from './action-context.js';
import { defineExecutor, type ActionExecutor, type Observed } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeOrGone, describeVolume } from './describe-ec2.js';
import { ACTION_ID_TAG, requireObserved, tagList, waitFor } from './executor-support.js';

export interface DeleteVolumeParams {
  volumeId: string;
  snapshotFirst: boolean;
  /** Detach it first: only ever from stopped instances, and never an instance's root volume. */
  detachFirst: boolean;
}

const TYPE = 'ebs.delete-volume';

export function volumeFacts(volume: EbsVolume) {
  return {
    state: volume.state,
    volumeType: volume.volumeType,
    sizeGiB: volume.sizeGiB,
    iops: volume.iops ?? null,
    throughputMiBps: volume.throughputMiBps ?? null,
    attachments: volume.attachments.length,
  };
}

/** The snapshot an earlier attempt of this action already took, found by its action-id tag. */
async function snapshotOfAction(context: ActionContext, volumeId: string): Promise<string | undefined> {
  const ec2 = await context.client('ec2');
  const output = await context.read('ec2:DescribeSnapshots', () =>
    ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [
          { Name: `tag:${ACTION_ID_TAG}`, Values: [context.actionId] },
          { Name: 'volume-id', Values: [volumeId] },
        ],
      }),
    ),
  );
  return output.Snapshots?.find((s) => s.SnapshotId && s.State !== 'error')?.SnapshotId;
}

function snapshotInput(volume: EbsVolume, actionId: string) {
  return {
    VolumeId: volume.id,
    Description: `finops: final snapshot of ${volume.id} before deletion (action ${actionId})`,
    TagSpecifications: [
      {
        ResourceType: 'snapshot' as const,
        Tags: [...tagList(volume.tags), { Key: ACTION_ID_TAG, Value: actionId }, { Key: 'finops:source-volume', Value: volume.id }],
      },
    ],
  };
}

/**
 * The volume, with what detaching it would touch: `details.rootOf` (an instance it is the root volume of) and
 * `details.runningInstances` (attached instances that are not stopped).
 */
async function describeWithInstances(context: ActionContext, volumeId: string): Promise<Observed<'ebs-volume'> | undefined> {
  const current = await describeVolume(context, volumeId);
  if (!current || current.resource.attachments.length === 0) return current;
  const ec2 = await context.client('ec2');
  const ids = current.resource.attachments.map((a) => a.instanceId);
  const output = await context.read('ec2:DescribeInstances', () => ec2.send(new DescribeInstancesCommand({ InstanceIds: ids })));
  const instances = output.Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
  const rootOf = instances.filter((i) => i.BlockDeviceMappings?.some((m) => m.Ebs?.VolumeId === volumeId && m.DeviceName === i.RootDeviceName)).map((i) => i.InstanceId);
  const running = instances.filter((i) => i.State?.Name !== 'stopped').map((i) => `${i.InstanceId} (${i.State?.Name ?? 'unknown'})`);
  return { resource: current.resource, details: { rootOf: rootOf.join(',') || null, runningInstances: running.join(', ') || null } };
}

/** Attaches a restored volume where the deleted one was, when that instance still exists and is stopped. */
async function reattach(context: ActionContext, volumeId: string, attachedTo: readonly string[]): Promise<string | undefined> {
  const ec2 = await context.client('ec2');
  const done: string[] = [];
  for (const entry of attachedTo) {
    const [instanceId, device] = entry.split('=');
    if (!instanceId || !device) continue;
    const output = await describeOrGone(context, 'ec2:DescribeInstances', ['InvalidInstanceID.NotFound'], () =>
      ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
    );
    const state = output?.Reservations?.[0]?.Instances?.[0]?.State?.Name;
    if (state !== 'stopped') {
      done.push(`not re-attached to ${instanceId} (${state ?? 'gone'}): attach it at ${device} by hand`);
      continue;
    }
    const input = { VolumeId: volumeId, InstanceId: instanceId, Device: device };
    await context.mutate('ec2:AttachVolume', input, () => ec2.send(new AttachVolumeCommand(input)));
    await waitFor(context, 'ec2:DescribeVolumes', () => waitUntilVolumeInUse({ client: ec2, ...context.waiter }, { VolumeIds: [volumeId] }));
    done.push(`re-attached to ${instanceId} at ${device}`);
  }
  return done.join('; ') || undefined;
}

export const deleteVolume: ActionExecutor<'ebs-volume', DeleteVolumeParams> = defineExecutor({
  type: TYPE,
  title: 'Delete an EBS volume after a final snapshot (detached first only from a stopped instance)',
  resourceKind: 'ebs-volume',
  removes: true,
  permissions: [
    'ec2:DescribeVolumes',
    'ec2:DescribeInstances',
    'ec2:DetachVolume',
    'ec2:DescribeSnapshots',
    'ec2:CreateSnapshot',
    'ec2:CreateTags',
    'ec2:DeleteVolume',
    'ec2:CreateVolume',
    'ec2:AttachVolume',
  ],
  rollback: {
    restores: 'part',
    note: 'creates a new volume (new id, same type, size and zone) from the final snapshot and re-attaches it to a stopped instance it was detached from; without a snapshot nothing can be restored',
  },
  parseParams(params, resourceId) {
    const read = paramReader(TYPE, params);
    return {
      volumeId: read.resourceId('volumeId', resourceId),
      snapshotFirst: read.boolean('snapshotFirst', true),
      detachFirst: read.boolean('detachFirst', false),
    };
  },
  facts: volumeFacts,
  describe: (context, { volumeId }) => describeWithInstances(context, volumeId),
  readiness({ resource, details }, { detachFirst }) {
    if (resource.attachments.length === 0) {
      return resource.state === 'available' ? { state: 'ready' } : { state: 'blocked', reason: `the volume is ${resource.state}` };
    }
    const attached = resource.attachments.map((a) => a.instanceId).join(', ');
    if (!detachFirst) return { state: 'blocked', reason: `the volume is attached to ${attached}` };
    if (details.rootOf) return { state: 'blocked', reason: `the volume is the root volume of ${String(details.rootOf)}: delete the instance instead` };
    if (details.runningInstances) return { state: 'blocked', reason: `the volume is attached to ${String(details.runningInstances)}, which is not stopped: detach it by hand` };
    return { state: 'ready' };
  },
  plan({ resource }, { snapshotFirst }, actionId) {
    const snapshot = snapshotFirst
      ? [
          { api: 'ec2:DescribeSnapshots', input: { OwnerIds: ['self'], Filters: [{ Name: `tag:${ACTION_ID_TAG}`, Values: [actionId] }] }, note: 'reuse a snapshot an interrupted attempt took' },
          { api: 'ec2:CreateSnapshot', input: snapshotInput(resource, actionId) },
          { api: 'ec2:DescribeSnapshots', input: { SnapshotIds: ['<new snapshot>'] }, note: 'waiter: until the snapshot is completed' },
        ]
      : [];
    const detach = resource.attachments.flatMap((a) => [
      { api: 'ec2:DetachVolume', input: { VolumeId: resource.id, InstanceId: a.instanceId } },
      { api: 'ec2:DescribeVolumes', input: { VolumeIds: [resource.id] }, note: 'waiter: until the volume is available' },
    ]);
    return [
      ...detach,
      ...snapshot,
      { api: 'ec2:DeleteVolume', input: { VolumeId: resource.id } },
      { api: 'ec2:DescribeVolumes', input: { VolumeIds: [resource.id] }, note: 'waiter: until the volume is deleted' },
    ];
  },
  async apply(context, { resource }, { snapshotFirst }) {
    const ec2 = await context.client('ec2');
    const restoreFrom = (snapshotId: string | null) => ({
      snapshotId,
      volumeId: resource.id,
      volumeType: resource.volumeType,
      sizeGiB: resource.sizeGiB,
      iops: resource.iops ?? null,
      throughputMiBps: resource.throughputMiBps ?? null,
      availabilityZone: resource.availabilityZone ?? null,
      encrypted: resource.encrypted,
      tags: resource.tags,
      attachedTo: resource.attachments.map((a) => `${a.instanceId}=${a.device ?? ''}`),
    });
    // On record before the detach; the snapshot's id is added before the delete, the call that needs it.
    if (snapshotFirst) await context.recordUndo(restoreFrom(null));
    for (const attachment of resource.attachments) {
      const input = { VolumeId: resource.id, InstanceId: attachment.instanceId };
      await context.mutate('ec2:DetachVolume', input, () => ec2.send(new DetachVolumeCommand(input)));
    }
    if (resource.attachments.length > 0) {
      await waitFor(context, 'ec2:DescribeVolumes', () => waitUntilVolumeAvailable({ client: ec2, ...context.waiter }, { VolumeIds: [resource.id] }));
    }
    let snapshotId: string | undefined;
    if (snapshotFirst) {
      // CreateSnapshot takes no client token: the action-id tag is how a retry finds the snapshot it already took.
      snapshotId = await snapshotOfAction(context, resource.id);
      if (!snapshotId) {
        const input = snapshotInput(resource, context.actionId);
        const output = await context.mutate('ec2:CreateSnapshot', input, () => ec2.send(new CreateSnapshotCommand(input)));
        snapshotId = output.SnapshotId;
      }
      if (!snapshotId) throw Object.assign(new Error(`CreateSnapshot of ${resource.id} returned no snapshot id`), { name: 'InvalidSnapshotResponse' });
      const ids = [snapshotId];
      await waitFor(context, 'ec2:DescribeSnapshots', () => waitUntilSnapshotCompleted({ client: ec2, ...context.waiter }, { SnapshotIds: ids }));
    }
    const undo = snapshotId ? restoreFrom(snapshotId) : undefined;
    if (undo) await context.recordUndo(undo);
    await context.mutate('ec2:DeleteVolume', { VolumeId: resource.id }, () => ec2.send(new DeleteVolumeCommand({ VolumeId: resource.id })));
    await waitFor(context, 'ec2:DescribeVolumes', () => waitUntilVolumeDeleted({ client: ec2, ...context.waiter }, { VolumeIds: [resource.id] }));
    return {
      after: undefined,
      undo,
      notes: snapshotId ? [`final snapshot ${snapshotId} keeps billing until it is deleted`] : ['no snapshot was taken: the data is gone'],
    };
  },
  async undo(context, undo) {
    // An action that stopped after the detach or the snapshot (applied in part) left the volume itself: re-attach it
    // rather than create a copy beside it.
    const original = await describeVolume(context, String(undo.volumeId));
    if (original && original.resource.state !== 'deleting') {
      if (original.resource.attachments.length > 0) {
        return { status: 'rolled-back', message: `volume ${original.resource.id} was not deleted and is attached: nothing to restore`, after: volumeFacts(original.resource) };
      }
      const reattached = await reattach(context, original.resource.id, Array.isArray(undo.attachedTo) ? undo.attachedTo : []);
      const after = requireObserved(await describeVolume(context, original.resource.id), 'volume', original.resource.id);
      return {
        status: 'rolled-back',
        message: `volume ${original.resource.id} was not deleted${reattached ? `: ${reattached}` : ' (it was not attached)'}`,
        after: volumeFacts(after.resource),
      };
    }
    if (!undo.snapshotId || !undo.availabilityZone) {
      return { status: 'impossible', message: 'the volume was deleted without a snapshot: its data cannot be restored' };
    }
    const ec2 = await context.client('ec2');
    const volumeType = String(undo.volumeType) as VolumeType;
    const tags = { ...(undo.tags as Record<string, string>), 'finops:restored-from': String(undo.volumeId) };
    const input = {
      SnapshotId: String(undo.snapshotId),
      AvailabilityZone: String(undo.availabilityZone),
      VolumeType: volumeType,
      // Iops and Throughput are accepted only for the types that provision them.
      ...(['io1', 'io2', 'gp3'].includes(volumeType) && typeof undo.iops === 'number' ? { Iops: undo.iops } : {}),
      ...(volumeType === 'gp3' && typeof undo.throughputMiBps === 'number' ? { Throughput: undo.throughputMiBps } : {}),
      // ClientToken makes a retried rollback return the same volume instead of creating a second one.
      ClientToken: `${context.actionId}-rollback`.slice(0, 64),
      TagSpecifications: [{ ResourceType: 'volume' as const, Tags: tagList(tags) }],
    };
    const output = await context.mutate('ec2:CreateVolume', input, () => ec2.send(new CreateVolumeCommand(input)));
    const volumeId = output.VolumeId;
    if (!volumeId) throw Object.assign(new Error('CreateVolume returned no volume id'), { name: 'InvalidVolumeResponse' });
    await waitFor(context, 'ec2:DescribeVolumes', () => waitUntilVolumeAvailable({ client: ec2, ...context.waiter }, { VolumeIds: [volumeId] }));
    const reattached = await reattach(context, volumeId, Array.isArray(undo.attachedTo) ? undo.attachedTo : []);
    const after = requireObserved(await describeVolume(context, volumeId), 'volume', volumeId);
    return {
      status: 'partial',
      message: `restored ${String(undo.volumeId)} as new volume ${volumeId} from snapshot ${String(undo.snapshotId)} (a new id)${reattached ? `; ${reattached}` : '; not attached'}`,
      after: { volumeId, ...volumeFacts(after.resource) },
    };
  },
});
