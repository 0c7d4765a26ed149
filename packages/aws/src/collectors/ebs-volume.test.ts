// EBS volume discovery from a recorded DescribeVolumes answer.
import { DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { EbsVolume } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess, SCOPE } from '../__fixtures__/test-access.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

describe('ebs-volume collector', () => {
  it('normalizes type, size, performance and attachments', async () => {
    ec2.on(DescribeVolumesCommand).resolves(fixture('ec2.DescribeVolumes_1'));
    const { access } = mockedAccess();
    const volumes = (await access.discover('ebs-volume', SCOPE)) as EbsVolume[];

    expect(ec2.commandCalls(DescribeVolumesCommand)[0]?.args[0].input).toMatchObject({ MaxResults: 1000 });
    expect(volumes).toHaveLength(3);
    expect(volumes[0]).toMatchObject({
      id: 'vol-0a1b2c3d4e5f60001',
      name: 'web-root',
      volumeType: 'gp2',
      sizeGiB: 100,
      iops: 300,
      state: 'in-use',
      encrypted: true,
      createTime: '2023-01-10T09:00:00.000Z',
      attachments: [{ instanceId: 'i-0a1b2c3d4e5f60001', state: 'attached', device: '/dev/xvda' }],
    });
    expect(volumes[0]?.snapshotId).toBeUndefined();
    expect(volumes[1]).toMatchObject({ volumeType: 'gp3', throughputMiBps: 125, attachments: [], snapshotId: 'snap-0a1b2c3d4e5f60002' });
    // An unknown type does not fail the scan.
    expect(volumes[2]).toMatchObject({ volumeType: 'standard', sizeGiB: 20, encrypted: false, attachments: [] });
    access.close();
  });
});
