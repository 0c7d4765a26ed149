// The shape of a price table (the bundled price-table.json or a user override), validated once when it is loaded.
import { z } from 'zod';
import { sizeFactor } from './instance-type.js';

/** Every price is positive: a lookup never answers $0 for something AWS bills. */
const price = z.number().positive();
const count = z.number().nonnegative();

const sizePrice = z.strictObject({
  usd: price.describe('On-demand USD per hour in the reference region.'),
  estimated: z.boolean().optional().describe('Derived from the family base by the size rule, not read from a price list.'),
});

/** A family of instance or DB instance classes: a documented base price and the sizes that exist. */
const family = z.strictObject({
  base: z.strictObject({
    size: z.string().min(1),
    usd: price,
    source: z.string().min(1).describe('Where the base figure comes from.'),
  }),
  burstable: z.boolean().optional().describe('T-family: CPU credits, Windows license charged on the CPU baseline.'),
  prices: z.record(z.string(), sizePrice).describe('Price per size that exists in the family.'),
});

/** Fallback for a family the table does not know: a rate per vCPU-hour, vCPUs derived from the size factor. */
const perVcpuRule = z.strictObject({ usdPerVcpuHour: price, basis: z.string().min(1) });

const regionOverride = z.strictObject({
  ec2Linux: z.record(z.string(), price).optional().describe('Exact Linux $/hour by instance type in this region.'),
  rds: z.record(z.string(), price).optional().describe('Exact single-AZ PostgreSQL $/hour by DB instance class.'),
});

const ebsPerGb = z.strictObject({ gbMonth: price, estimated: z.boolean().optional(), basis: z.string().optional() });

export const priceTableSchema = z
  .strictObject({
    $comment: z.string().optional(),
    source: z.string().min(1),
    /** The day the figures were collected (YYYY-MM-DD). */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'),
    currency: z.literal('USD'),
    regions: z.strictObject({
      referenceRegion: z.string().min(1).describe('The region the table prices are for; only its prices can be exact.'),
      basis: z.string().min(1),
      multipliers: z.record(z.string(), price),
      unlistedMultiplier: price,
      unlistedBasis: z.string().min(1),
      overrides: z.record(z.string(), regionOverride),
    }),
    sizeFactors: z.strictObject({ basis: z.string().min(1), factors: z.record(z.string(), price) }),
    ec2: z.strictObject({
      families: z.record(z.string(), family),
      estimateBasis: z.string().min(1),
      windows: z.strictObject({
        basis: z.string().min(1),
        usdPerVcpuHour: price,
        burstableLicensedVcpus: z.record(z.string(), price),
      }),
      unknownFamily: perVcpuRule,
    }),
    ebs: z.strictObject({
      source: z.string().min(1),
      volumes: z.strictObject({
        gp2: ebsPerGb,
        gp3: z.strictObject({
          gbMonth: price,
          includedIops: count,
          includedThroughputMiBps: count,
          iopsMonth: price,
          throughputMiBpsMonth: price,
        }),
        io1: z.strictObject({ gbMonth: price, iopsMonth: price }),
        io2: z.strictObject({
          gbMonth: price,
          iopsTiers: z
            .array(
              z.strictObject({
                upToIops: z.number().int().positive().nullable().describe('Upper bound of the tier; null: no bound.'),
                iopsMonth: price,
                estimated: z.boolean().optional(),
              }),
            )
            .min(1),
          tierBasis: z.string().optional(),
        }),
        st1: ebsPerGb,
        sc1: ebsPerGb,
        standard: ebsPerGb,
      }),
    }),
    snapshots: z.strictObject({ source: z.string().min(1), standardGbMonth: price, archiveGbMonth: price }),
    publicIpv4: z.strictObject({
      source: z.string().min(1),
      hourly: price,
      sameInEveryRegion: z.boolean(),
      regionBasis: z.string().optional(),
    }),
    natGateway: z.strictObject({ source: z.string().min(1), hourly: price, perGbProcessed: price }),
    loadBalancers: z.strictObject({
      application: z.strictObject({ hourly: price, perCapacityUnitHour: price, estimated: z.boolean().optional(), source: z.string() }),
      network: z.strictObject({ hourly: price, perCapacityUnitHour: price, estimated: z.boolean().optional(), source: z.string() }),
      classic: z.strictObject({ hourly: price, perGbProcessed: price, estimated: z.boolean().optional(), source: z.string() }),
    }),
    rds: z.strictObject({
      families: z.record(z.string(), family),
      estimateBasis: z.string().min(1),
      multiAzFactor: price,
      engines: z.strictObject({
        basis: z.string().min(1),
        factors: z.record(
          z.string(),
          z.strictObject({
            factor: price,
            estimated: z.boolean().optional(),
            singleInstance: z.boolean().optional().describe('Multi-AZ does not multiply the instance price (Aurora).'),
          }),
        ),
        singleInstanceBasis: z.string().optional(),
      }),
      unknownFamily: perVcpuRule,
      storage: z.strictObject({
        source: z.string().min(1),
        estimated: z.boolean().optional(),
        types: z.record(
          z.string(),
          z.strictObject({ gbMonth: price, includedIops: count.optional(), iopsMonth: price.optional() }),
        )
        .refine((types) => 'gp2' in types, 'expected a gp2 entry (unknown storage types are priced as gp2)'),
      }),
    }),
    lambda: z.strictObject({
      source: z.string().min(1),
      gbSecond: z.strictObject({ x86_64: price, arm64: price }),
      perMillionRequests: price,
      regionBasis: z.string().optional(),
      freeTierBasis: z.string().optional(),
    }),
  })
  .superRefine((table, ctx) => {
    // Sizes must have a size factor, or estimates derived from them would be NaN.
    const factors = table.sizeFactors.factors;
    for (const section of ['ec2', 'rds'] as const) {
      for (const [name, family] of Object.entries(table[section].families)) {
        for (const size of [family.base.size, ...Object.keys(family.prices)]) {
          if (sizeFactor(size, factors) === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [section, 'families', name],
              message: `size "${size}" has no size factor: add it to sizeFactors.factors`,
            });
          }
        }
      }
    }
    const tiers = table.ebs.volumes.io2.iopsTiers;
    if (tiers[tiers.length - 1]?.upToIops !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['ebs', 'volumes', 'io2', 'iopsTiers'],
        message: 'the last tier must be unbounded (upToIops: null)',
      });
    }
  });

export type PriceTableData = z.infer<typeof priceTableSchema>;
export type PriceFamily = z.infer<typeof family>;
export type PerVcpuRule = z.infer<typeof perVcpuRule>;
