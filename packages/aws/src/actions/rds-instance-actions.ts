// RDS instance executors: stop an idle instance, modify it (class, storage to gp3, Multi-AZ off), delete it after a final snapshot.
import {
  DeleteDBInstanceCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  StartDBInstanceCommand,
  StopDBInstanceCommand,
  waitUntilDBInstanceAvailable,
  waitUntilDBSnapshotAvailable,
} from '@aws-sdk/client-rds';
import type { RdsInstance } from '@finops/core';
import type { ActionContext } from './action-context.js';
import { ActionParamsError, defineExecutor, type ActionExecutor, type ActionParams, type Readiness } from './action-executor.js';
import { paramReader } from './action-params.js';
import { clusterProblem, dbInstanceFacts, describeDbInstance, modifyDbInstanceAndWait } from './describe-rds.js';
import { pollUntil, requireObserved, tagList, waitFor } from './executor-support.js';

/** The instance id under the names checks use for it; whichever is given must be the recommendation's resource. */
function dbInstanceId(type: string, params: ActionParams, resourceId: string): string {
  const field = ['dbInstanceIdentifier', 'dbInstanceId'].find((key) => params[key] !== undefined) ?? 'dbInstanceIdentifier';
  return paramReader(type, params).resourceId(field, resourceId);
}

export interface DbInstanceParams {
  dbInstanceId: string;
}

export const stopDbInstance: ActionExecutor<'rds-instance', DbInstanceParams> = defineExecutor({
  type: 'rds.stop-instance',
  title: 'Stop an idle RDS DB instance',
  resourceKind: 'rds-instance',
  removes: false,
  permissions: ['rds:DescribeDBInstances', 'rds:StopDBInstance', 'rds:StartDBInstance'],
  rollback: { restores: 'all', note: 'starts the DB instance again' },
  parseParams: (params, resourceId) => ({ dbInstanceId: dbInstanceId('rds.stop-instance', params, resourceId) }),
  facts: dbInstanceFacts,
  describe: (context, { dbInstanceId: id }) => describeDbInstance(context, id),
  readiness(current) {
    const { resource, details } = current;
    if (resource.status === 'stopped' || resource.status === 'stopping') return { state: 'done', reason: `the DB instance is already ${resource.status}` };
    const cluster = clusterProblem(current);
    if (cluster) return { state: 'blocked', reason: cluster };
    if (Number(details.readReplicas) > 0) return { state: 'blocked', reason: 'an instance with read replicas cannot be stopped' };
    if (details.replicaOf) return { state: 'blocked', reason: `the instance is a read replica of ${String(details.replicaOf)} and cannot be stopped` };
    if (resource.multiAz && resource.engine.startsWith('sqlserver')) return { state: 'blocked', reason: 'a Multi-AZ SQL Server instance cannot be stopped' };
    if (resource.status !== 'available') return { state: 'blocked', reason: `the DB instance is ${resource.status}` };
    return { state: 'ready' };
  },
  plan({ resource }) {
    return [
      { api: 'rds:StopDBInstance', input: { DBInstanceIdentifier: resource.id } },
      { api: 'rds:DescribeDBInstances', input: { DBInstanceIdentifier: resource.id }, note: 'poll: until the instance is stopped' },
    ];
  },
  async apply(context, { resource }) {
    const rds = await context.client('rds');
    const input = { DBInstanceIdentifier: resource.id };
    const undo = { dbInstanceId: resource.id, previousStatus: 'available' };
    await context.recordUndo(undo);
    if (resource.status === 'available') await context.mutate('rds:StopDBInstance', input, () => rds.send(new StopDBInstanceCommand(input)));
    await pollUntil(context, `DB instance ${resource.id} to stop`, async () => (await describeDbInstance(context, resource.id))?.resource.status === 'stopped');
    return {
      after: requireObserved(await describeDbInstance(context, resource.id), 'DB instance', resource.id),
      undo,
      // AWS's own rule, and the one most likely to surprise: a stopped instance does not stay stopped.
      notes: ['RDS starts a stopped instance again after 7 days; storage and backups keep billing while it is stopped'],
    };
  },
  async undo(context, undo) {
    const id = String(undo.dbInstanceId);
    const current = await describeDbInstance(context, id);
    if (!current) return { status: 'impossible', message: `DB instance ${id} no longer exists` };
    const rds = await context.client('rds');
    if (current.resource.status === 'stopped') {
      await context.mutate('rds:StartDBInstance', { DBInstanceIdentifier: id }, () => rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier: id })));
    }
    await waitFor(context, 'rds:DescribeDBInstances', () => waitUntilDBInstanceAvailable({ client: rds, ...context.waiter }, { DBInstanceIdentifier: id }));
    const after = requireObserved(await describeDbInstance(context, id), 'DB instance', id);
    return { status: 'rolled-back', message: `started DB instance ${id} again`, after: dbInstanceFacts(after.resource) };
  },
});

