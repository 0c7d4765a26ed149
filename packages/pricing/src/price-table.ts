// Price lookups over a validated price table: every answer carries its confidence and how it was worked out.
import type { EbsSnapshot, EbsVolume, Ec2Instance, LambdaFunction } from '@finops/core';
import { familyCandidates, parseInstanceType, sizeFactor, vcpusOfFactor } from './instance-type.js';
import type { PerVcpuRule, PriceFamily, PriceTableData } from './price-table-schema.js';

/** Hours in a billing month as AWS's calculators count them (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * A price answer. `exact`: a listed figure for the table's reference region (or a region override).
 * `estimated`: derived by a documented rule (size factor, region ratio, sibling family, per-vCPU fallback).
 */
export interface PriceQuote {
  usd: number;
  confidence: 'exact' | 'estimated';
  /** How the number was reached, e.g. `m5.large $0.096/h × 1.11 (eu-west-1 ratio, approximate)`. */
  basis: string;
}

export type Platform = Ec2Instance['platform'];
export type EbsVolumeType = EbsVolume['volumeType'];
export type SnapshotTier = EbsSnapshot['storageTier'];
export type LoadBalancerType = 'application' | 'network' | 'classic';

export interface EbsVolumeSpec {
  volumeType: EbsVolumeType;
  sizeGiB: number;
  iops?: number;
  throughputMiBps?: number;
}

export interface LambdaUsage {
  architecture: LambdaFunction['architecture'];
  memoryMb: number;
  invocationsPerMonth: number;
  avgDurationMs: number;
}

/** Sizes assumed when a type's size is not recognized, or is `metal` in a family the table does not know. */
const UNRECOGNIZED_SIZE = 'large';
const METAL_OF_UNKNOWN_FAMILY = '24xlarge';

interface FamilyHourly {
  usd: number;
  exact: boolean;
  basis: string;
  burstable: boolean;
  size: string;
  factor: number;
}

interface RegionFactor {
  factor: number;
  exact: boolean;
  note: string;
}

function quote(usd: number, exact: boolean, basis: string): PriceQuote {
  return { usd, confidence: exact ? 'exact' : 'estimated', basis };
}

function money(usd: number): string {
  return `$${Number(usd.toPrecision(6))}`;
}

/** A loaded price table. Build one with `loadPriceTable()`. */
export class PriceTable {
  readonly data: PriceTableData;

  constructor(data: PriceTableData) {
    this.data = data;
  }

  /** Where the figures come from. */
  get source(): string {
    return this.data.source;
  }

  /** When the figures were collected (YYYY-MM-DD). */
  get date(): string {
    return this.data.date;
  }

  /**
   * On-demand $/hour of an EC2 instance type.
   * @example prices.ec2InstanceHourly('m5.large', 'us-east-1', 'linux') // { usd: 0.096, confidence: 'exact', … }
   */
  ec2InstanceHourly(instanceType: string, region: string, platform: Platform): PriceQuote {
    const ec2 = this.data.ec2;
    const hourly = this.familyHourly(instanceType, ec2.families, ec2.unknownFamily);
    const override = this.data.regions.overrides[region]?.ec2Linux?.[instanceType];
    const linux: PriceQuote =
      override !== undefined
        ? quote(override, true, `${instanceType} ${money(override)}/h (${region} override)`)
        : this.inRegion(hourly.usd, hourly.exact, hourly.basis, region);
    if (platform === 'linux') return linux;

    const licensedVcpus = hourly.burstable
      ? (ec2.windows.burstableLicensedVcpus[hourly.size] ?? vcpusOfFactor(hourly.factor))
      : vcpusOfFactor(hourly.factor);
    const uplift = licensedVcpus * ec2.windows.usdPerVcpuHour;
    return quote(
      linux.usd + uplift,
      false,
      `${linux.basis} + Windows license ${licensedVcpus} vCPU × ${money(ec2.windows.usdPerVcpuHour)}/vCPU-h`,
    );
  }

