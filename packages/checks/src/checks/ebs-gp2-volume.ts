// ebs-gp2-volume: a gp2 volume; gp3 gives the same size, baseline IOPS and throughput for less.
import type { EbsVolume } from '@finops/core';
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { atLeastACent, formatUsd } from '../format.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  ...productionTagOptions,
});

/**
 * gp2 baseline by size (EBS docs): 3 IOPS per GiB between 100 and 16,000; 250 MiB/s from 334 GiB, regardless of
 * burst credits. Smaller volumes reach at most 128 MiB/s without burst credits (170–334 GiB reach 250 only while
 * bursting), so 128 is what they sustain.
 */
export function gp2Baseline(sizeGiB: number): { iops: number; throughputMiBps: number } {
  return {
    iops: Math.min(16_000, Math.max(100, 3 * sizeGiB)),
    throughputMiBps: sizeGiB >= 334 ? 250 : 128,
  };
}

/** The gp3 volume that keeps a gp2 volume's baseline: at least gp3's included 3,000 IOPS and 125 MiB/s. */
export function gp3Equivalent(volume: Pick<EbsVolume, 'sizeGiB'>, included: { iops: number; throughputMiBps: number }) {
  const baseline = gp2Baseline(volume.sizeGiB);
  return {
    volumeType: 'gp3' as const,
    sizeGiB: volume.sizeGiB,
    iops: Math.max(included.iops, baseline.iops),
    throughputMiBps: Math.max(included.throughputMiBps, baseline.throughputMiBps),
  };
}

export const ebsGp2Volume = defineCheck({
  id: 'ebs-gp2-volume',
  title: 'gp2 EBS volume',
  description: 'gp2 volumes that gp3 serves for less at the same size, keeping their baseline IOPS and throughput.',
  resourceKind: 'ebs-volume',
  metrics: [],
  lookback: 'none',
  permissions: ['ec2:DescribeVolumes'],
  options,
  evaluate({ resource, options, prices }) {
    if (resource.volumeType !== 'gp2') return null;
    const gp3Prices = prices.data.ebs.volumes.gp3;
    const target = gp3Equivalent(resource, { iops: gp3Prices.includedIops, throughputMiBps: gp3Prices.includedThroughputMiBps });
    const gp2 = prices.ebsVolumeMonthly(resource, resource.region);
    const gp3 = prices.ebsVolumeMonthly(target, resource.region);
    const savings = gp2.usd - gp3.usd;
    if (!atLeastACent(savings)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    const exact = gp2.confidence === 'exact' && gp3.confidence === 'exact';
    return {
      monthlySavingsUsd: savings,
      priceConfidence: exact ? 'exact' : 'estimated',
      // Elastic Volumes changes the type online, without detaching or downtime.
      risk: riskFor('low', production),
      confidence: 1,
      action: {
        type: 'ebs.modify-volume',
        description: `Change the volume type to gp3 with ${target.iops} IOPS and ${target.throughputMiBps} MiB/s (online, no downtime).`,
        params: { volumeId: resource.id, volumeType: 'gp3', iops: target.iops, throughputMiBps: target.throughputMiBps },
      },
      reason: `${resource.sizeGiB} GiB gp2 costs ${formatUsd(gp2.usd)}/month; gp3 with the same ${target.iops} IOPS and ${target.throughputMiBps} MiB/s costs ${formatUsd(gp3.usd)}`,
      evidence: {
        sizeGiB: resource.sizeGiB,
        gp2BaselineIops: gp2Baseline(resource.sizeGiB).iops,
        gp2ThroughputMiBps: gp2Baseline(resource.sizeGiB).throughputMiBps,
        gp3Iops: target.iops,
        gp3ThroughputMiBps: target.throughputMiBps,
        gp2MonthlyUsd: gp2.usd,
        gp3MonthlyUsd: gp3.usd,
        priceBasis: gp2.basis,
        targetPriceBasis: gp3.basis,
        state: resource.state,
        production,
      },
    };
  },
});
