// ebs.delete-snapshot: delete a snapshot no AMI uses, or move it to the archive tier instead (safety.archiveSnapshots).
import { DeleteSnapshotCommand, ModifySnapshotTierCommand, RestoreSnapshotTierCommand } from '@aws-sdk/client-ec2';
import type { EbsSnapshot } from '@finops/core';
import type { ActionContext } from './action-context.js';
import { defineExecutor, type ActionExecutor, type Applied, type Observed } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeSnapshot } from './describe-ec2.js';
import { pollUntil, requireObserved } from './executor-support.js';

export interface SnapshotParams {
  snapshotId: string;
  /** Move the snapshot to the archive tier instead of deleting it (75% cheaper, 90-day minimum, slow restore). */
  archive: boolean;
  /** AMIs a check says must be deregistered first: such snapshots are never deleted by this action. */
  deregisterImages: string[];
}

export function snapshotFacts(snapshot: EbsSnapshot) {
  return {
    state: snapshot.state,
    storageTier: snapshot.storageTier,
    volumeSizeGiB: snapshot.volumeSizeGiB,
    usedByImages: snapshot.usedByImages.length,
  };
}

async function archive(context: ActionContext, { resource }: Observed<'ebs-snapshot'>): Promise<Applied> {
  const ec2 = await context.client('ec2');
  const input = { SnapshotId: resource.id, StorageTier: 'archive' as const };
  const undo = { snapshotId: resource.id, previousStorageTier: 'standard' };
  await context.recordUndo(undo);
  const output = await context.mutate('ec2:ModifySnapshotTier', input, () => ec2.send(new ModifySnapshotTierCommand(input)));
  const after = requireObserved(await describeSnapshot(context, resource.id), 'snapshot', resource.id);
  return {
    after,
    undo,
    notes: [
      after.resource.storageTier === 'archive'
        ? 'archived: restoring it takes 24–72 hours, and archive storage is billed for at least 90 days'
        : `archiving started${output.TieringStartTime ? ` at ${new Date(output.TieringStartTime).toISOString()}` : ''}; it completes within hours`,
    ],
  };
}

async function remove(context: ActionContext, { resource }: Observed<'ebs-snapshot'>): Promise<Applied> {
  const ec2 = await context.client('ec2');
  const undo = { snapshotId: resource.id, volumeId: resource.volumeId ?? null, volumeSizeGiB: resource.volumeSizeGiB, description: resource.description ?? null };
  await context.recordUndo(undo);
  await context.mutate('ec2:DeleteSnapshot', { SnapshotId: resource.id }, () => ec2.send(new DeleteSnapshotCommand({ SnapshotId: resource.id })));
  await pollUntil(context, `snapshot ${resource.id} to be deleted`, async () => (await describeSnapshot(context, resource.id)) === undefined);
  return {
    after: undefined,
    undo,
    notes: ['a deleted snapshot is gone unless a Recycle Bin retention rule covers it'],
  };
}

const TYPE = 'ebs.delete-snapshot';

export const deleteSnapshot: ActionExecutor<'ebs-snapshot', SnapshotParams> = defineExecutor({
  type: TYPE,
  title: 'Delete an EBS snapshot no AMI uses (or archive it)',
  resourceKind: 'ebs-snapshot',
  removes: true,
  permissions: ['ec2:DescribeSnapshots', 'ec2:DescribeImages', 'ec2:DescribeVolumes', 'ec2:DeleteSnapshot', 'ec2:ModifySnapshotTier', 'ec2:RestoreSnapshotTier'],
  rollback: {
    restores: 'part',
    note: 'an archived snapshot is restored to the standard tier (24–72 hours); a deleted one cannot be restored (except from a Recycle Bin rule, by hand)',
  },
  parseParams(params, resourceId) {
    const read = paramReader(TYPE, params);
    return { snapshotId: read.resourceId('snapshotId', resourceId), archive: read.boolean('archive', false), deregisterImages: read.list('deregisterImages') };
  },
  facts: snapshotFacts,
  describe: (context, { snapshotId }) => describeSnapshot(context, snapshotId),
  readiness({ resource }, params) {
    // Deregistering an AMI can break launch templates and Auto Scaling groups: that is an operator's call.
    const images = [...new Set([...resource.usedByImages, ...params.deregisterImages])];
    if (images.length > 0) return { state: 'blocked', reason: `AMI ${images.join(', ')} uses the snapshot: deregister it by hand first` };
    if (resource.state !== 'completed') return { state: 'blocked', reason: `the snapshot is ${resource.state}` };
    if (params.archive && resource.storageTier === 'archive') return { state: 'done', reason: 'the snapshot is already archived' };
    return { state: 'ready' };
  },
  plan({ resource }, params) {
    return params.archive
      ? [{ api: 'ec2:ModifySnapshotTier', input: { SnapshotId: resource.id, StorageTier: 'archive' } }]
      : [
          { api: 'ec2:DeleteSnapshot', input: { SnapshotId: resource.id } },
          { api: 'ec2:DescribeSnapshots', input: { SnapshotIds: [resource.id] }, note: 'poll: until the snapshot is gone' },
        ];
  },
  apply: (context, current, params) => (params.archive ? archive(context, current) : remove(context, current)),
  async undo(context, undo) {
    const snapshotId = String(undo.snapshotId);
    if (undo.previousStorageTier !== 'standard') {
      return { status: 'impossible', message: `snapshot ${snapshotId} was deleted: it cannot be restored (unless a Recycle Bin rule kept it)` };
    }
    const current = await describeSnapshot(context, snapshotId);
    if (!current) return { status: 'impossible', message: `snapshot ${snapshotId} no longer exists` };
    const ec2 = await context.client('ec2');
    if (current.resource.storageTier === 'archive') {
      const input = { SnapshotId: snapshotId, PermanentRestore: true };
      await context.mutate('ec2:RestoreSnapshotTier', input, () => ec2.send(new RestoreSnapshotTierCommand(input)));
    }
    const after = requireObserved(await describeSnapshot(context, snapshotId), 'snapshot', snapshotId);
    return {
      status: 'rolled-back',
      message: after.resource.storageTier === 'standard' ? `snapshot ${snapshotId} is in the standard tier again` : `restore of snapshot ${snapshotId} to the standard tier started (24–72 hours)`,
      after: snapshotFacts(after.resource),
    };
  },
});
