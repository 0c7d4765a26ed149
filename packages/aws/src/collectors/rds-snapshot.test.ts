// Manual RDS snapshot discovery from recorded DescribeDBSnapshots pages, with source-instance existence from a shared listing.
import {
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  type DescribeDBSnapshotsCommandInput,
} from '@aws-sdk/client-rds';
import type { RdsInstance, RdsSnapshot } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess, SCOPE } from '../__fixtures__/test-access.js';

const rds = mockClient(RDSClient);
afterEach(() => rds.reset());

const PAGES: Record<string, string> = {
  '': 'rds.DescribeDBSnapshots_1',
  'c25hcHNob3RzLTI=': 'rds.DescribeDBSnapshots_2',
  'c25hcHNob3RzLTM=': 'rds.DescribeDBSnapshots_3',
};

describe('rds-snapshot collector', () => {
  it('lists manual snapshots only, 100 a page across an empty page, and sees which sources still exist', async () => {
    const inputs: DescribeDBSnapshotsCommandInput[] = [];
    rds.on(DescribeDBSnapshotsCommand).callsFake((input: DescribeDBSnapshotsCommandInput) => {
      inputs.push({ ...input });
      return fixture(PAGES[input.Marker ?? ''] as string);
    });
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        { DBInstanceIdentifier: 'orders-db', DbiResourceId: 'db-ORDERSRESOURCE000000000001' },
        // `users-db` was deleted and a new instance took its name: the snapshot's source is still gone.
        { DBInstanceIdentifier: 'users-db', DbiResourceId: 'db-USERSRESOURCE0000000000002' },
      ],
    });
    const { access } = mockedAccess();
    const before = Date.now();
    const snapshots = (await access.discover('rds-snapshot', SCOPE)) as RdsSnapshot[];

    expect(inputs.map((input) => input.Marker)).toEqual([undefined, 'c25hcHNob3RzLTI=', 'c25hcHNob3RzLTM=']);
    expect(inputs.every((input) => input.SnapshotType === 'manual' && input.MaxRecords === 100)).toBe(true);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
    expect(snapshots.map((snapshot) => [snapshot.id, snapshot.sourceInstanceExists])).toEqual([
      ['orders-db-before-upgrade', true],
      ['users-db-final', false],
      ['billing-db-copy', false],
    ]);
    expect(snapshots[0]).toEqual({
      kind: 'rds-snapshot',
      id: 'orders-db-before-upgrade',
      arn: 'arn:aws:rds:eu-west-1:111111111111:snapshot:orders-db-before-upgrade',
      accountId: SCOPE.accountId,
      region: SCOPE.region,
      name: 'orders-db-before-upgrade',
      tags: { team: 'orders' },
      snapshotType: 'manual',
      dbInstanceId: 'orders-db',
      allocatedStorageGiB: 200,
      engine: 'postgres',
      engineVersion: '14.9',
      storageType: 'gp2',
      encrypted: true,
      snapshotCreateTime: '2023-05-06T07:08:09.000Z',
      status: 'available',
      sourceInstanceExists: true,
    });
    expect(snapshots[1]?.name).toBe('users final snapshot');
    // A snapshot still being created has no creation time yet: it reads as new, so no age check fires on it.
    expect(snapshots[2]).toMatchObject({ status: 'creating', encrypted: false });
    expect(Date.parse(snapshots[2]?.snapshotCreateTime ?? '')).toBeGreaterThanOrEqual(before - 1000);
    access.close();
  });

  it('falls back to the identifier when the answers carry no resource ids, and drops automated snapshots', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({
      DBSnapshots: [
        { DBSnapshotIdentifier: 'kept', DBInstanceIdentifier: 'orders-db', SnapshotType: 'manual' },
        { DBSnapshotIdentifier: 'gone', DBInstanceIdentifier: 'old-db', SnapshotType: 'manual' },
        { DBSnapshotIdentifier: 'rds:orders-db-2025-01-01-03-10', DBInstanceIdentifier: 'orders-db', SnapshotType: 'automated' },
      ],
    });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders-db' }] });
    const { access } = mockedAccess();
    const snapshots = (await access.discover('rds-snapshot', SCOPE)) as RdsSnapshot[];
    expect(snapshots.map((snapshot) => [snapshot.id, snapshot.sourceInstanceExists])).toEqual([
      ['kept', true],
      ['gone', false],
    ]);
    access.close();
  });

  it('reads the DB instances the instance collector of the same scan listed, and lists them itself when scanned alone', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({
      DBSnapshots: [
        { DBSnapshotIdentifier: 'kept', DBInstanceIdentifier: 'orders-db', DbiResourceId: 'db-ORDERS', SnapshotType: 'manual' },
        { DBSnapshotIdentifier: 'gone', DBInstanceIdentifier: 'old-db', DbiResourceId: 'db-OLD', SnapshotType: 'manual' },
      ],
    });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'orders-db', DbiResourceId: 'db-ORDERS' }] });
    const { access } = mockedAccess();
    const sources = (snapshots: RdsSnapshot[]) => snapshots.map((snapshot) => [snapshot.id, snapshot.sourceInstanceExists]);

    const alone = (await access.discover('rds-snapshot', SCOPE, { scanId: 'scan-a' })) as RdsSnapshot[];
    expect(sources(alone)).toEqual([
      ['kept', true],
      ['gone', false],
    ]);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
    rds.resetHistory();

    const instances = (await access.discover('rds-instance', SCOPE, { scanId: 'scan-b' })) as RdsInstance[];
    const snapshots = (await access.discover('rds-snapshot', SCOPE, { scanId: 'scan-b' })) as RdsSnapshot[];
    expect(instances.map((instance) => instance.id)).toEqual(['orders-db']);
    expect(sources(snapshots)).toEqual(sources(alone));
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
    // Without a scan id every collector lists on its own.
    await access.discover('rds-instance', SCOPE);
    await access.discover('rds-snapshot', SCOPE);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(3);
    access.close();
  });

  it('fails with the action of the listing that was refused', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
    rds.on(DescribeDBInstancesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const { access } = mockedAccess();
    await expect(access.discover('rds-snapshot', SCOPE)).rejects.toMatchObject({ action: 'rds:DescribeDBInstances', retryable: false });
    access.close();
  });
});
