// rds.delete-db-snapshot: delete a manual DB snapshot; a deleted snapshot cannot be restored.
import { DeleteDBSnapshotCommand, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import type { RdsSnapshot } from '@finops/core';
import { toRdsSnapshot } from '../collectors/rds-snapshot.js';
import type { ActionContext } from './action-context.js';
import { defineExecutor, type ActionExecutor, type Observed } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeOrGone } from './describe-ec2.js';
import { observed, pollUntil } from './executor-support.js';

const TYPE = 'rds.delete-db-snapshot';

/** The manual snapshot, with whether its source instance still exists, as the snapshot collector sees it. */
async function describeDbSnapshot(context: ActionContext, id: string): Promise<Observed<'rds-snapshot'> | undefined> {
  const rds = await context.client('rds');
  const output = await describeOrGone(context, 'rds:DescribeDBSnapshots', ['DBSnapshotNotFound', 'DBSnapshotNotFoundFault'], () =>
    rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id })),
  );
  const snapshot = output?.DBSnapshots?.find((s) => s.DBSnapshotIdentifier === id);
  if (!snapshot || snapshot.Status === 'deleting') return undefined;
  const instances = snapshot.DbiResourceId
    ? ((await context.read('rds:DescribeDBInstances', () =>
        rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'dbi-resource-id', Values: [snapshot.DbiResourceId as string] }] })),
      )).DBInstances ?? [])
    : [];
  const sources = {
    identifiers: new Set(instances.flatMap((i) => (i.DBInstanceIdentifier ? [i.DBInstanceIdentifier] : []))),
    resourceIds: new Set(instances.flatMap((i) => (i.DbiResourceId ? [i.DbiResourceId] : []))),
  };
  return observed(toRdsSnapshot(snapshot, context.scope, new Date().toISOString(), sources), { snapshotType: snapshot.SnapshotType ?? 'manual' });
}

export function dbSnapshotFacts(snapshot: RdsSnapshot) {
  return { status: snapshot.status, allocatedStorageGiB: snapshot.allocatedStorageGiB, sourceInstanceExists: snapshot.sourceInstanceExists };
}

export const deleteDbSnapshot: ActionExecutor<'rds-snapshot', { dbSnapshotIdentifier: string }> = defineExecutor({
  type: TYPE,
  title: 'Delete a manual RDS DB snapshot',
  resourceKind: 'rds-snapshot',
  removes: true,
  permissions: ['rds:DescribeDBSnapshots', 'rds:DescribeDBInstances', 'rds:DeleteDBSnapshot'],
  rollback: { restores: 'nothing', note: 'a deleted DB snapshot cannot be restored: export it to S3 first if its data may be needed' },
  parseParams: (params, resourceId) => ({ dbSnapshotIdentifier: paramReader(TYPE, params).resourceId('dbSnapshotIdentifier', resourceId) }),
  facts: dbSnapshotFacts,
  describe: (context, { dbSnapshotIdentifier }) => describeDbSnapshot(context, dbSnapshotIdentifier),
  readiness({ resource, details }) {
    // Automated snapshots belong to the instance's backup retention: deleting them is not this action's business.
    if (details.snapshotType !== 'manual') return { state: 'blocked', reason: `a ${String(details.snapshotType)} snapshot is not deleted by this action` };
    if (resource.status !== 'available') return { state: 'blocked', reason: `the snapshot is ${resource.status}` };
    return { state: 'ready' };
  },
  plan({ resource }) {
    return [
      { api: 'rds:DeleteDBSnapshot', input: { DBSnapshotIdentifier: resource.id } },
      { api: 'rds:DescribeDBSnapshots', input: { DBSnapshotIdentifier: resource.id }, note: 'poll: until the snapshot is gone' },
    ];
  },
  async apply(context, { resource }) {
    const rds = await context.client('rds');
    const input = { DBSnapshotIdentifier: resource.id };
    const undo = { dbSnapshotIdentifier: resource.id, dbInstanceId: resource.dbInstanceId, engine: resource.engine, allocatedStorageGiB: resource.allocatedStorageGiB };
    await context.recordUndo(undo);
    await context.mutate('rds:DeleteDBSnapshot', input, () => rds.send(new DeleteDBSnapshotCommand(input)));
    await pollUntil(context, `DB snapshot ${resource.id} to be deleted`, async () => (await describeDbSnapshot(context, resource.id)) === undefined);
    return {
      after: undefined,
      undo,
      notes: [],
    };
  },
  async undo(_context, undo) {
    return { status: 'impossible', message: `DB snapshot ${String(undo.dbSnapshotIdentifier)} (of ${String(undo.dbInstanceId)}) was deleted and cannot be restored` };
  },
});
