// ebs-old-snapshot: an EBS snapshot older than the retention the organization needs.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { daysSince, formatUsd } from '../format.js';
import { DAY_MS } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';
import { snapshotDeletion } from '../snapshot-deletion.js';

const options = z.strictObject({
  maxAgeDays: z.number().int().positive().default(90).describe('Report snapshots older than this many days.'),
  ...productionTagOptions,
});

export const ebsOldSnapshot = defineCheck({
  id: 'ebs-old-snapshot',
  title: 'Old EBS snapshot',
  description: 'EBS snapshots older than maxAgeDays, billed every month for storage.',
  resourceKind: 'ebs-snapshot',
  metrics: [],
  lookback: 'none',
  permissions: ['ec2:DescribeSnapshots', 'ec2:DescribeImages'],
  options,
  evaluate({ resource, options, prices, now }) {
    const started = Date.parse(resource.startTime);
    // An unknown age is not an old age.
    if (Number.isNaN(started) || now.getTime() - started <= options.maxAgeDays * DAY_MS) return null;
    const ageDays = daysSince(resource.startTime, now) ?? 0;
    const deletion = snapshotDeletion(resource, prices);
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    // Deleting an AMI's snapshot means deregistering the AMI: launches from it stop working.
    const base = resource.usedByImages.length > 0 ? 'high' : 'medium';
    return {
      monthlySavingsUsd: deletion.price.usd,
      priceConfidence: 'estimated',
      risk: riskFor(base, production),
      confidence: 1,
      action: deletion.action,
      reason: `Snapshot is ${ageDays} days old (over ${options.maxAgeDays}): ${resource.volumeSizeGiB} GiB ${resource.storageTier}, up to ${formatUsd(deletion.price.usd)}/month`,
      evidence: { ...deletion.evidence, ageDays, maxAgeDays: options.maxAgeDays, production },
    };
  },
});
