// rds-non-production-multi-az-instance: a dev, test or staging database paying for a Multi-AZ standby.
import { HOURS_PER_MONTH } from '@finops/pricing';
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { atLeastACent, formatUsd } from '../format.js';
import { isProduction, nonProductionTagOptions, productionTagOptions } from '../production-tags.js';

const options = z.strictObject({
  ...nonProductionTagOptions,
  ...productionTagOptions,
});

export const rdsNonProductionMultiAzInstance = defineCheck({
  id: 'rds-non-production-multi-az-instance',
  title: 'Multi-AZ RDS instance outside production',
  description: 'Multi-AZ DB instances tagged as non-production (dev, test, staging, …): the standby doubles instance and storage cost.',
  resourceKind: 'rds-instance',
  metrics: [],
  lookback: 'none',
  permissions: ['rds:DescribeDBInstances'],
  options,
  evaluate({ resource, options, prices }) {
    if (!resource.multiAz || resource.status !== 'available') return null;
    // Aurora keeps Multi-AZ at the cluster (replicas are instances of their own): nothing to turn off here.
    if (resource.engine.toLowerCase().startsWith('aurora')) return null;
    const nonProduction = isProduction(resource.tags, options.nonProductionTagKeys, options.nonProductionTagValues);
    // A resource tagged both ways is treated as production: the cautious reading.
    if (!nonProduction || isProduction(resource.tags, options.productionTagKeys, options.productionTagValues)) return null;

    const { dbInstanceClass, engine, region, storageType, allocatedStorageGiB, iops } = resource;
    const multi = prices.rdsInstanceHourly(dbInstanceClass, engine, true, region);
    const single = prices.rdsInstanceHourly(dbInstanceClass, engine, false, region);
    const storageMulti = prices.rdsStorageMonthly(storageType, allocatedStorageGiB, iops, region, true);
    const storageSingle = prices.rdsStorageMonthly(storageType, allocatedStorageGiB, iops, region, false);
    const savings = (multi.usd - single.usd) * HOURS_PER_MONTH + (storageMulti.usd - storageSingle.usd);
    if (!atLeastACent(savings)) return null;
    const environment = Object.entries(resource.tags).find(([key]) =>
      options.nonProductionTagKeys.some((wanted) => wanted.toLowerCase() === key.toLowerCase()),
    );
    const exact = [multi, single, storageMulti, storageSingle].every((quote) => quote.confidence === 'exact');
    return {
      monthlySavingsUsd: savings,
      priceConfidence: exact ? 'exact' : 'estimated',
      // Outside production by its own tags; the change is online.
      risk: 'low',
      confidence: 1,
      action: {
        type: 'rds.modify-db-instance',
        description: 'Turn Multi-AZ off (the standby is removed online; the primary keeps running).',
        params: { dbInstanceIdentifier: resource.id, multiAZ: false },
      },
      reason: `Tagged ${environment ? `${environment[0]}=${environment[1]}` : 'non-production'} yet Multi-AZ: the standby costs ${formatUsd(savings)}/month`,
      evidence: {
        environmentTag: environment ? `${environment[0]}=${environment[1]}` : null,
        dbInstanceClass,
        engine,
        multiAzPricePerHourUsd: multi.usd,
        singleAzPricePerHourUsd: single.usd,
        storageMultiAzMonthlyUsd: storageMulti.usd,
        storageSingleAzMonthlyUsd: storageSingle.usd,
        priceBasis: multi.basis,
      },
    };
  },
});