  /** Monthly price of an EBS volume: storage plus provisioned IOPS and throughput above what the type includes. */
  ebsVolumeMonthly(volume: EbsVolumeSpec, region: string): PriceQuote {
    const volumes = this.data.ebs.volumes;
    const { volumeType, sizeGiB } = volume;
    switch (volumeType) {
      case 'gp3': {
        const gp3 = volumes.gp3;
        const extraIops = Math.max(0, (volume.iops ?? gp3.includedIops) - gp3.includedIops);
        const extraThroughput = Math.max(
          0,
          (volume.throughputMiBps ?? gp3.includedThroughputMiBps) - gp3.includedThroughputMiBps,
        );
        const usd = sizeGiB * gp3.gbMonth + extraIops * gp3.iopsMonth + extraThroughput * gp3.throughputMiBpsMonth;
        const basis =
          `gp3 ${sizeGiB} GiB × ${money(gp3.gbMonth)}` +
          ` + ${extraIops} IOPS above ${gp3.includedIops} × ${money(gp3.iopsMonth)}` +
          ` + ${extraThroughput} MiB/s above ${gp3.includedThroughputMiBps} × ${money(gp3.throughputMiBpsMonth)}`;
        return this.inRegion(usd, true, basis, region);
      }
      case 'io1': {
        const io1 = volumes.io1;
        const iops = volume.iops ?? 0;
        const usd = sizeGiB * io1.gbMonth + iops * io1.iopsMonth;
        const basis = `io1 ${sizeGiB} GiB × ${money(io1.gbMonth)} + ${iops} IOPS × ${money(io1.iopsMonth)}`;
        // io1 always has provisioned IOPS; without the figure only storage is priced, an underestimate.
        const known = volume.iops !== undefined;
        return this.inRegion(usd, known, known ? basis : `${basis} (IOPS unknown)`, region);
      }
      case 'io2': {
        const io2 = volumes.io2;
        const iops = volume.iops ?? 0;
        const tiered = tieredIops(iops, io2.iopsTiers);
        const usd = sizeGiB * io2.gbMonth + tiered.usd;
        const basis = `io2 ${sizeGiB} GiB × ${money(io2.gbMonth)} + ${iops} IOPS tiered ${money(tiered.usd)}`;
        const known = volume.iops !== undefined;
        return this.inRegion(usd, known && !tiered.estimated, known ? basis : `${basis} (IOPS unknown)`, region);
      }
      default: {
        const perGb = volumes[volumeType];
        const basis = `${volumeType} ${sizeGiB} GiB × ${money(perGb.gbMonth)}${perGb.basis ? ` (${perGb.basis})` : ''}`;
        return this.inRegion(sizeGiB * perGb.gbMonth, perGb.estimated !== true, basis, region);
      }
    }
  }

  /** Monthly price of storing a snapshot of `sizeGiB` (a full-size snapshot is the upper bound: they are incremental). */
  snapshotMonthly(sizeGiB: number, region: string, tier: SnapshotTier): PriceQuote {
    const snapshots = this.data.snapshots;
    const perGb = tier === 'archive' ? snapshots.archiveGbMonth : snapshots.standardGbMonth;
    return this.inRegion(sizeGiB * perGb, true, `${tier} snapshot ${sizeGiB} GiB × ${money(perGb)}`, region);
  }

  /** Monthly price of one public IPv4 address (attached or idle). */
  publicIpv4Monthly(region: string): PriceQuote {
    const ipv4 = this.data.publicIpv4;
    const usd = ipv4.hourly * HOURS_PER_MONTH;
    const basis = `public IPv4 ${money(ipv4.hourly)}/h × ${HOURS_PER_MONTH} h`;
    if (ipv4.sameInEveryRegion) return quote(usd, true, basis);
    return this.inRegion(usd, true, basis, region);
  }

  /** Monthly price of a NAT gateway: hours plus the data it processes. */
  natGatewayMonthly(region: string, gbProcessedPerMonth = 0): PriceQuote {
    const nat = this.data.natGateway;
    const usd = nat.hourly * HOURS_PER_MONTH + gbProcessedPerMonth * nat.perGbProcessed;
    const basis = `NAT gateway ${money(nat.hourly)}/h × ${HOURS_PER_MONTH} h + ${gbProcessedPerMonth} GB × ${money(nat.perGbProcessed)}`;
    return this.inRegion(usd, true, basis, region);
  }