/** What one ModifyDBInstance changes: any of class, storage type (with IOPS) and Multi-AZ. */
export interface DbModifyParams {
  dbInstanceId: string;
  /** The class the recommendation was made for (the change is refused from any other). */
  fromClass?: string;
  toClass?: string;
  storageType?: 'gp3';
  iops?: number;
  multiAz?: false;
}

interface DbTarget {
  dbInstanceClass?: string;
  storageType?: string;
  iops?: number;
  multiAz?: boolean;
}

function targetOf(params: DbModifyParams): DbTarget {
  return {
    ...(params.toClass ? { dbInstanceClass: params.toClass } : {}),
    ...(params.storageType ? { storageType: params.storageType } : {}),
    ...(params.iops !== undefined ? { iops: params.iops } : {}),
    ...(params.multiAz !== undefined ? { multiAz: params.multiAz } : {}),
  };
}

/** Whether the instance already has every targeted value (IOPS are not compared: gp3 reports its own baseline). */
function reached(db: RdsInstance, target: DbTarget): boolean {
  return (
    (target.dbInstanceClass === undefined || db.dbInstanceClass === target.dbInstanceClass) &&
    (target.storageType === undefined || db.storageType === target.storageType) &&
    (target.multiAz === undefined || db.multiAz === target.multiAz)
  );
}

function modifyInput(id: string, target: DbTarget) {
  return {
    DBInstanceIdentifier: id,
    ...(target.dbInstanceClass ? { DBInstanceClass: target.dbInstanceClass } : {}),
    ...(target.storageType ? { StorageType: target.storageType } : {}),
    // gp3 under 400 GiB (most engines) has a fixed 3,000 IOPS baseline: RDS refuses an Iops value there.
    ...(target.iops !== undefined && target.storageType !== 'gp3' ? { Iops: target.iops } : {}),
    ...(target.multiAz !== undefined ? { MultiAZ: target.multiAz } : {}),
  };
}

const MODIFY = 'rds.modify-db-instance';

