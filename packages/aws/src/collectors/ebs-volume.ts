// Discovers EBS volumes (DescribeVolumes) with their attachments, type, size and provisioned performance.
import { paginateDescribeVolumes, type EC2Client, type Volume } from '@aws-sdk/client-ec2';
import type { EbsVolume } from '@finops/core';
import type { AwsScope } from '../types.js';
import type { Collector, SharedListing } from './collector.js';
import { EC2_PAGE_SIZE } from './ec2-instance.js';
import { isoTime, numberOr, oneOf, tagsFromList } from './normalize.js';
import { collectPages } from './sdk-calls.js';

const VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;

/** Every volume of the region, all pages. */
function listVolumes(ec2: EC2Client, scope: AwsScope): Promise<Volume[]> {
  return collectPages(
    scope,
    'ec2:DescribeVolumes',
    paginateDescribeVolumes({ client: ec2, pageSize: EC2_PAGE_SIZE }, {}),
    (page) => page.Volumes,
  );
}

/** The region's volumes, read by this collector and by the snapshot collector (which source volumes still exist). */
export const VOLUMES_LISTING: SharedListing<Volume> = {
  name: 'ec2:DescribeVolumes',
  list: async ({ scope, client }) => listVolumes(await client('ec2'), scope),
};

export const ebsVolumeCollector: Collector<EbsVolume> = {
  kind: 'ebs-volume',
  permissions: ['ec2:DescribeVolumes'],
  sharedListings: [VOLUMES_LISTING],
  async collect({ scope, shared, logger }) {
    const volumes = await shared(VOLUMES_LISTING);
    const discoveredAt = new Date().toISOString();
    return volumes
      .filter((volume) => volume.VolumeId)
      .map((volume) => {
        if (volume.VolumeType && !(VOLUME_TYPES as readonly string[]).includes(volume.VolumeType)) {
          logger.debug({ volumeId: volume.VolumeId, volumeType: volume.VolumeType }, 'unknown EBS volume type, read as standard');
        }
        return toEbsVolume(volume, scope, discoveredAt);
      });
  },
};

export function toEbsVolume(volume: Volume, scope: AwsScope, discoveredAt: string): EbsVolume {
  const tags = tagsFromList(volume.Tags);
  return {
    kind: 'ebs-volume',
    id: volume.VolumeId ?? '',
    accountId: scope.accountId,
    region: scope.region,
    ...(tags.Name ? { name: tags.Name } : {}),
    tags,
    volumeType: oneOf(volume.VolumeType, VOLUME_TYPES, 'standard'),
    sizeGiB: numberOr(volume.Size, 0),
    iops: volume.Iops,
    throughputMiBps: volume.Throughput,
    state: volume.State ?? 'unknown',
    attachments: (volume.Attachments ?? []).flatMap((attachment) =>
      attachment.InstanceId
        ? [{ instanceId: attachment.InstanceId, state: attachment.State ?? 'unknown', device: attachment.Device }]
        : [],
    ),
    encrypted: volume.Encrypted ?? false,
    createTime: isoTime(volume.CreateTime, discoveredAt),
    snapshotId: volume.SnapshotId || undefined,
    availabilityZone: volume.AvailabilityZone,
  };
}
