// RDS DescribeDBInstances and DescribeDBSnapshots in the SDK's response shapes, paged with MaxRecords (20..100) and Marker.
import { serviceError } from '../aws-error.js';
import type { OperationHandler } from '../call-context.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../clock.js';
import type { Partition, SimDbInstance, SimDbSnapshot } from '../estate-types.js';
import { InputReader } from '../input-reader.js';
import { paginate } from '../paging.js';
import { hashString } from '../prng.js';
import { applyFilters, tagList, type FilterFields } from '../tag-filters.js';

const ENGINE_PORTS: Record<string, number> = { postgres: 5432, mysql: 3306, mariadb: 3306 };

function arnOf(db: SimDbInstance, region: string, accountId: string): string {
  return `arn:aws:rds:${region}:${accountId}:db:${db.id}`;
}

const dbFilters = (region: string, accountId: string): FilterFields<SimDbInstance> => ({
  'db-instance-id': (db) => [db.id, arnOf(db, region, accountId)],
  'dbi-resource-id': (db) => [db.resourceId],
  engine: (db) => [db.engine],
  'db-cluster-id': () => [],
  domain: () => [],
});

const describeDbInstances: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  let dbs = partition.dbInstances;
  const identifier = reader.string('DBInstanceIdentifier');
  if (identifier !== undefined) {
    const db = partition.dbInstanceById.get(identifier) ?? dbs.find((d) => arnOf(d, call.region, call.accountId) === identifier);
    if (!db) throw serviceError('DBInstanceNotFoundFault', `DBInstance ${identifier} not found.`, call.requestId, 404);
    dbs = [db];
  }
  // RDS filters are exact matches, but sharing the EC2 matcher is harmless: identifiers hold no wildcards.
  dbs = applyFilters(reader, dbs, dbFilters(call.region, call.accountId), () => ({}));
  const { page, nextToken } = paginate(call, reader, dbs, {
    tokenField: 'Marker',
    sizeField: 'MaxRecords',
    range: { min: 20, max: 100 },
    defaultSize: 100,
  });
  const endpointHash = hashString(`${call.accountId}|${call.region}`).toString(36);
  return {
    DBInstances: page.map((db) => ({
      DBInstanceIdentifier: db.id,
      DBInstanceClass: db.dbInstanceClass,
      Engine: db.engine,
      EngineVersion: db.engineVersion,
      DBInstanceStatus: db.status ?? 'available',
      MasterUsername: 'dbadmin',
      Endpoint: { Address: `${db.id}.${endpointHash}.${call.region}.rds.amazonaws.com`, Port: ENGINE_PORTS[db.engine] ?? 5432, HostedZoneId: 'Z2R2ITUGPM61AM' },
      AllocatedStorage: db.allocatedStorageGiB,
      InstanceCreateTime: new Date(db.createTime),
      PreferredBackupWindow: '03:00-04:00',
      BackupRetentionPeriod: 7,
      AvailabilityZone: db.availabilityZone,
      ...(db.secondaryAvailabilityZone ? { SecondaryAvailabilityZone: db.secondaryAvailabilityZone } : {}),
      MultiAZ: db.multiAz,
      AutoMinorVersionUpgrade: true,
      PubliclyAccessible: false,
      StorageType: db.storageType,
      ...(db.storageType === 'gp3' ? { Iops: 3000, StorageThroughput: 125 } : {}),
      StorageEncrypted: true,
      DbiResourceId: db.resourceId,
      DBInstanceArn: arnOf(db, call.region, call.accountId),
      LicenseModel: db.engine === 'postgres' ? 'postgresql-license' : 'general-public-license',
      DeletionProtection: db.tags.env === 'prod',
      TagList: tagList(db.tags),
      CopyTagsToSnapshot: true,
    })),
    ...(nextToken ? { Marker: nextToken } : {}),
  };
};

/** Days of automated snapshots each instance keeps (its BackupRetentionPeriod above). */
const BACKUP_RETENTION_DAYS = 7;
const SNAPSHOT_TYPES = new Set(['automated', 'manual', 'shared', 'public', 'awsbackup']);

/** One row of DescribeDBSnapshots: a manual snapshot of the estate, or an automated one derived from an instance. */
interface SnapshotRow {
  id: string;
  type: 'manual' | 'automated';
  dbInstanceId: string;
  dbiResourceId: string;
  engine: string;
  engineVersion: string;
  allocatedStorageGiB: number;
  storageType: string;
  encrypted: boolean;
  createTime: number;
  instanceCreateTime?: number;
  availabilityZone: string;
  tags: Record<string, string>;
}

/**
 * The instance's automated snapshots: one a day in its 03:00–04:00 backup window for the retention period, none
 * before it existed. Named as RDS names them: `rds:<instance>-YYYY-MM-DD-HH-MM`.
 */
function automatedSnapshots(db: SimDbInstance, epochMs: number): SnapshotRow[] {
  const rows: SnapshotRow[] = [];
  const minute = hashString(db.id, 11) % 60;
  for (let day = BACKUP_RETENTION_DAYS; day >= 1; day--) {
    const createTime = epochMs - day * DAY_MS + 3 * HOUR_MS + minute * MINUTE_MS;
    if (createTime <= db.createTime) continue;
    const stamp = new Date(createTime).toISOString();
    rows.push({
      id: `rds:${db.id}-${stamp.slice(0, 10)}-${stamp.slice(11, 13)}-${stamp.slice(14, 16)}`,
      type: 'automated',
      dbInstanceId: db.id,
      dbiResourceId: db.resourceId,
      engine: db.engine,
      engineVersion: db.engineVersion,
      allocatedStorageGiB: db.allocatedStorageGiB,
      storageType: db.storageType,
      encrypted: true,
      createTime,
      instanceCreateTime: db.createTime,
      availabilityZone: db.availabilityZone,
      tags: db.tags,
    });
  }
  return rows;
}

