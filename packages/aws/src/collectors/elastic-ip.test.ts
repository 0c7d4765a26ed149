// Elastic IP discovery from a recorded DescribeAddresses answer.
import { DescribeAddressesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticIp } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess, SCOPE } from '../__fixtures__/test-access.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

describe('elastic-ip collector', () => {
  it('lists every address of the region in one unpaginated call', async () => {
    ec2.on(DescribeAddressesCommand).resolves(fixture('ec2.DescribeAddresses_1'));
    const { access } = mockedAccess();
    const addresses = (await access.discover('elastic-ip', SCOPE)) as ElasticIp[];

    expect(ec2.commandCalls(DescribeAddressesCommand)).toHaveLength(1);
    expect(addresses).toEqual([
      expect.objectContaining({
        id: 'eipalloc-0a1b2c3d4e5f60001',
        allocationId: 'eipalloc-0a1b2c3d4e5f60001',
        publicIp: '203.0.113.10',
        domain: 'vpc',
        associationId: 'eipassoc-0a1b2c3d4e5f60001',
        instanceId: 'i-0a1b2c3d4e5f60001',
        name: 'web-ip',
      }),
      expect.objectContaining({ id: 'eipalloc-0a1b2c3d4e5f60002', associationId: undefined, tags: {} }),
    ]);
    access.close();
  });
});
