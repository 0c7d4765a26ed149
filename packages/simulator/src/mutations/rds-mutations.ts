// RDS mutating operations on the simulated estate: stop and start a DB instance, modify its class or storage type.
import { serviceError } from '../aws-error.js';
import type { CallContext } from '../call-context.js';
import type { Partition, SimDbInstance, SimDbSnapshot } from '../estate-types.js';
import { InputReader } from '../input-reader.js';
import { hashString, Rng } from '../prng.js';
import type { MutationHandler } from './mutation-layer.js';
import type { SimRecord } from './mutation-store.js';

function dbInstance(call: CallContext, partition: Partition, reader: InputReader): SimDbInstance {
  const id = reader.requiredString('DBInstanceIdentifier');
  const found = partition.dbInstanceById.get(id);
  if (!found) throw serviceError('DBInstanceNotFound', `DBInstance ${id} not found.`, call.requestId, 404);
  return found;
}

const statusOf = (db: SimDbInstance) => db.status ?? 'available';

function invalidState(call: CallContext, db: SimDbInstance, action: string): never {
  throw serviceError('InvalidDBInstanceState', `Instance ${db.id} is not in available state (${statusOf(db)}): cannot ${action}.`, call.requestId);
}

function summary(db: SimDbInstance, status: string) {
  return {
    DBInstance: {
      DBInstanceIdentifier: db.id,
      DBInstanceClass: db.dbInstanceClass,
      Engine: db.engine,
      DBInstanceStatus: status,
      StorageType: db.storageType,
      AllocatedStorage: db.allocatedStorageGiB,
      MultiAZ: db.multiAz,
    },
  };
}

const stopDbInstance: MutationHandler = ({ call, partition }) => {
  const db = dbInstance(call, partition, new InputReader(call));
  if (statusOf(db) !== 'available') invalidState(call, db, 'stop');
  // Stops at once here; AWS takes minutes and starts the instance again after 7 days (not simulated).
  return { output: summary(db, 'stopping'), changes: [{ op: 'patch', collection: 'dbInstances', id: db.id, patch: { status: 'stopped' } }] };
};

const startDbInstance: MutationHandler = ({ call, partition }) => {
  const db = dbInstance(call, partition, new InputReader(call));
  if (statusOf(db) !== 'stopped') {
    throw serviceError('InvalidDBInstanceState', `Instance ${db.id} cannot be started as it is not in stopped state (${statusOf(db)}).`, call.requestId);
  }
  return { output: summary(db, 'starting'), changes: [{ op: 'patch', collection: 'dbInstances', id: db.id, patch: { status: null } }] };
};

const modifyDbInstance: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const db = dbInstance(call, partition, reader);
  if (statusOf(db) !== 'available') invalidState(call, db, 'modify');
  const patch: Record<string, unknown> = {};
  const instanceClass = reader.string('DBInstanceClass');
  if (instanceClass !== undefined) {
    if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass)) reader.fail(`Invalid DB Instance class: ${instanceClass}`);
    patch.dbInstanceClass = instanceClass;
  }
  const multiAz = reader.boolean('MultiAZ');
  if (multiAz !== undefined) Object.assign(patch, multiAz ? { multiAz: true } : { multiAz: false, secondaryAvailabilityZone: null });
  reader.integer('Iops', { min: 1000, max: 256000 });
  const storageType = reader.string('StorageType');
  if (storageType !== undefined) {
    if (storageType !== 'gp2' && storageType !== 'gp3') reader.fail(`The simulated estate has gp2 and gp3 storage only, not ${storageType}`);
    patch.storageType = storageType;
  }
  reader.boolean('ApplyImmediately');
  if (Object.keys(patch).length === 0) reader.fail('The simulated ModifyDBInstance changes DBInstanceClass, StorageType and MultiAZ only');
  // The change applies at once, as with ApplyImmediately; there is no maintenance window to wait for.
  return { output: summary(db, 'modifying'), changes: [{ op: 'patch', collection: 'dbInstances', id: db.id, patch }] };
};

const record = (value: object) => value as unknown as SimRecord;

