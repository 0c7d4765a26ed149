// Snapshot discovery: AMI usage and source-volume existence from one listing each, the volumes shared with the volume collector.
import {
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type DescribeImagesCommandInput,
  type DescribeSnapshotsCommandInput,
} from '@aws-sdk/client-ec2';
import type { EbsSnapshot, EbsVolume } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess, SCOPE } from '../__fixtures__/test-access.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

describe('ebs-snapshot collector', () => {
  it('marks snapshots used by AMIs and whether their source volume still exists', async () => {
    const snapshotInputs: DescribeSnapshotsCommandInput[] = [];
    const imageInputs: DescribeImagesCommandInput[] = [];
    ec2.on(DescribeSnapshotsCommand).callsFake((input: DescribeSnapshotsCommandInput) => {
      snapshotInputs.push({ ...input });
      return fixture('ec2.DescribeSnapshots_1');
    });
    ec2.on(DescribeImagesCommand).callsFake((input: DescribeImagesCommandInput) => {
      imageInputs.push({ ...input });
      return fixture('ec2.DescribeImages_1');
    });
    ec2.on(DescribeVolumesCommand).resolves(fixture('ec2.DescribeVolumes_1'));
    const { access } = mockedAccess();

    const snapshots = (await access.discover('ebs-snapshot', SCOPE)) as EbsSnapshot[];
    const byId = new Map(snapshots.map((snapshot) => [snapshot.id, snapshot]));

    expect(snapshotInputs).toEqual([expect.objectContaining({ OwnerIds: ['self'], MaxResults: 1000 })]);
    expect(imageInputs).toEqual([expect.objectContaining({ Owners: ['self'], IncludeDeprecated: true })]);
    // One listing of the region's volumes serves every snapshot.
    expect(ec2.commandCalls(DescribeVolumesCommand)).toHaveLength(1);

    expect(byId.get('snap-0a1b2c3d4e5f60001')).toMatchObject({
      name: 'web-root',
      volumeId: 'vol-0a1b2c3d4e5f60001',
      volumeSizeGiB: 100,
      storageTier: 'standard',
      encrypted: true,
      usedByImages: ['ami-0aaaaaaaaaaaaaaa1', 'ami-0aaaaaaaaaaaaaaa2'],
      sourceVolumeExists: true,
      startTime: '2023-02-01T00:00:00.000Z',
    });
    expect(byId.get('snap-0a1b2c3d4e5f60002')).toMatchObject({
      storageTier: 'archive',
      usedByImages: [],
      sourceVolumeExists: false,
      volumeSizeGiB: 500,
    });
    expect(byId.get('snap-0a1b2c3d4e5f60002')?.description).toBeUndefined();
    // Copies name the placeholder volume vol-ffffffff, which never exists.
    expect(byId.get('snap-0a1b2c3d4e5f60003')).toMatchObject({ usedByImages: [], sourceVolumeExists: false });
    access.close();
  });

  it('reads the volumes the volume collector of the same scan listed, and lists them itself when scanned alone', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves(fixture('ec2.DescribeSnapshots_1'));
    ec2.on(DescribeImagesCommand).resolves(fixture('ec2.DescribeImages_1'));
    ec2.on(DescribeVolumesCommand).resolves(fixture('ec2.DescribeVolumes_1'));
    const { access } = mockedAccess();
    const sources = (snapshots: EbsSnapshot[]) => snapshots.map((snapshot) => [snapshot.id, snapshot.sourceVolumeExists]);

    // Only snapshots scanned: one listing of the volumes, the same answers as without a scan id.
    const alone = (await access.discover('ebs-snapshot', SCOPE, { scanId: 'scan-a' })) as EbsSnapshot[];
    expect(ec2.commandCalls(DescribeVolumesCommand)).toHaveLength(1);
    expect(sources(alone)).toEqual(sources((await access.discover('ebs-snapshot', SCOPE)) as EbsSnapshot[]));
    expect(sources(alone)).toContainEqual(['snap-0a1b2c3d4e5f60001', true]);
    ec2.resetHistory();

    // Volumes and snapshots of one scan, one after the other and at once: one listing each time.
    const volumes = (await access.discover('ebs-volume', SCOPE, { scanId: 'scan-b' })) as EbsVolume[];
    const snapshots = (await access.discover('ebs-snapshot', SCOPE, { scanId: 'scan-b' })) as EbsSnapshot[];
    expect(ec2.commandCalls(DescribeVolumesCommand)).toHaveLength(1);
    expect(volumes.map((volume) => volume.id)).toContain('vol-0a1b2c3d4e5f60001');
    expect(sources(snapshots)).toEqual(sources(alone));
    await Promise.all([access.discover('ebs-snapshot', SCOPE, { scanId: 'scan-c' }), access.discover('ebs-volume', SCOPE, { scanId: 'scan-c' })]);
    expect(ec2.commandCalls(DescribeVolumesCommand)).toHaveLength(2);

    // Another scan of the same partition lists again: a listing never outlives its scan's collectors.
    await access.discover('ebs-snapshot', SCOPE, { scanId: 'scan-d' });
    expect(ec2.commandCalls(DescribeVolumesCommand)).toHaveLength(3);
    access.close();
  });

  it('fails with the action of the listing that was refused', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves(fixture('ec2.DescribeSnapshots_1'));
    ec2.on(DescribeVolumesCommand).resolves(fixture('ec2.DescribeVolumes_1'));
    ec2.on(DescribeImagesCommand).rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    const { access } = mockedAccess();
    await expect(access.discover('ebs-snapshot', SCOPE)).rejects.toMatchObject({
      action: 'ec2:DescribeImages',
      retryable: false,
      hint: expect.stringContaining('ec2:DescribeImages'),
    });
    access.close();
  });
});
