// Price lookups: exact figures, estimates by rule, region ratios, overrides, and never a $0 answer.
import { ConfigError } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { loadPriceTable } from './load-price-table.js';
import { HOURS_PER_MONTH } from './price-table.js';
import { sizeFactor } from './instance-type.js';

const prices = loadPriceTable();

describe('ec2InstanceHourly', () => {
  it('answers a listed figure exactly in the reference region', () => {
    expect(prices.ec2InstanceHourly('m5.large', 'us-east-1', 'linux')).toMatchObject({ usd: 0.096, confidence: 'exact' });
    expect(prices.ec2InstanceHourly('t3.micro', 'us-east-1', 'linux')).toMatchObject({ usd: 0.0104, confidence: 'exact' });
    expect(prices.ec2InstanceHourly('r6i.4xlarge', 'us-east-1', 'linux')).toMatchObject({ usd: 1.008, confidence: 'exact' });
  });

  it('marks table entries derived by the size rule as estimated', () => {
    const quote = prices.ec2InstanceHourly('m5.8xlarge', 'us-east-1', 'linux');
    expect(quote.usd).toBeCloseTo(1.536, 6);
    expect(quote.confidence).toBe('estimated');
    expect(prices.ec2InstanceHourly('t3.nano', 'us-east-1', 'linux')).toMatchObject({ usd: 0.0052, confidence: 'estimated' });
  });

  it('derives a size the family does not list from the family base', () => {
    const quote = prices.ec2InstanceHourly('m6i.32xlarge', 'us-east-1', 'linux');
    expect(quote.usd).toBeCloseTo(0.096 * 64, 6);
    expect(quote.confidence).toBe('estimated');
    expect(quote.basis).toContain('size factor 256/4');
  });

  it('prices plain metal as the largest listed size of the family', () => {
    expect(prices.ec2InstanceHourly('m5.metal', 'us-east-1', 'linux').usd).toBeCloseTo(
      prices.ec2InstanceHourly('m5.24xlarge', 'us-east-1', 'linux').usd,
      6,
    );
  });

  it('prices a variant family as its nearest listed family, estimated', () => {
    const quote = prices.ec2InstanceHourly('m5dn.xlarge', 'us-east-1', 'linux');
    expect(quote).toMatchObject({ usd: 0.192, confidence: 'estimated' });
    expect(quote.basis).toContain('priced as m5');
    expect(prices.ec2InstanceHourly('m7i-flex.large', 'us-east-1', 'linux').basis).toContain('priced as m7i');
  });

  it('falls back to the per-vCPU rule for an unknown family, never $0', () => {
    const quote = prices.ec2InstanceHourly('zz9.2xlarge', 'us-east-1', 'linux');
    expect(quote.usd).toBeCloseTo(8 * 0.048, 6);
    expect(quote.confidence).toBe('estimated');
    expect(quote.basis).toContain('unknown family');
    for (const junk of ['', 'garbage', 'x.', 'mac1.metal', 'u-6tb1.112xlarge']) {
      const fallback = prices.ec2InstanceHourly(junk, 'us-east-1', 'linux');
      expect(fallback.usd, junk).toBeGreaterThan(0);
      expect(fallback.confidence).toBe('estimated');
    }
  });

  it('adds the Windows license per vCPU, estimated', () => {
    const quote = prices.ec2InstanceHourly('m5.large', 'us-east-1', 'windows');
    expect(quote.usd).toBeCloseTo(0.096 + 2 * 0.046, 6);
    expect(quote.confidence).toBe('estimated');
    // Burstable families pay the license on their CPU baseline only.
    expect(prices.ec2InstanceHourly('t3.large', 'us-east-1', 'windows').usd).toBeCloseTo(0.0832 + 0.6 * 0.046, 6);
  });

  it('applies the region ratio and marks the result estimated', () => {
    const quote = prices.ec2InstanceHourly('m5.large', 'eu-west-1', 'linux');
    expect(quote.usd).toBeCloseTo(0.096 * 1.11, 6);
    expect(quote.confidence).toBe('estimated');
    expect(prices.ec2InstanceHourly('m5.large', 'us-east-2', 'linux')).toMatchObject({ usd: 0.096, confidence: 'estimated' });
    const unlisted = prices.ec2InstanceHourly('m5.large', 'af-south-1', 'linux');
    expect(unlisted.usd).toBeCloseTo(0.096 * 1.2, 6);
    expect(unlisted.basis).toContain('has no ratio');
  });

  it('uses a region override as an exact price', () => {
    const table = loadPriceTable({ regions: { overrides: { 'eu-west-1': { ec2Linux: { 'm5.large': 0.107 } } } } });
    expect(table.ec2InstanceHourly('m5.large', 'eu-west-1', 'linux')).toMatchObject({ usd: 0.107, confidence: 'exact' });
    expect(table.ec2InstanceHourly('m5.xlarge', 'eu-west-1', 'linux').confidence).toBe('estimated');
  });
});

