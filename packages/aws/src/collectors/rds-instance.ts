// Discovers RDS DB instances (DescribeDBInstances, 100 per page); tags come inline in TagList.
import { paginateDescribeDBInstances, type DBInstance, type RDSClient } from '@aws-sdk/client-rds';
import type { RdsInstance } from '@finops/core';
import type { AwsScope } from '../types.js';
import type { Collector, SharedListing } from './collector.js';
import { isoTime, numberOr, tagsFromList } from './normalize.js';
import { collectPages } from './sdk-calls.js';

/** RDS's page maximum (MaxRecords 20–100). */
export const RDS_PAGE_SIZE = 100;

/** Every DB instance of the region, all pages. */
function listDbInstances(rds: RDSClient, scope: AwsScope): Promise<DBInstance[]> {
  return collectPages(
    scope,
    'rds:DescribeDBInstances',
    paginateDescribeDBInstances({ client: rds, pageSize: RDS_PAGE_SIZE }, {}),
    (page) => page.DBInstances,
  );
}

/** The region's DB instances, read by this collector and by the DB snapshot collector (which sources still exist). */
export const DB_INSTANCES_LISTING: SharedListing<DBInstance> = {
  name: 'rds:DescribeDBInstances',
  list: async ({ scope, client }) => listDbInstances(await client('rds'), scope),
};

export const rdsInstanceCollector: Collector<RdsInstance> = {
  kind: 'rds-instance',
  permissions: ['rds:DescribeDBInstances'],
  sharedListings: [DB_INSTANCES_LISTING],
  async collect({ scope, shared }) {
    const instances = await shared(DB_INSTANCES_LISTING);
    const discoveredAt = new Date().toISOString();
    return instances
      .filter((instance) => instance.DBInstanceIdentifier)
      .map((instance) => toRdsInstance(instance, scope, discoveredAt));
  },
};

export function toRdsInstance(instance: DBInstance, scope: AwsScope, discoveredAt: string): RdsInstance {
  const tags = tagsFromList(instance.TagList);
  const id = instance.DBInstanceIdentifier ?? '';
  return {
    kind: 'rds-instance',
    id,
    arn: instance.DBInstanceArn,
    accountId: scope.accountId,
    region: scope.region,
    name: tags.Name || id,
    tags,
    dbInstanceClass: instance.DBInstanceClass ?? 'unknown',
    engine: instance.Engine ?? 'unknown',
    engineVersion: instance.EngineVersion,
    multiAz: instance.MultiAZ ?? false,
    storageType: instance.StorageType ?? 'unknown',
    allocatedStorageGiB: numberOr(instance.AllocatedStorage, 0),
    iops: instance.Iops,
    status: instance.DBInstanceStatus ?? 'unknown',
    createdAt: isoTime(instance.InstanceCreateTime, discoveredAt),
  };
}
