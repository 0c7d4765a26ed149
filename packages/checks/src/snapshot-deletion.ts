// What deleting an EBS snapshot saves, and how to say it: AMI-backed snapshots need their images deregistered first.
import type { EbsSnapshot, Evidence, RdsSnapshot, RecommendedAction } from '@finops/core';
import type { PriceQuote, PriceTable } from '@finops/pricing';

export interface SnapshotDeletion {
  price: PriceQuote;
  action: RecommendedAction;
  evidence: Evidence;
}

/**
 * Snapshots are incremental and AWS does not say how many blocks one holds alone, so the full volume size bounds
 * the saving from above: the price is always marked estimated.
 */
export function snapshotDeletion(snapshot: EbsSnapshot, prices: PriceTable): SnapshotDeletion {
  const price = prices.snapshotMonthly(snapshot.volumeSizeGiB, snapshot.region, snapshot.storageTier);
  const images = snapshot.usedByImages;
  return {
    price,
    action: {
      type: 'ebs.delete-snapshot',
      description:
        images.length > 0
          ? `Deregister ${images.join(', ')} (the AMI uses the snapshot), then delete the snapshot.`
          : 'Delete the snapshot (copy it to the archive tier instead if it may be needed: 75% cheaper, 90-day minimum).',
      params: { snapshotId: snapshot.id, deregisterImages: images.join(',') },
    },
    evidence: {
      volumeId: snapshot.volumeId ?? null,
      volumeSizeGiB: snapshot.volumeSizeGiB,
      storageTier: snapshot.storageTier,
      startTime: snapshot.startTime,
      usedByImages: images.join(','),
      sourceVolumeExists: snapshot.sourceVolumeExists,
      monthlyUsd: price.usd,
      priceBasis: `${price.basis} (full volume size: an upper bound, snapshots are incremental)`,
    },
  };
}

/**
 * What deleting a manual DB snapshot saves. The price table has no RDS backup-storage rate, so the allocated
 * storage is priced at the EBS snapshot rate: estimated, and low (RDS charges more per GB than EBS).
 */
export function dbSnapshotDeletion(snapshot: RdsSnapshot, prices: PriceTable): SnapshotDeletion {
  const price = prices.snapshotMonthly(snapshot.allocatedStorageGiB, snapshot.region, 'standard');
  return {
    price,
    action: {
      type: 'rds.delete-db-snapshot',
      description: 'Delete the manual DB snapshot (export it to S3 first if the data may be needed).',
      params: { dbSnapshotIdentifier: snapshot.id },
    },
    evidence: {
      dbInstanceId: snapshot.dbInstanceId,
      allocatedStorageGiB: snapshot.allocatedStorageGiB,
      engine: snapshot.engine,
      snapshotCreateTime: snapshot.snapshotCreateTime,
      sourceInstanceExists: snapshot.sourceInstanceExists,
      monthlyUsd: price.usd,
      priceBasis: `${price.basis} (RDS snapshot storage priced at the EBS snapshot rate: the table has no RDS backup rate)`,
    },
  };
}
