// What deleting an EBS volume saves: its monthly price, net of the final snapshot when one is taken first.
import type { EbsVolume } from '@finops/core';
import type { PriceQuote, PriceTable } from '@finops/pricing';

export interface VolumeDeletion {
  /** Monthly price of the volume minus the snapshot's; may be ≤ 0 for cold volumes (sc1 costs less than a snapshot). */
  savingsUsd: number;
  volume: PriceQuote;
  snapshot?: PriceQuote;
  estimated: boolean;
}

/**
 * A full-size snapshot is the upper bound of its cost (snapshots store used blocks only), so the net saving is a
 * lower bound.
 */
export function volumeDeletion(volume: EbsVolume, prices: PriceTable, snapshotFirst: boolean): VolumeDeletion {
  const price = prices.ebsVolumeMonthly(volume, volume.region);
  const snapshot = snapshotFirst ? prices.snapshotMonthly(volume.sizeGiB, volume.region, 'standard') : undefined;
  return {
    savingsUsd: price.usd - (snapshot?.usd ?? 0),
    volume: price,
    ...(snapshot ? { snapshot } : {}),
    estimated: price.confidence === 'estimated' || snapshot?.confidence === 'estimated',
  };
}
