// Turns Price List products into a price table override: exact per-region prices, refreshed EBS, Lambda and region ratios.
import type { PriceListProduct } from '@finops/core';
import type { PriceTableOverride } from '../load-price-table.js';
import type { PriceTableData } from '../price-table-schema.js';

export interface PriceRefreshOptions {
  /** The table the override goes over (its reference region and EBS types). */
  base: PriceTableData;
  /** YYYY-MM-DD: the day the prices were read. */
  date: string;
  regions: readonly string[];
}

export interface PriceRefresh {
  override: PriceTableOverride;
  /** What was found, for the command's summary. */
  counts: { ec2Types: number; rdsClasses: number; ebsTypes: number; lambda: number; regionRatios: number };
}

/** The region ratios are read from this type's price, as the bundled ratios were (aws-facts.md §4). */
const RATIO_TYPE = 'm5.large';
const EBS_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;

/** The first-tier on-demand price in `unit`, when positive (the table never holds $0). */
function firstTier(product: PriceListProduct, unit?: string): number | undefined {
  const dimension = product.onDemand.find((d) => (unit === undefined || d.unit === unit) && (d.beginRange ?? 0) === 0);
  return dimension && dimension.usd > 0 ? dimension.usd : undefined;
}

/**
 * A price table override from Price List products. Every EC2 Linux type and RDS PostgreSQL class found goes to
 * `regions.overrides[region]` (so lookups call it exact, in every region including the reference); EBS per-GB
 * prices and Lambda rates of the reference region replace the bundled ones; and each region's ratio to the
 * reference is re-read from m5.large. Whatever was not found keeps the bundled figure.
 */
export function priceTableFromPriceList(products: readonly PriceListProduct[], options: PriceRefreshOptions): PriceRefresh {
  const reference = options.base.regions.referenceRegion;
  const ec2: Record<string, Record<string, number>> = {};
  const rds: Record<string, Record<string, number>> = {};
  const ebs: Partial<Record<(typeof EBS_TYPES)[number], number>> = {};
  const lambda: { x86_64?: number; arm64?: number; perMillionRequests?: number } = {};
  for (const product of products) {
    const a = product.attributes;
    const region = a.regionCode;
    if (!region) continue;
    if (product.serviceCode === 'AmazonEC2' && product.productFamily === 'Compute Instance') {
      const usd = firstTier(product, 'Hrs');
      const linuxShared = a.operatingSystem === 'Linux' && a.tenancy === 'Shared' && (a.preInstalledSw ?? 'NA') === 'NA';
      if (usd && a.instanceType && linuxShared && (a.capacitystatus ?? 'Used') === 'Used') (ec2[region] ??= {})[a.instanceType] = usd;
    } else if (product.serviceCode === 'AmazonEC2' && product.productFamily === 'Storage' && region === reference) {
      const type = EBS_TYPES.find((t) => t === a.volumeApiName);
      const usd = firstTier(product, 'GB-Mo');
      if (type && usd) ebs[type] = usd;
    } else if (product.serviceCode === 'AmazonRDS' && product.productFamily === 'Database Instance') {
      const usd = firstTier(product, 'Hrs');
      if (usd && a.instanceType && a.databaseEngine === 'PostgreSQL' && a.deploymentOption === 'Single-AZ') (rds[region] ??= {})[a.instanceType] = usd;
    } else if (product.serviceCode === 'AWSLambda' && region === reference) {
      const usd = firstTier(product);
      if (!usd) continue;
      if (a.group === 'AWS-Lambda-Duration') lambda.x86_64 = usd;
      else if (a.group === 'AWS-Lambda-Duration-ARM') lambda.arm64 = usd;
      else if (a.group === 'AWS-Lambda-Requests') lambda.perMillionRequests = usd * 1_000_000;
    }
  }

  const regionsWithPrices = [...new Set([...Object.keys(ec2), ...Object.keys(rds)])].sort();
  const overrides = Object.fromEntries(
    regionsWithPrices.map((region) => [
      region,
      { ...(ec2[region] ? { ec2Linux: sortKeys(ec2[region]) } : {}), ...(rds[region] ? { rds: sortKeys(rds[region]) } : {}) },
    ]),
  );
  const referencePrice = ec2[reference]?.[RATIO_TYPE];
  const multipliers: Record<string, number> = {};
  for (const region of Object.keys(ec2).sort()) {
    const price = ec2[region]?.[RATIO_TYPE];
    if (region !== reference && price && referencePrice) multipliers[region] = Math.round((price / referencePrice) * 10_000) / 10_000;
  }
  const volumes = Object.fromEntries(Object.entries(ebs).map(([type, gbMonth]) => [type, { gbMonth }]));
  const lambdaRates = {
    ...(lambda.x86_64 || lambda.arm64 ? { gbSecond: { ...(lambda.x86_64 ? { x86_64: lambda.x86_64 } : {}), ...(lambda.arm64 ? { arm64: lambda.arm64 } : {}) } } : {}),
    ...(lambda.perMillionRequests ? { perMillionRequests: Math.round(lambda.perMillionRequests * 1e6) / 1e6 } : {}),
  };
  const override: PriceTableOverride = {
    $comment:
      'Written by `finops pricing refresh` from the AWS Price List API; merged over the bundled table by loadPriceTable (pricing.overrideFile). Do not edit: refresh again.',
    source: `AWS Price List API (pricing:GetProducts), ${options.date}, regions ${[...options.regions].sort().join(', ')}: EC2 Linux on-demand shared tenancy, EBS volumes, RDS PostgreSQL Single-AZ, Lambda; everything else from the bundled table`,
    date: options.date,
    regions: { overrides, ...(Object.keys(multipliers).length ? { multipliers } : {}) },
    ...(Object.keys(volumes).length ? { ebs: { volumes } } : {}),
    ...(Object.keys(lambdaRates).length ? { lambda: lambdaRates } : {}),
  } as PriceTableOverride;
  return {
    override,
    counts: {
      ec2Types: Object.values(ec2).reduce((n, types) => n + Object.keys(types).length, 0),
      rdsClasses: Object.values(rds).reduce((n, classes) => n + Object.keys(classes).length, 0),
      ebsTypes: Object.keys(volumes).length,
      lambda: Object.keys(lambda).length,
      regionRatios: Object.keys(multipliers).length,
    },
  };
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
