// RDS instance discovery from recorded DescribeDBInstances pages.
import { DescribeDBInstancesCommand, RDSClient, type DescribeDBInstancesCommandInput } from '@aws-sdk/client-rds';
import type { RdsInstance } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess, SCOPE } from '../__fixtures__/test-access.js';

const rds = mockClient(RDSClient);
afterEach(() => rds.reset());

describe('rds-instance collector', () => {
  it('pages with MaxRecords 100 and normalizes each DB instance', async () => {
    const inputs: DescribeDBInstancesCommandInput[] = [];
    rds.on(DescribeDBInstancesCommand).callsFake((input: DescribeDBInstancesCommandInput) => {
      inputs.push({ ...input });
      return fixture(input.Marker ? 'rds.DescribeDBInstances_2' : 'rds.DescribeDBInstances_1');
    });
    const { access } = mockedAccess();
    const instances = (await access.discover('rds-instance', SCOPE)) as RdsInstance[];

    expect(inputs).toEqual([
      expect.objectContaining({ MaxRecords: 100, Marker: undefined }),
      expect.objectContaining({ MaxRecords: 100, Marker: 'orders-db' }),
    ]);
    expect(instances[0]).toMatchObject({
      id: 'orders-db',
      arn: 'arn:aws:rds:eu-west-1:111111111111:db:orders-db',
      name: 'orders-db',
      tags: { team: 'orders' },
      dbInstanceClass: 'db.m5.large',
      engine: 'postgres',
      engineVersion: '15.4',
      multiAz: true,
      storageType: 'gp2',
      allocatedStorageGiB: 200,
      status: 'available',
      createdAt: '2022-03-01T10:00:00.000Z',
    });
    expect(instances[1]).toMatchObject({ id: 'analytics', name: 'Analytics warehouse', multiAz: false, iops: 10000, status: 'stopped' });
    access.close();
  });
});