/** DeleteDBInstance, with the final snapshot as a manual snapshot (available at once). */
const deleteDbInstance: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const db = dbInstance(call, partition, reader);
  if (!['available', 'stopped'].includes(statusOf(db))) invalidState(call, db, 'delete');
  const skip = reader.boolean('SkipFinalSnapshot') ?? false;
  const finalId = reader.string('FinalDBSnapshotIdentifier');
  reader.boolean('DeleteAutomatedBackups');
  if (!skip && !finalId) reader.fail('FinalDBSnapshotIdentifier is required when SkipFinalSnapshot is false');
  if (finalId && partition.dbSnapshots.some((s) => s.id === finalId)) {
    throw serviceError('DBSnapshotAlreadyExists', `Cannot create the snapshot because a snapshot with the identifier ${finalId} already exists.`, call.requestId);
  }
  const snapshot: SimDbSnapshot | undefined = finalId
    ? {
        id: finalId,
        dbInstanceId: db.id,
        dbiResourceId: db.resourceId,
        sourceExists: false,
        engine: db.engine,
        engineVersion: db.engineVersion,
        allocatedStorageGiB: db.allocatedStorageGiB,
        storageType: db.storageType,
        encrypted: true,
        createTime: call.nowMs,
        availabilityZone: db.availabilityZone,
        vpcId: partition.instances[0]?.vpcId ?? '',
        tags: { ...db.tags },
      }
    : undefined;
  return {
    output: summary(db, 'deleting'),
    changes: [
      { op: 'delete', collection: 'dbInstances', id: db.id, record: record(db) },
      ...(snapshot ? [{ op: 'create' as const, collection: 'dbSnapshots', id: snapshot.id, record: record(snapshot) }] : []),
    ],
  };
};

/**
 * RestoreDBInstanceFromDBSnapshot: a new instance from a manual snapshot. Restored under the name of an instance
 * this partition deleted, it keeps that instance's behaviour (its metrics), as the same workload would.
 */
const restoreDbInstance: MutationHandler = ({ call, partition, overlay }) => {
  const reader = new InputReader(call);
  const id = reader.requiredString('DBInstanceIdentifier');
  const snapshotId = reader.requiredString('DBSnapshotIdentifier');
  if (partition.dbInstanceById.has(id)) throw serviceError('DBInstanceAlreadyExists', `DB instance already exists`, call.requestId);
  const snapshot = partition.dbSnapshots.find((s) => s.id === snapshotId);
  if (!snapshot) throw serviceError('DBSnapshotNotFound', `DBSnapshot ${snapshotId} not found.`, call.requestId, 404);
  const entry = overlay.entries[`dbInstances/${id}`];
  const earlier = entry && 'deleted' in entry ? (entry.deleted as unknown as SimDbInstance) : undefined;
  const multiAz = reader.boolean('MultiAZ') ?? false;
  const storage = reader.string('StorageType') ?? snapshot.storageType;
  const tags: Record<string, string> = {};
  for (const tag of (reader.objectList('Tags') ?? []) as { Key?: string; Value?: string }[]) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
  const restored: SimDbInstance = {
    id,
    resourceId: `db-${new Rng(`${call.requestId}|${call.nowMs}|${id}`).hex(26).toUpperCase()}`,
    dbInstanceClass: reader.string('DBInstanceClass') ?? earlier?.dbInstanceClass ?? 'db.t3.medium',
    engine: snapshot.engine,
    engineVersion: snapshot.engineVersion,
    multiAz,
    storageType: storage === 'gp3' ? 'gp3' : 'gp2',
    allocatedStorageGiB: snapshot.allocatedStorageGiB,
    createTime: call.nowMs,
    availabilityZone: snapshot.availabilityZone,
    profile: earlier?.profile ?? 'busy',
    tags,
    metricKey: earlier?.metricKey ?? hashString(`${call.estate.seed}|metrics|rds|${id}`),
  };
  return { output: summary(restored, 'creating'), changes: [{ op: 'create', collection: 'dbInstances', id, record: record(restored) }] };
};

const deleteDbSnapshot: MutationHandler = ({ call, partition }) => {
  const id = new InputReader(call).requiredString('DBSnapshotIdentifier');
  const snapshot = partition.dbSnapshots.find((s) => s.id === id);
  // Automated snapshots are derived from the instances, never stored: RDS refuses to delete them by this call.
  if (!snapshot) throw serviceError(id.startsWith('rds:') ? 'InvalidDBSnapshotState' : 'DBSnapshotNotFound', `DBSnapshot ${id} not found or not deletable.`, call.requestId, 404);
  return {
    output: { DBSnapshot: { DBSnapshotIdentifier: id, DBInstanceIdentifier: snapshot.dbInstanceId, Status: 'deleted', SnapshotType: 'manual' } },
    changes: [{ op: 'delete', collection: 'dbSnapshots', id, record: record(snapshot) }],
  };
};

export const rdsMutations: Record<string, MutationHandler> = {
  StopDBInstance: stopDbInstance,
  StartDBInstance: startDbInstance,
  ModifyDBInstance: modifyDbInstance,
  DeleteDBInstance: deleteDbInstance,
  RestoreDBInstanceFromDBSnapshot: restoreDbInstance,
  DeleteDBSnapshot: deleteDbSnapshot,
};