export const modifyDbInstance: ActionExecutor<'rds-instance', DbModifyParams> = defineExecutor({
  type: MODIFY,
  title: 'Modify an RDS DB instance: its class, storage to gp3, or Multi-AZ off',
  resourceKind: 'rds-instance',
  removes: false,
  permissions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
  rollback: {
    restores: 'all',
    note: 'modifies the instance back (class, storage type, Multi-AZ) — RDS refuses a second storage change for 6 hours, and a class change means another short outage',
  },
  parseParams(params, resourceId) {
    const read = paramReader(MODIFY, params);
    const classPattern = /^db\.[a-z0-9-]+\.[a-z0-9]+$/;
    const parsed: DbModifyParams = {
      dbInstanceId: dbInstanceId(MODIFY, params, resourceId),
      ...(params.fromClass !== undefined ? { fromClass: read.matching('fromClass', classPattern, 'a DB instance class such as "db.t3.medium"') } : {}),
      ...(params.toClass !== undefined ? { toClass: read.matching('toClass', classPattern, 'a DB instance class such as "db.t3.medium"') } : {}),
      ...(params.storageType !== undefined ? { storageType: read.oneOf('storageType', ['gp3'] as const) } : {}),
      ...(params.iops !== undefined ? { iops: read.integer('iops', 1000, 256_000) } : {}),
    };
    if (params.multiAZ !== undefined) {
      // Turning Multi-AZ on costs money: no recommendation asks for it, and this action does not do it.
      if (read.boolean('multiAZ', false)) throw new ActionParamsError(MODIFY, 'multiAZ', 'only false (turn Multi-AZ off) is supported');
      parsed.multiAz = false;
    }
    if (!parsed.toClass && !parsed.storageType && parsed.multiAz === undefined) {
      throw new ActionParamsError(MODIFY, 'toClass', 'nothing to change: expected toClass, storageType: gp3 or multiAZ: false');
    }
    return parsed;
  },
  facts: (db) => ({ ...dbInstanceFacts(db), iops: db.iops ?? null }),
  describe: (context, { dbInstanceId: id }) => describeDbInstance(context, id),
  readiness(current, params): Readiness {
    const { resource } = current;
    const target = targetOf(params);
    if (reached(resource, target)) return { state: 'done', reason: 'the instance already has the recommended configuration' };
    const cluster = clusterProblem(current);
    if (cluster) return { state: 'blocked', reason: cluster };
    if (resource.status !== 'available') return { state: 'blocked', reason: `the DB instance is ${resource.status}` };
    if (params.fromClass && params.toClass && resource.dbInstanceClass !== params.fromClass && resource.dbInstanceClass !== params.toClass) {
      return { state: 'blocked', reason: `the class is ${resource.dbInstanceClass}, not ${params.fromClass} as recommended` };
    }
    if (params.storageType && !['gp2', 'io1', 'gp3'].includes(resource.storageType)) {
      return { state: 'blocked', reason: `${resource.storageType} storage is not moved to gp3 by this action` };
    }
    return { state: 'ready' };
  },
  plan({ resource }, params) {
    return [
      { api: 'rds:ModifyDBInstance', input: { ...modifyInput(resource.id, targetOf(params)), ApplyImmediately: true } },
      { api: 'rds:DescribeDBInstances', input: { DBInstanceIdentifier: resource.id }, note: 'poll: until the change is in place and the instance available' },
    ];
  },
  async apply(context, { resource }, params) {
    const target = targetOf(params);
    const undo = {
      dbInstanceId: resource.id,
      ...(target.dbInstanceClass ? { previousInstanceClass: resource.dbInstanceClass } : {}),
      ...(target.storageType ? { previousStorageType: resource.storageType, previousIops: resource.iops ?? null } : {}),
      ...(target.multiAz !== undefined ? { previousMultiAz: resource.multiAz } : {}),
    };
    await context.recordUndo(undo);
    const after = await modifyDbInstanceAndWait(context, modifyInput(resource.id, target), (db) => reached(db, target));
    return {
      after,
      undo,
      notes: [
        ...(target.dbInstanceClass ? [resource.multiAz ? 'the class changed with a failover to the standby' : 'the instance was unavailable for a few minutes while its class changed'] : []),
        ...(target.storageType ? ['the storage keeps optimizing for a while; the instance stays available'] : []),
      ],
    };
  },
  async undo(context, undo) {
    const id = String(undo.dbInstanceId);
    const current = await describeDbInstance(context, id);
    if (!current) return { status: 'impossible', message: `DB instance ${id} no longer exists` };
    const target: DbTarget = {
      ...(typeof undo.previousInstanceClass === 'string' ? { dbInstanceClass: undo.previousInstanceClass } : {}),
      ...(typeof undo.previousStorageType === 'string' ? { storageType: undo.previousStorageType } : {}),
      ...(typeof undo.previousIops === 'number' && undo.previousStorageType === 'io1' ? { iops: undo.previousIops } : {}),
      ...(typeof undo.previousMultiAz === 'boolean' ? { multiAz: undo.previousMultiAz } : {}),
    };
    const after = reached(current.resource, target) ? current : await modifyDbInstanceAndWait(context, modifyInput(id, target), (db) => reached(db, target));
    return { status: 'rolled-back', message: `DB instance ${id} is back to ${JSON.stringify(target)}`, after: dbInstanceFacts(after.resource) };
  },
});

export interface DbDeleteParams {
  dbInstanceId: string;
  finalSnapshot: boolean;
}

const DELETE = 'rds.delete-db-instance';

/** `finops-final-<instance>-<action id>`: unique per action, so a retried attempt finds the snapshot it asked for. */
function finalSnapshotId(dbInstanceId: string, actionId: string): string {
  return `finops-final-${dbInstanceId}`.slice(0, 200) + `-${actionId.replace(/^act_/, '').slice(0, 12)}`;
}

async function waitGone(context: ActionContext, id: string): Promise<void> {
  await pollUntil(context, `DB instance ${id} to be deleted`, async () => (await describeDbInstance(context, id)) === undefined);
}