describe('ebsVolumeMonthly', () => {
  it('prices gp2 per GB-month', () => {
    expect(prices.ebsVolumeMonthly({ volumeType: 'gp2', sizeGiB: 100 }, 'us-east-1')).toMatchObject({
      usd: 10,
      confidence: 'exact',
    });
  });

  it('includes 3,000 IOPS and 125 MiB/s in gp3 and charges only what is above', () => {
    const included = prices.ebsVolumeMonthly(
      { volumeType: 'gp3', sizeGiB: 100, iops: 3000, throughputMiBps: 125 },
      'us-east-1',
    );
    expect(included.usd).toBeCloseTo(8, 6);
    const extra = prices.ebsVolumeMonthly({ volumeType: 'gp3', sizeGiB: 100, iops: 4000, throughputMiBps: 250 }, 'us-east-1');
    expect(extra.usd).toBeCloseTo(8 + 1000 * 0.005 + 125 * 0.04, 6);
    expect(extra.confidence).toBe('exact');
    expect(prices.ebsVolumeMonthly({ volumeType: 'gp3', sizeGiB: 100 }, 'us-east-1').usd).toBeCloseTo(8, 6);
  });

  it('charges provisioned IOPS on io1 and tiers io2 above 32,000', () => {
    expect(prices.ebsVolumeMonthly({ volumeType: 'io1', sizeGiB: 100, iops: 1000 }, 'us-east-1').usd).toBeCloseTo(
      12.5 + 65,
      6,
    );
    const io2 = prices.ebsVolumeMonthly({ volumeType: 'io2', sizeGiB: 100, iops: 40000 }, 'us-east-1');
    expect(io2.usd).toBeCloseTo(12.5 + 32000 * 0.065 + 8000 * 0.0455, 6);
    expect(io2.confidence).toBe('estimated');
    expect(prices.ebsVolumeMonthly({ volumeType: 'io2', sizeGiB: 100, iops: 1000 }, 'us-east-1').confidence).toBe('exact');
  });

  it('marks io1 without an IOPS figure as estimated', () => {
    expect(prices.ebsVolumeMonthly({ volumeType: 'io1', sizeGiB: 10 }, 'us-east-1')).toMatchObject({
      usd: 1.25,
      confidence: 'estimated',
    });
  });

  it('scales by the region ratio', () => {
    expect(prices.ebsVolumeMonthly({ volumeType: 'sc1', sizeGiB: 1000 }, 'sa-east-1').usd).toBeCloseTo(15 * 1.59, 6);
  });

  it('marks previous-generation magnetic volumes estimated', () => {
    expect(prices.ebsVolumeMonthly({ volumeType: 'standard', sizeGiB: 10 }, 'us-east-1').confidence).toBe('estimated');
  });
});

