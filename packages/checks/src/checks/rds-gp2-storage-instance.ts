// rds-gp2-storage-instance: a DB instance on gp2 storage; gp3 keeps its baseline IOPS for the same price or less.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { atLeastACent, formatUsd } from '../format.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  ...productionTagOptions,
});

export const rdsGp2StorageInstance = defineCheck({
  id: 'rds-gp2-storage-instance',
  title: 'RDS instance on gp2 storage',
  description: 'DB instances on gp2 storage: gp3 keeps their baseline IOPS (3,000 included at any size) for the same price or less.',
  resourceKind: 'rds-instance',
  metrics: [],
  lookback: 'none',
  permissions: ['rds:DescribeDBInstances'],
  options,
  evaluate({ resource, options, prices }) {
    if (resource.storageType !== 'gp2' || resource.status !== 'available') return null;
    const size = resource.allocatedStorageGiB;
    // gp2 on RDS: 3 IOPS per GiB, at least 100; gp3 includes a baseline and bills IOPS above it.
    const gp2Iops = Math.max(100, 3 * size);
    const included = prices.data.rds.storage.types.gp3?.includedIops ?? 0;
    const gp3Iops = Math.max(included, gp2Iops);
    const gp2 = prices.rdsStorageMonthly('gp2', size, undefined, resource.region, resource.multiAz);
    const gp3 = prices.rdsStorageMonthly('gp3', size, gp3Iops, resource.region, resource.multiAz);
    // Where keeping the baseline on gp3 costs more, the move is not a saving; a sub-cent difference is $0.
    if (atLeastACent(gp3.usd - gp2.usd)) return null;
    const difference = atLeastACent(gp2.usd - gp3.usd) ? gp2.usd - gp3.usd : 0;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: difference,
      priceConfidence: gp2.confidence === 'exact' && gp3.confidence === 'exact' ? 'exact' : 'estimated',
      // The storage change runs online, but performance can dip while RDS optimizes the storage.
      risk: riskFor('low', production),
      confidence: 1,
      action: {
        type: 'rds.modify-db-instance',
        description: `Change the storage type to gp3 with ${gp3Iops} IOPS (online; the storage is optimized in the background).`,
        params: { dbInstanceIdentifier: resource.id, storageType: 'gp3', iops: gp3Iops },
      },
      reason:
        difference > 0
          ? `${size} GiB of gp2 costs ${formatUsd(gp2.usd)}/month; gp3 with the same ${gp3Iops} IOPS costs ${formatUsd(gp3.usd)}`
          : `${size} GiB of gp2 costs the same as gp3 (${formatUsd(gp2.usd)}/month), but gp3 gives ${gp3Iops} IOPS however small the volume, so storage sized up for IOPS can shrink`,
      evidence: {
        allocatedStorageGiB: size,
        gp2BaselineIops: gp2Iops,
        gp3Iops,
        multiAz: resource.multiAz,
        gp2MonthlyUsd: gp2.usd,
        gp3MonthlyUsd: gp3.usd,
        priceBasis: gp2.basis,
        targetPriceBasis: gp3.basis,
        production,
      },
    };
  },
});