export const deleteDbInstance: ActionExecutor<'rds-instance', DbDeleteParams> = defineExecutor({
  type: DELETE,
  title: 'Delete an idle RDS DB instance after a final snapshot',
  resourceKind: 'rds-instance',
  removes: true,
  permissions: ['rds:DescribeDBInstances', 'rds:DeleteDBInstance', 'rds:DescribeDBSnapshots', 'rds:RestoreDBInstanceFromDBSnapshot', 'rds:AddTagsToResource'],
  rollback: {
    restores: 'part',
    note: 'restores an instance of the same name, class and storage from the final snapshot (new resource id; parameter and security groups as the defaults); without a final snapshot nothing can be restored',
  },
  parseParams(params, resourceId) {
    return { dbInstanceId: dbInstanceId(DELETE, params, resourceId), finalSnapshot: paramReader(DELETE, params).boolean('finalSnapshot', true) };
  },
  facts: dbInstanceFacts,
  describe: (context, { dbInstanceId: id }) => describeDbInstance(context, id),
  readiness(current) {
    const { resource, details } = current;
    const cluster = clusterProblem(current);
    if (cluster) return { state: 'blocked', reason: cluster };
    if (details.deletionProtection === true) return { state: 'blocked', reason: 'deletion protection is on: turn it off by hand if the instance really goes' };
    if (Number(details.readReplicas) > 0) return { state: 'blocked', reason: 'the instance has read replicas' };
    if (!['available', 'stopped'].includes(resource.status)) return { state: 'blocked', reason: `the DB instance is ${resource.status}` };
    return { state: 'ready' };
  },
  plan({ resource }, { finalSnapshot }, actionId) {
    return [
      {
        api: 'rds:DeleteDBInstance',
        input: {
          DBInstanceIdentifier: resource.id,
          ...(finalSnapshot ? { FinalDBSnapshotIdentifier: finalSnapshotId(resource.id, actionId), SkipFinalSnapshot: false } : { SkipFinalSnapshot: true }),
          DeleteAutomatedBackups: false,
        },
      },
      { api: 'rds:DescribeDBInstances', input: { DBInstanceIdentifier: resource.id }, note: 'poll: until the instance is gone' },
    ];
  },
  async apply(context, { resource }, { finalSnapshot }) {
    const rds = await context.client('rds');
    const snapshotId = finalSnapshot ? finalSnapshotId(resource.id, context.actionId) : undefined;
    const input = {
      DBInstanceIdentifier: resource.id,
      ...(snapshotId ? { FinalDBSnapshotIdentifier: snapshotId, SkipFinalSnapshot: false } : { SkipFinalSnapshot: true }),
      // Automated backups are kept (they expire on their own), so the instance can also be restored to a point in time.
      DeleteAutomatedBackups: false,
    };
    const undo = snapshotId
      ? {
          dbInstanceId: resource.id,
          finalSnapshotId: snapshotId,
          dbInstanceClass: resource.dbInstanceClass,
          multiAz: resource.multiAz,
          storageType: resource.storageType,
          tags: resource.tags,
        }
      : undefined;
    if (undo) await context.recordUndo(undo);
    await context.mutate('rds:DeleteDBInstance', input, () => rds.send(new DeleteDBInstanceCommand(input)));
    await waitGone(context, resource.id);
    return {
      after: undefined,
      undo,
      notes: snapshotId ? [`final snapshot ${snapshotId} keeps billing until it is deleted`] : ['deleted without a final snapshot'],
    };
  },
  async undo(context, undo) {
    if (!undo.finalSnapshotId) return { status: 'impossible', message: 'the instance was deleted without a final snapshot: it cannot be restored' };
    const id = String(undo.dbInstanceId);
    const rds = await context.client('rds');
    const existing = await describeDbInstance(context, id);
    if (!existing) {
      await waitFor(context, 'rds:DescribeDBSnapshots', () =>
        waitUntilDBSnapshotAvailable({ client: rds, ...context.waiter }, { DBSnapshotIdentifier: String(undo.finalSnapshotId) }),
      );
      const input = {
        DBInstanceIdentifier: id,
        DBSnapshotIdentifier: String(undo.finalSnapshotId),
        DBInstanceClass: String(undo.dbInstanceClass),
        MultiAZ: undo.multiAz === true,
        StorageType: String(undo.storageType),
        Tags: tagList(undo.tags as Record<string, string>),
      };
      await context.mutate('rds:RestoreDBInstanceFromDBSnapshot', input, () => rds.send(new RestoreDBInstanceFromDBSnapshotCommand(input)));
    }
    await waitFor(context, 'rds:DescribeDBInstances', () => waitUntilDBInstanceAvailable({ client: rds, ...context.waiter }, { DBInstanceIdentifier: id }));
    const after = requireObserved(await describeDbInstance(context, id), 'DB instance', id);
    return {
      status: 'partial',
      message: `restored DB instance ${id} from final snapshot ${String(undo.finalSnapshotId)}: data as of the deletion; check its parameter group, security groups and backups`,
      after: dbInstanceFacts(after.resource),
    };
  },
});
