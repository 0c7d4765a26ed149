// rds-orphaned-snapshot: a manual DB snapshot whose DB instance no longer exists.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { daysSince, formatUsd } from '../format.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';
import { dbSnapshotDeletion } from '../snapshot-deletion.js';

const options = z.strictObject({
  minAgeDays: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('Skip snapshots younger than this many days (a final snapshot taken on deletion, still wanted).'),
  ...productionTagOptions,
});

export const rdsOrphanedSnapshot = defineCheck({
  id: 'rds-orphaned-snapshot',
  title: 'Orphaned RDS snapshot',
  description: 'Manual DB snapshots whose source DB instance no longer exists.',
  resourceKind: 'rds-snapshot',
  metrics: [],
  lookback: 'none',
  permissions: ['rds:DescribeDBSnapshots', 'rds:DescribeDBInstances'],
  options,
  evaluate({ resource, options, prices, now }) {
    if (resource.sourceInstanceExists) return null;
    const ageDays = daysSince(resource.snapshotCreateTime, now);
    if (ageDays !== undefined && ageDays < options.minAgeDays) return null;
    const deletion = dbSnapshotDeletion(resource, prices);
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: deletion.price.usd,
      priceConfidence: 'estimated',
      // It may be the last copy of a deleted database.
      risk: riskFor('medium', production),
      confidence: 1,
      action: deletion.action,
      reason: `DB instance ${resource.dbInstanceId} no longer exists; its manual snapshot keeps ${resource.allocatedStorageGiB} GiB, about ${formatUsd(deletion.price.usd)}/month`,
      evidence: { ...deletion.evidence, ageDays: ageDays ?? null, production },
    };
  },
});
