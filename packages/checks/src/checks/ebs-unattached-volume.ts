// ebs-unattached-volume: a volume attached to nothing, billed every month for storage no instance reads.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { atLeastACent, daysSince, formatUsd } from '../format.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';
import { volumeDeletion } from '../volume-deletion.js';

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
  minUnattachedDays: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('Skip volumes the platform has seen unattached for fewer days than this (AWS records no detach time: counted from the first scan that saw it unattached).'),
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
  condition: (resource) => resource.state === 'available',
  evaluate({ resource, options, prices, now, context }) {
    if (resource.state !== 'available') return null;
    // An unparsable creation time is treated as old: the volume is unattached either way.
    const ageDays = daysSince(resource.createTime, now);
    if (ageDays !== undefined && ageDays < options.minAgeDays) return null;
    // AWS records no "detached at" time: the platform's first sighting is the earliest it can vouch for.
    const unattachedSince = context.firstSeen(resource, 'ebs-unattached-volume');
    const unattachedDays = unattachedSince ? (daysSince(unattachedSince, now) ?? 0) : 0;
    if (unattachedDays < options.minUnattachedDays) return null;

    const deletion = volumeDeletion(resource, prices, options.snapshotBeforeDelete);
    // Cold volumes (sc1) cost less per GB than a snapshot: deleting them with a snapshot saves nothing.
    if (!atLeastACent(deletion.savingsUsd)) return null;

    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    const age = ageDays === undefined ? 'at an unknown date' : `${ageDays} days ago`;
    const seen = unattachedSince ? `, unattached for at least ${unattachedDays} days (first seen ${unattachedSince.slice(0, 10)})` : '';
    return {
      monthlySavingsUsd: deletion.savingsUsd,
      priceConfidence: deletion.estimated ? 'estimated' : 'exact',
      risk: riskFor('low', production),
      confidence: 1,
      action: {
        type: 'ebs.delete-volume',
        description: options.snapshotBeforeDelete ? 'Snapshot the volume, then delete it.' : 'Delete the volume.',
        params: { volumeId: resource.id, snapshotFirst: options.snapshotBeforeDelete },
      },
      reason: `Volume is attached to nothing: ${resource.sizeGiB} GiB ${resource.volumeType} created ${age}${seen}, billed ${formatUsd(deletion.volume.usd)}/month`,
      evidence: {
        sizeGiB: resource.sizeGiB,
        volumeType: resource.volumeType,
        iops: resource.iops ?? null,
        throughputMiBps: resource.throughputMiBps ?? null,
        createTime: resource.createTime,
        ageDays: ageDays ?? null,
        unattachedSince: unattachedSince ?? null,
        unattachedDays,
        volumeMonthlyUsd: deletion.volume.usd,
        snapshotMonthlyUsd: deletion.snapshot?.usd ?? 0,
        snapshotFirst: options.snapshotBeforeDelete,
        priceBasis: deletion.volume.basis,
        production,
      },
    };
  },
});