  /** Monthly hourly charge of a load balancer; capacity units (LCU/NLCU) and data are not included. */
  loadBalancerMonthly(type: LoadBalancerType, region: string): PriceQuote {
    const lb = this.data.loadBalancers[type];
    const basis = `${type} load balancer ${money(lb.hourly)}/h × ${HOURS_PER_MONTH} h (capacity units not included)`;
    return this.inRegion(lb.hourly * HOURS_PER_MONTH, lb.estimated !== true, basis, region);
  }

  /**
   * On-demand $/hour of an RDS DB instance class. Multi-AZ doubles the price (one standby), except for Aurora,
   * whose replicas are separate instances.
   * @example prices.rdsInstanceHourly('db.m5.large', 'postgres', true, 'us-east-1') // { usd: 0.356, … }
   */
  rdsInstanceHourly(dbInstanceClass: string, engine: string, multiAz: boolean, region: string): PriceQuote {
    const rds = this.data.rds;
    const override = this.data.regions.overrides[region]?.rds?.[dbInstanceClass];
    let single: PriceQuote;
    if (override !== undefined) {
      single = quote(override, true, `${dbInstanceClass} ${money(override)}/h (${region} override)`);
    } else {
      const hourly = this.familyHourly(dbInstanceClass, rds.families, rds.unknownFamily);
      single = this.inRegion(hourly.usd, hourly.exact, hourly.basis, region);
    }
    let { usd, basis } = single;
    let exact = single.confidence === 'exact';
    const engineRule = rds.engines.factors[engine.toLowerCase()];
    if (engineRule) {
      usd *= engineRule.factor;
      exact &&= engineRule.estimated !== true;
      if (engineRule.factor !== 1) basis += ` × ${engineRule.factor} (${engine})`;
    } else {
      exact = false;
      basis += ` (${engine} priced as PostgreSQL: a lower bound for licensed engines)`;
    }
    if (multiAz && engineRule?.singleInstance !== true) {
      usd *= rds.multiAzFactor;
      basis += ` × ${rds.multiAzFactor} Multi-AZ`;
    }
    return quote(usd, exact, basis);
  }

  /** Monthly price of RDS storage (and provisioned IOPS above what the type includes); Multi-AZ doubles it. */
  rdsStorageMonthly(
    storageType: string,
    sizeGiB: number,
    iops: number | undefined,
    region: string,
    multiAz = false,
  ): PriceQuote {
    const storage = this.data.rds.storage;
    const listed = storage.types[storageType];
    // The schema guarantees a gp2 entry; unknown types (e.g. Aurora's) are priced as gp2 and marked estimated.
    const rule = listed ?? storage.types.gp2;
    const extraIops = rule.iopsMonth !== undefined ? Math.max(0, (iops ?? 0) - (rule.includedIops ?? 0)) : 0;
    let usd = sizeGiB * rule.gbMonth + extraIops * (rule.iopsMonth ?? 0);
    let basis = `${listed ? storageType : `${storageType} priced as gp2`} ${sizeGiB} GiB × ${money(rule.gbMonth)}`;
    if (extraIops > 0) basis += ` + ${extraIops} IOPS × ${money(rule.iopsMonth ?? 0)}`;
    if (multiAz) {
      usd *= this.data.rds.multiAzFactor;
      basis += ` × ${this.data.rds.multiAzFactor} Multi-AZ`;
    }
    return this.inRegion(usd, listed !== undefined && storage.estimated !== true, basis, region);
  }

  /** Monthly compute and request charges of a Lambda function (free tier not deducted: it is account-wide). */
  lambdaMonthly(usage: LambdaUsage, region: string): PriceQuote {
    const lambda = this.data.lambda;
    const rate = lambda.gbSecond[usage.architecture];
    const gbSeconds = usage.invocationsPerMonth * (usage.avgDurationMs / 1000) * (usage.memoryMb / 1024);
    const usd = gbSeconds * rate + (usage.invocationsPerMonth / 1_000_000) * lambda.perMillionRequests;
    const basis =
      `${Number(gbSeconds.toPrecision(6))} GB-s × ${money(rate)} (${usage.architecture})` +
      ` + ${usage.invocationsPerMonth} requests × ${money(lambda.perMillionRequests)}/1M`;
    // Lambda rates are flat across most regions, so no ratio applies; only the reference region is certain.
    const reference = region === this.data.regions.referenceRegion;
    return quote(usd, reference, reference ? basis : `${basis} (us-east-1 rate assumed in ${region})`);
  }