describe('other lookups', () => {
  it('prices snapshots by tier', () => {
    expect(prices.snapshotMonthly(100, 'us-east-1', 'standard')).toMatchObject({ usd: 5, confidence: 'exact' });
    expect(prices.snapshotMonthly(100, 'us-east-1', 'archive').usd).toBeCloseTo(1.25, 6);
  });

  it('prices a public IPv4 address the same in every region', () => {
    expect(prices.publicIpv4Monthly('us-east-1').usd).toBeCloseTo(0.005 * HOURS_PER_MONTH, 6);
    expect(prices.publicIpv4Monthly('ap-northeast-1')).toMatchObject({ usd: 3.65, confidence: 'exact' });
  });

  it('prices NAT gateways and load balancers', () => {
    expect(prices.natGatewayMonthly('us-east-1', 100).usd).toBeCloseTo(0.045 * 730 + 4.5, 6);
    expect(prices.loadBalancerMonthly('application', 'us-east-1')).toMatchObject({ confidence: 'exact' });
    expect(prices.loadBalancerMonthly('network', 'us-east-1').confidence).toBe('estimated');
  });

  it('prices RDS classes single-AZ and Multi-AZ', () => {
    expect(prices.rdsInstanceHourly('db.m5.large', 'postgres', false, 'us-east-1')).toMatchObject({
      usd: 0.178,
      confidence: 'exact',
    });
    expect(prices.rdsInstanceHourly('db.m5.large', 'postgres', true, 'us-east-1').usd).toBeCloseTo(0.356, 6);
    expect(prices.rdsInstanceHourly('db.t3.medium', 'mysql', false, 'us-east-1')).toMatchObject({ confidence: 'estimated' });
    const aurora = prices.rdsInstanceHourly('db.r5.large', 'aurora-postgresql', true, 'us-east-1');
    expect(aurora.usd).toBeCloseTo(0.25 * 1.16, 6);
    const licensed = prices.rdsInstanceHourly('db.r5.large', 'oracle-ee', false, 'us-east-1');
    expect(licensed).toMatchObject({ usd: 0.25, confidence: 'estimated' });
    expect(licensed.basis).toContain('lower bound');
    const unknown = prices.rdsInstanceHourly('db.x9.xlarge', 'postgres', false, 'us-east-1');
    expect(unknown.usd).toBeCloseTo(4 * 0.089, 6);
  });

  it('prices RDS storage, doubling it for Multi-AZ', () => {
    expect(prices.rdsStorageMonthly('gp2', 100, undefined, 'us-east-1').usd).toBeCloseTo(11.5, 6);
    expect(prices.rdsStorageMonthly('gp2', 100, undefined, 'us-east-1', true).usd).toBeCloseTo(23, 6);
    expect(prices.rdsStorageMonthly('io1', 100, 1000, 'us-east-1').usd).toBeCloseTo(12.5 + 100, 6);
    expect(prices.rdsStorageMonthly('gp3', 100, 5000, 'us-east-1').usd).toBeCloseTo(11.5 + 2000 * 0.02, 6);
    const aurora = prices.rdsStorageMonthly('aurora', 10, undefined, 'us-east-1');
    expect(aurora.basis).toContain('priced as gp2');
    expect(aurora.confidence).toBe('estimated');
  });

  it('prices Lambda by GB-second and request', () => {
    const usage = { architecture: 'x86_64' as const, memoryMb: 1024, invocationsPerMonth: 1_000_000, avgDurationMs: 1000 };
    expect(prices.lambdaMonthly(usage, 'us-east-1')).toMatchObject({ confidence: 'exact' });
    expect(prices.lambdaMonthly(usage, 'us-east-1').usd).toBeCloseTo(1_000_000 * 0.0000166667 + 0.2, 6);
    const arm = prices.lambdaMonthly({ ...usage, architecture: 'arm64' }, 'eu-west-1');
    expect(arm.usd).toBeCloseTo(1_000_000 * 0.0000133334 + 0.2, 6);
    expect(arm.confidence).toBe('estimated');
  });
});

describe('the bundled table', () => {
  it('states its source and date', () => {
    expect(prices.source).toContain('aws-facts.md');
    expect(prices.date).toBe('2026-11-26');
  });

  it('holds estimated entries that follow the size rule from the family base', () => {
    const { factors } = prices.data.sizeFactors;
    for (const section of [prices.data.ec2.families, prices.data.rds.families]) {
      for (const [name, family] of Object.entries(section)) {
        const baseFactor = sizeFactor(family.base.size, factors)!;
        for (const [size, entry] of Object.entries(family.prices)) {
          if (!entry.estimated) continue;
          const expected = (family.base.usd * sizeFactor(size, factors)!) / baseFactor;
          expect(entry.usd, `${name}.${size}`).toBeCloseTo(expected, 6);
        }
      }
    }
  });

  it('covers nano to 24xlarge of the families in use', () => {
    for (const type of ['t2.nano', 't3a.2xlarge', 't4g.small', 'm4.16xlarge', 'm6g.medium', 'm7i.24xlarge', 'c4.8xlarge',
      'c5.9xlarge', 'c6g.16xlarge', 'c7g.medium', 'r4.16xlarge', 'r5.24xlarge', 'r6g.12xlarge', 'r7g.16xlarge']) {
      const [family, size] = type.split('.');
      expect(prices.data.ec2.families[family]?.prices[size], type).toBeDefined();
    }
  });
});

describe('loadPriceTable', () => {
  it('returns the same bundled table each time', () => {
    expect(loadPriceTable()).toBe(prices);
  });

  it('rejects an override that makes a price zero, naming the field', () => {
    const attempt = () => loadPriceTable({ snapshots: { standardGbMonth: 0 } });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/snapshots\.standardGbMonth/);
  });

  it('rejects a family size without a size factor', () => {
    expect(() =>
      loadPriceTable({
        ec2: { families: { zz1: { base: { size: 'huge', usd: 1, source: 'test' }, prices: { huge: { usd: 1 } } } } },
      }),
    ).toThrow(/size "huge" has no size factor/);
  });

  it('merges an override over the bundled figures', () => {
    const table = loadPriceTable({ ebs: { volumes: { gp2: { gbMonth: 0.2 } } } });
    expect(table.ebsVolumeMonthly({ volumeType: 'gp2', sizeGiB: 10 }, 'us-east-1').usd).toBeCloseTo(2, 6);
    expect(table.ebsVolumeMonthly({ volumeType: 'gp3', sizeGiB: 10 }, 'us-east-1').usd).toBeCloseTo(0.8, 6);
  });
});
