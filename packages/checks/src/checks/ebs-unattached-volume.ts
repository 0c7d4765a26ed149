// ebs-unattached-volume: a volume attached to nothing, billed every month for storage no instance reads.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { daysSince, formatUsd } from '../format.js';
import { isProduction, productionTagOptions } from '../production-tags.js';

const options = z.strictObject({
  snapshotBeforeDelete: z
    .boolean()
    .default(true)
    .describe('Take a final snapshot before deleting; savings are then net of the snapshot\'s monthly cost.'),
  minAgeDays: z
    .number()
    .int()
    .nonnegative()
    .default(7)
    .describe('Skip volumes created less than this many days ago (often about to be attached).'),
  ...productionTagOptions,
});

export const ebsUnattachedVolume = defineCheck({
  id: 'ebs-unattached-volume',
  title: 'Unattached EBS volume',
  description: 'EBS volumes in the available state: attached to no instance, still billed for storage.',
  resourceKind: 'ebs-volume',
  metrics: [],
  lookback: 'none',
  permissions: ['ec2:DescribeVolumes'],
  options,
  evaluate({ resource, options, prices, now }) {
    if (resource.state !== 'available') return null;
    // AWS records no "detached at" time, so age is counted from creation. An unparsable time is treated as old:
    // the volume is unattached either way.
    const ageDays = daysSince(resource.createTime, now);
    if (ageDays !== undefined && ageDays < options.minAgeDays) return null;

    const volume = prices.ebsVolumeMonthly(resource, resource.region);
    // A full-size snapshot is the upper bound of its cost (snapshots store used blocks only), so the net
    // saving is a lower bound.
    const snapshot = options.snapshotBeforeDelete
      ? prices.snapshotMonthly(resource.sizeGiB, resource.region, 'standard')
      : undefined;
    const savings = volume.usd - (snapshot?.usd ?? 0);
    // Cold volumes (sc1) cost less per GB than a snapshot: deleting them with a snapshot saves nothing.
    if (savings <= 0) return null;

    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    const estimated = volume.confidence === 'estimated' || snapshot?.confidence === 'estimated';
    const age = ageDays === undefined ? 'at an unknown date' : `${ageDays} days ago`;
    return {
      monthlySavingsUsd: savings,
      priceConfidence: estimated ? 'estimated' : 'exact',
      risk: production ? 'medium' : 'low',
      confidence: 1,
      action: {
        type: 'ebs.delete-volume',
        description: options.snapshotBeforeDelete ? 'Snapshot the volume, then delete it.' : 'Delete the volume.',
        params: { volumeId: resource.id, snapshotFirst: options.snapshotBeforeDelete },
      },
      reason: `Volume is attached to nothing: ${resource.sizeGiB} GiB ${resource.volumeType} created ${age}, billed ${formatUsd(volume.usd)}/month`,
      evidence: {
        sizeGiB: resource.sizeGiB,
        volumeType: resource.volumeType,
        iops: resource.iops ?? null,
        throughputMiBps: resource.throughputMiBps ?? null,
        createTime: resource.createTime,
        ageDays: ageDays ?? null,
        volumeMonthlyUsd: volume.usd,
        snapshotMonthlyUsd: snapshot?.usd ?? 0,
        snapshotFirst: options.snapshotBeforeDelete,
        priceBasis: volume.basis,
        production,
      },
    };
  },
});
