// ebs-orphaned-snapshot: an EBS snapshot whose source volume is gone and that no AMI uses.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { daysSince, formatUsd } from '../format.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';
import { snapshotDeletion } from '../snapshot-deletion.js';

const options = z.strictObject({
  minAgeDays: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('Skip snapshots younger than this many days (a final snapshot of a volume deleted on purpose, still wanted).'),
  ...productionTagOptions,
});

export const ebsOrphanedSnapshot = defineCheck({
  id: 'ebs-orphaned-snapshot',
  title: 'Orphaned EBS snapshot',
  description: 'EBS snapshots whose source volume no longer exists and that no AMI references.',
  resourceKind: 'ebs-snapshot',
  metrics: [],
  lookback: 'none',
  permissions: ['ec2:DescribeSnapshots', 'ec2:DescribeVolumes', 'ec2:DescribeImages'],
  options,
  evaluate({ resource, options, prices, now }) {
    if (resource.sourceVolumeExists || resource.usedByImages.length > 0) return null;
    const ageDays = daysSince(resource.startTime, now);
    if (ageDays !== undefined && ageDays < options.minAgeDays) return null;
    const deletion = snapshotDeletion(resource, prices);
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: deletion.price.usd,
      priceConfidence: 'estimated',
      // It may be the last copy of a deleted volume's data.
      risk: riskFor('medium', production),
      confidence: 1,
      action: deletion.action,
      reason: `Source volume ${resource.volumeId ?? '(unknown)'} no longer exists and no AMI uses the snapshot: ${resource.volumeSizeGiB} GiB, up to ${formatUsd(deletion.price.usd)}/month`,
      evidence: { ...deletion.evidence, ageDays: ageDays ?? null, production },
    };
  },
});
