// Discovers the account's own EBS snapshots and whether an AMI still uses each one or its source volume still exists.
import { paginateDescribeImages, paginateDescribeSnapshots, type Image, type Snapshot } from '@aws-sdk/client-ec2';
import type { EbsSnapshot } from '@finops/core';
import type { AwsScope } from '../types.js';
import type { Collector } from './collector.js';
import { EC2_PAGE_SIZE } from './ec2-instance.js';
import { VOLUMES_LISTING } from './ebs-volume.js';
import { isoTime, numberOr, tagsFromList } from './normalize.js';
import { collectPages } from './sdk-calls.js';

export const ebsSnapshotCollector: Collector<EbsSnapshot> = {
  kind: 'ebs-snapshot',
  permissions: ['ec2:DescribeSnapshots', 'ec2:DescribeImages', 'ec2:DescribeVolumes'],
  sharedListings: [VOLUMES_LISTING],
  async collect({ scope, client, shared }) {
    const ec2 = await client('ec2');
    // Three independent listings: one each, in parallel, never one call per snapshot. The volumes are the volume
    // collector's own listing when it runs in the same scan and process.
    const [snapshots, images, volumes] = await Promise.all([
      collectPages(
        scope,
        'ec2:DescribeSnapshots',
        paginateDescribeSnapshots({ client: ec2, pageSize: EC2_PAGE_SIZE }, { OwnerIds: ['self'] }),
        (page) => page.Snapshots,
      ),
      collectPages(
        scope,
        'ec2:DescribeImages',
        // Deprecated and disabled AMIs still hold their snapshots, so they count as users too.
        paginateDescribeImages(
          { client: ec2, pageSize: EC2_PAGE_SIZE },
          { Owners: ['self'], IncludeDeprecated: true, IncludeDisabled: true },
        ),
        (page) => page.Images,
      ),
      shared(VOLUMES_LISTING),
    ]);
    const imagesBySnapshot = imagesBySnapshotId(images);
    const volumeIds = new Set(volumes.flatMap((volume) => (volume.VolumeId ? [volume.VolumeId] : [])));
    const discoveredAt = new Date().toISOString();
    return snapshots
      .filter((snapshot) => snapshot.SnapshotId)
      .map((snapshot) => toEbsSnapshot(snapshot, scope, discoveredAt, imagesBySnapshot, volumeIds));
  },
};

/** snapshot id → ids of the AMIs whose block device mappings reference it. */
export function imagesBySnapshotId(images: readonly Image[]): Map<string, string[]> {
  const bySnapshot = new Map<string, string[]>();
  for (const image of images) {
    if (!image.ImageId) continue;
    for (const mapping of image.BlockDeviceMappings ?? []) {
      const snapshotId = mapping.Ebs?.SnapshotId;
      if (!snapshotId) continue;
      const users = bySnapshot.get(snapshotId) ?? [];
      if (!users.includes(image.ImageId)) users.push(image.ImageId);
      bySnapshot.set(snapshotId, users);
    }
  }
  return bySnapshot;
}

export function toEbsSnapshot(
  snapshot: Snapshot,
  scope: AwsScope,
  discoveredAt: string,
  imagesBySnapshot: ReadonlyMap<string, string[]>,
  volumeIds: ReadonlySet<string>,
): EbsSnapshot {
  const tags = tagsFromList(snapshot.Tags);
  const id = snapshot.SnapshotId ?? '';
  // Copied snapshots name the placeholder volume `vol-ffffffff`, which never exists: they read as orphaned.
  const volumeId = snapshot.VolumeId || undefined;
  return {
    kind: 'ebs-snapshot',
    id,
    accountId: scope.accountId,
    region: scope.region,
    ...(tags.Name ? { name: tags.Name } : {}),
    tags,
    volumeId,
    volumeSizeGiB: numberOr(snapshot.VolumeSize, 0),
    startTime: isoTime(snapshot.StartTime, discoveredAt),
    state: snapshot.State ?? 'unknown',
    storageTier: snapshot.StorageTier === 'archive' ? 'archive' : 'standard',
    encrypted: snapshot.Encrypted ?? false,
    usedByImages: imagesBySnapshot.get(id) ?? [],
    sourceVolumeExists: volumeId !== undefined && volumeIds.has(volumeId),
    description: snapshot.Description || undefined,
  };
}
