// Discovers RDS DB instances (DescribeDBInstances, 100 per page); tags come inline in TagList.
import { paginateDescribeDBInstances, type DBInstance, type RDSClient } from '@aws-sdk/client-rds';
import type { RdsInstance } from '@finops/core';
import type { AwsScope } from '../types.js';
import type { Collector } from './collector.js';
import { isoTime, numberOr, tagsFromList } from './normalize.js';
import { collectPages } from './sdk-calls.js';

/** RDS's page maximum (MaxRecords 20–100). */
export const RDS_PAGE_SIZE = 100;

/** Every DB instance of the region, all pages. The snapshot collector reuses it to see which sources still exist. */
export function listDbInstances(rds: RDSClient, scope: AwsScope): Promise<DBInstance[]> {
  return collectPages(
    scope,
    'rds:DescribeDBInstances',
    paginateDescribeDBInstances({ client: rds, pageSize: RDS_PAGE_SIZE }, {}),
    (page) => page.DBInstances,
  );
}

export const rdsInstanceCollector: Collector<RdsInstance> = {
  kind: 'rds-instance',
  permissions: ['rds:DescribeDBInstances'],
  async collect({ scope, client }) {
    const instances = await listDbInstances(await client('rds'), scope);
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
