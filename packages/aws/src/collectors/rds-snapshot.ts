// Discovers manual RDS DB snapshots (DescribeDBSnapshots, 100 per page) and whether their source instance still exists.
import { paginateDescribeDBSnapshots, type DBInstance, type DBSnapshot } from '@aws-sdk/client-rds';
import type { RdsSnapshot } from '@finops/core';
import type { AwsScope } from '../types.js';
import type { Collector } from './collector.js';
import { isoTime, numberOr, tagsFromList } from './normalize.js';
import { DB_INSTANCES_LISTING, RDS_PAGE_SIZE } from './rds-instance.js';
import { collectPages } from './sdk-calls.js';

export const rdsSnapshotCollector: Collector<RdsSnapshot> = {
  kind: 'rds-snapshot',
  permissions: ['rds:DescribeDBSnapshots', 'rds:DescribeDBInstances'],
  sharedListings: [DB_INSTANCES_LISTING],
  async collect({ scope, client, shared }) {
    const rds = await client('rds');
    // Two independent listings, in parallel: never one DescribeDBInstances call per snapshot. The instances are the
    // instance collector's own listing when it runs in the same scan and process.
    const [snapshots, instances] = await Promise.all([
      collectPages(
        scope,
        'rds:DescribeDBSnapshots',
        // Without SnapshotType the answer also holds the automated snapshots of every instance (one a day for the
        // whole retention period): they expire on their own and are not ours to judge.
        paginateDescribeDBSnapshots({ client: rds, pageSize: RDS_PAGE_SIZE }, { SnapshotType: 'manual' }),
        (page) => page.DBSnapshots,
      ),
      shared(DB_INSTANCES_LISTING),
    ]);
    const sources = liveSources(instances);
    const discoveredAt = new Date().toISOString();
    return snapshots
      .filter((snapshot) => snapshot.DBSnapshotIdentifier && (snapshot.SnapshotType ?? 'manual') === 'manual')
      .map((snapshot) => toRdsSnapshot(snapshot, scope, discoveredAt, sources));
  },
};

/** Identifiers and resource ids of the region's DB instances. */
interface LiveSources {
  identifiers: ReadonlySet<string>;
  resourceIds: ReadonlySet<string>;
}

function liveSources(instances: readonly DBInstance[]): LiveSources {
  return {
    identifiers: new Set(instances.flatMap((instance) => (instance.DBInstanceIdentifier ? [instance.DBInstanceIdentifier] : []))),
    resourceIds: new Set(instances.flatMap((instance) => (instance.DbiResourceId ? [instance.DbiResourceId] : []))),
  };
}

/**
 * A snapshot's source exists when an instance has its DbiResourceId — an identifier can be reused by a new instance
 * after the old one was deleted, the resource id cannot. Answers without resource ids fall back to the identifier.
 */
function sourceExists(snapshot: DBSnapshot, sources: LiveSources): boolean {
  if (snapshot.DbiResourceId && sources.resourceIds.size > 0) return sources.resourceIds.has(snapshot.DbiResourceId);
  return snapshot.DBInstanceIdentifier !== undefined && sources.identifiers.has(snapshot.DBInstanceIdentifier);
}

export function toRdsSnapshot(snapshot: DBSnapshot, scope: AwsScope, discoveredAt: string, sources: LiveSources): RdsSnapshot {
  const tags = tagsFromList(snapshot.TagList);
  const id = snapshot.DBSnapshotIdentifier ?? '';
  return {
    kind: 'rds-snapshot',
    id,
    arn: snapshot.DBSnapshotArn,
    accountId: scope.accountId,
    region: scope.region,
    name: tags.Name || id,
    tags,
    snapshotType: 'manual',
    dbInstanceId: snapshot.DBInstanceIdentifier ?? '',
    allocatedStorageGiB: numberOr(snapshot.AllocatedStorage, 0),
    engine: snapshot.Engine ?? 'unknown',
    engineVersion: snapshot.EngineVersion,
    storageType: snapshot.StorageType,
    encrypted: snapshot.Encrypted ?? false,
    // A snapshot still being created has no SnapshotCreateTime yet: it reads as new.
    snapshotCreateTime: isoTime(snapshot.SnapshotCreateTime, discoveredAt),
    status: snapshot.Status ?? 'unknown',
    sourceInstanceExists: sourceExists(snapshot, sources),
  };
}
