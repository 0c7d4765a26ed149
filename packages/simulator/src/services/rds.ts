// RDS DescribeDBInstances in the SDK's response shape, paged with MaxRecords (20..100) and Marker.
import { serviceError } from '../aws-error.js';
import type { OperationHandler } from '../call-context.js';
import type { SimDbInstance } from '../estate-types.js';
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
      DBInstanceStatus: 'available',
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

export const rdsOperations: Record<string, OperationHandler> = {
  DescribeDBInstances: describeDbInstances,
};