  /** The ratio of a region's prices to the reference region's. */
  regionFactor(region: string): RegionFactor {
    const regions = this.data.regions;
    if (region === regions.referenceRegion) return { factor: 1, exact: true, note: region };
    const listed = regions.multipliers[region];
    if (listed !== undefined) return { factor: listed, exact: false, note: `× ${listed} (${region} ratio, approximate)` };
    return {
      factor: regions.unlistedMultiplier,
      exact: false,
      note: `× ${regions.unlistedMultiplier} (${region} has no ratio: ${regions.unlistedBasis})`,
    };
  }

  private inRegion(usd: number, exact: boolean, basis: string, region: string): PriceQuote {
    const ratio = this.regionFactor(region);
    if (ratio.exact) return quote(usd, exact, `${basis}, ${ratio.note}`);
    return quote(usd * ratio.factor, false, `${basis} ${ratio.note}`);
  }

  /**
   * Hourly price of a type in the reference region: the listed entry; else the nearest listed family scaled by
   * size factor; else the family's per-vCPU rule. Never zero.
   */
  private familyHourly(type: string, families: Record<string, PriceFamily>, unknown: PerVcpuRule): FamilyHourly {
    const factors = this.data.sizeFactors.factors;
    const parts = parseInstanceType(type);
    if (parts) {
      for (const name of familyCandidates(parts.family)) {
        const family = families[name];
        if (!family) continue;
        const burstable = family.burstable === true;
        const sibling = name === parts.family ? '' : ` (priced as ${name}, the nearest listed family)`;
        // Plain `metal` is the family's largest size.
        const factor = parts.size === 'metal' ? largestFactor(family, factors) : sizeFactor(parts.size, factors);
        const listed = family.prices[parts.size];
        if (listed) {
          const note = listed.estimated ? ' (table estimate: family base × size factor)' : '';
          return {
            usd: listed.usd,
            exact: listed.estimated !== true && sibling === '',
            basis: `${type} ${money(listed.usd)}/h${note}${sibling}`,
            burstable,
            size: parts.size,
            factor: factor ?? factors[UNRECOGNIZED_SIZE] ?? 4,
          };
        }
        const baseFactor = sizeFactor(family.base.size, factors);
        if (factor === undefined || baseFactor === undefined) break;
        return {
          usd: (family.base.usd * factor) / baseFactor,
          exact: false,
          basis: `${type}: ${name}.${family.base.size} ${money(family.base.usd)}/h × size factor ${factor}/${baseFactor}${sibling}`,
          burstable,
          size: parts.size,
          factor,
        };
      }
    }
    const size = parts?.size ?? UNRECOGNIZED_SIZE;
    const factor =
      sizeFactor(size, factors) ??
      sizeFactor(size === 'metal' ? METAL_OF_UNKNOWN_FAMILY : UNRECOGNIZED_SIZE, factors) ??
      4;
    const vcpus = vcpusOfFactor(factor);
    return {
      usd: vcpus * unknown.usdPerVcpuHour,
      exact: false,
      basis: `${type}: unknown family, ${vcpus} vCPU × ${money(unknown.usdPerVcpuHour)}/vCPU-h (${unknown.basis})`,
      burstable: /^(?:db\.)?t\d/.test(parts?.family ?? ''),
      size,
      factor,
    };
  }
}

function largestFactor(family: PriceFamily, factors: Record<string, number>): number | undefined {
  const known = Object.keys(family.prices)
    .map((size) => sizeFactor(size, factors))
    .filter((factor): factor is number => factor !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

/** io2-style tiered IOPS: each tier's rate applies to the IOPS inside it. The last tier is unbounded (schema). */
function tieredIops(
  iops: number,
  tiers: { upToIops: number | null; iopsMonth: number; estimated?: boolean }[],
): { usd: number; estimated: boolean } {
  let usd = 0;
  let estimated = false;
  let lower = 0;
  for (const tier of tiers) {
    const upper = tier.upToIops ?? Number.POSITIVE_INFINITY;
    const inTier = Math.min(iops, upper) - lower;
    if (inTier <= 0) break;
    usd += inTier * tier.iopsMonth;
    if (tier.estimated) estimated = true;
    lower = upper;
  }
  return { usd, estimated };
}
