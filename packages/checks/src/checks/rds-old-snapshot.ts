// rds-old-snapshot: a manual DB snapshot older than the retention the organization needs.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { daysSince, formatUsd } from '../format.js';
import { DAY_MS } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';
import { dbSnapshotDeletion } from '../snapshot-deletion.js';

const options = z.strictObject({
  maxAgeDays: z.number().int().positive().default(90).describe('Report manual DB snapshots older than this many days.'),
  ...productionTagOptions,
});

export const rdsOldSnapshot = defineCheck({
  id: 'rds-old-snapshot',
  title: 'Old RDS snapshot',
  description: 'Manual DB snapshots older than maxAgeDays (automated ones expire on their own), billed for storage.',
  resourceKind: 'rds-snapshot',
  metrics: [],
  lookback: 'none',
  permissions: ['rds:DescribeDBSnapshots'],
  options,
  evaluate({ resource, options, prices, now }) {
    const created = Date.parse(resource.snapshotCreateTime);
    if (Number.isNaN(created) || now.getTime() - created <= options.maxAgeDays * DAY_MS) return null;
    const ageDays = daysSince(resource.snapshotCreateTime, now) ?? 0;
    const deletion = dbSnapshotDeletion(resource, prices);
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: deletion.price.usd,
      priceConfidence: 'estimated',
      risk: riskFor('medium', production),
      confidence: 1,
      action: deletion.action,
      reason: `Manual snapshot of ${resource.dbInstanceId} is ${ageDays} days old (over ${options.maxAgeDays}): ${resource.allocatedStorageGiB} GiB, about ${formatUsd(deletion.price.usd)}/month`,
      evidence: { ...deletion.evidence, ageDays, maxAgeDays: options.maxAgeDays, production },
    };
  },
});