function manualRow(snapshot: SimDbSnapshot, partition: Partition): SnapshotRow {
  const source = snapshot.sourceExists ? partition.dbInstanceById.get(snapshot.dbInstanceId) : undefined;
  return {
    id: snapshot.id,
    type: 'manual',
    dbInstanceId: snapshot.dbInstanceId,
    dbiResourceId: snapshot.dbiResourceId,
    engine: snapshot.engine,
    engineVersion: snapshot.engineVersion,
    allocatedStorageGiB: snapshot.allocatedStorageGiB,
    storageType: snapshot.storageType,
    encrypted: snapshot.encrypted,
    createTime: snapshot.createTime,
    instanceCreateTime: source?.createTime,
    availabilityZone: snapshot.availabilityZone,
    tags: snapshot.tags,
  };
}

const snapshotArn = (id: string, region: string, accountId: string) => `arn:aws:rds:${region}:${accountId}:snapshot:${id}`;

const snapshotFilters = (region: string, accountId: string): FilterFields<SnapshotRow> => ({
  'db-instance-id': (r) => [r.dbInstanceId, `arn:aws:rds:${region}:${accountId}:db:${r.dbInstanceId}`],
  'db-snapshot-id': (r) => [r.id, snapshotArn(r.id, region, accountId)],
  'dbi-resource-id': (r) => [r.dbiResourceId],
  'snapshot-type': (r) => [r.type],
  engine: (r) => [r.engine],
});

const describeDbSnapshots: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  const type = reader.string('SnapshotType');
  if (type !== undefined && !SNAPSHOT_TYPES.has(type)) reader.fail(`Invalid snapshot type: ${type}`);
  reader.boolean('IncludeShared');
  reader.boolean('IncludePublic');
  // The estate shares no snapshots and sees no public ones: `shared`, `public` and `awsbackup` list nothing.
  let rows: SnapshotRow[] = [];
  if (type === undefined || type === 'manual') rows.push(...partition.dbSnapshots.map((snapshot) => manualRow(snapshot, partition)));
  if (type === undefined || type === 'automated') rows.push(...partition.dbInstances.flatMap((db) => automatedSnapshots(db, call.estate.epochMs)));
  const instanceId = reader.string('DBInstanceIdentifier');
  if (instanceId !== undefined) rows = rows.filter((r) => r.dbInstanceId === instanceId);
  const resourceId = reader.string('DbiResourceId');
  if (resourceId !== undefined) rows = rows.filter((r) => r.dbiResourceId === resourceId);
  const snapshotId = reader.string('DBSnapshotIdentifier');
  if (snapshotId !== undefined) {
    rows = rows.filter((r) => r.id === snapshotId || snapshotArn(r.id, call.region, call.accountId) === snapshotId);
    if (rows.length === 0) throw serviceError('DBSnapshotNotFoundFault', `DBSnapshot ${snapshotId} not found.`, call.requestId, 404);
  }
  rows = applyFilters(reader, rows, snapshotFilters(call.region, call.accountId), () => ({}));
  const { page, nextToken } = paginate(call, reader, rows, {
    tokenField: 'Marker',
    sizeField: 'MaxRecords',
    range: { min: 20, max: 100 },
    defaultSize: 100,
  });
  const vpcId = partition.instances[0]?.vpcId;
  return {
    DBSnapshots: page.map((r) => ({
      DBSnapshotIdentifier: r.id,
      DBInstanceIdentifier: r.dbInstanceId,
      SnapshotCreateTime: new Date(r.createTime),
      Engine: r.engine,
      AllocatedStorage: r.allocatedStorageGiB,
      Status: 'available',
      Port: ENGINE_PORTS[r.engine] ?? 5432,
      AvailabilityZone: r.availabilityZone,
      ...(vpcId ? { VpcId: vpcId } : {}),
      ...(r.instanceCreateTime !== undefined ? { InstanceCreateTime: new Date(r.instanceCreateTime) } : {}),
      MasterUsername: 'dbadmin',
      EngineVersion: r.engineVersion,
      LicenseModel: r.engine === 'postgres' ? 'postgresql-license' : 'general-public-license',
      SnapshotType: r.type,
      PercentProgress: 100,
      StorageType: r.storageType,
      Encrypted: r.encrypted,
      DBSnapshotArn: snapshotArn(r.id, call.region, call.accountId),
      IAMDatabaseAuthenticationEnabled: false,
      DbiResourceId: r.dbiResourceId,
      TagList: tagList(r.tags),
      OriginalSnapshotCreateTime: new Date(r.createTime),
      SnapshotTarget: 'region',
    })),
    ...(nextToken ? { Marker: nextToken } : {}),
  };
};

export const rdsOperations: Record<string, OperationHandler> = {
  DescribeDBInstances: describeDbInstances,
  DescribeDBSnapshots: describeDbSnapshots,
};
