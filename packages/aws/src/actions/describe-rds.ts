// Re-describes one RDS DB instance, normalized like the scan, with the facts that decide whether it may be changed.
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, type ModifyDBInstanceCommandInput } from '@aws-sdk/client-rds';
import type { RdsInstance } from '@finops/core';
import { toRdsInstance } from '../collectors/rds-instance.js';
import type { ActionContext } from './action-context.js';
import type { Observed } from './action-executor.js';
import { describeOrGone } from './describe-ec2.js';
import { observed, pollUntil, requireObserved } from './executor-support.js';

/**
 * The instance with `details`: `clusterId` (Aurora members are changed through their cluster), `readReplicas`,
 * `replicaOf`, `deletionProtection`.
 */
export async function describeDbInstance(context: ActionContext, dbInstanceId: string): Promise<Observed<'rds-instance'> | undefined> {
  const rds = await context.client('rds');
  const output = await describeOrGone(context, 'rds:DescribeDBInstances', ['DBInstanceNotFound', 'DBInstanceNotFoundFault'], () =>
    rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: dbInstanceId })),
  );
  const instance = output?.DBInstances?.find((db) => db.DBInstanceIdentifier === dbInstanceId);
  if (!instance || instance.DBInstanceStatus === 'deleting') return undefined;
  return observed(toRdsInstance(instance, context.scope, new Date().toISOString()), {
    clusterId: instance.DBClusterIdentifier ?? null,
    readReplicas: instance.ReadReplicaDBInstanceIdentifiers?.length ?? 0,
    replicaOf: instance.ReadReplicaSourceDBInstanceIdentifier ?? null,
    deletionProtection: instance.DeletionProtection ?? false,
  });
}

export function dbInstanceFacts(db: RdsInstance) {
  return {
    status: db.status,
    dbInstanceClass: db.dbInstanceClass,
    storageType: db.storageType,
    allocatedStorageGiB: db.allocatedStorageGiB,
    multiAz: db.multiAz,
    engine: db.engine,
  };
}

/** Why an instance cannot be changed on its own (an Aurora cluster member), or undefined. */
export function clusterProblem({ details }: Observed<'rds-instance'>): string | undefined {
  return details.clusterId ? `the instance belongs to cluster ${String(details.clusterId)}: change the cluster instead` : undefined;
}

/**
 * Sends ModifyDBInstance with ApplyImmediately and polls until `done(instance)` holds and the instance is available
 * again (RDS goes through `modifying`, and `storage-optimization` after a storage change).
 */
export async function modifyDbInstanceAndWait(
  context: ActionContext,
  input: Omit<ModifyDBInstanceCommandInput, 'ApplyImmediately'> & { DBInstanceIdentifier: string },
  done: (db: RdsInstance) => boolean,
): Promise<Observed<'rds-instance'>> {
  const rds = await context.client('rds');
  const request = { ...input, ApplyImmediately: true };
  await context.mutate('rds:ModifyDBInstance', request, () => rds.send(new ModifyDBInstanceCommand(request)));
  const id = input.DBInstanceIdentifier;
  await pollUntil(context, `DB instance ${id} to apply the change`, async () => {
    const current = await describeDbInstance(context, id);
    return current !== undefined && done(current.resource) && ['available', 'storage-optimization'].includes(current.resource.status);
  });
  return requireObserved(await describeDbInstance(context, id), 'DB instance', id);
}
