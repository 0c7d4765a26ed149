// A price table override from Price List products: exact per-region prices, refreshed EBS and Lambda, region ratios, the file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type PriceListProduct } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { bundledPriceTableData } from '../load-price-table.js';
import { priceListQueries } from './price-list-queries.js';
import { loadPriceTableFile, writePriceTableFile } from './price-table-file.js';
import { priceTableFromPriceList } from './price-table-from-price-list.js';

const hourly = (usd: number) => [{ unit: 'Hrs', usd, description: '', beginRange: 0, endRange: Number.POSITIVE_INFINITY }];
const ec2 = (instanceType: string, regionCode: string, usd: number, extra: Record<string, string> = {}): PriceListProduct => ({
  serviceCode: 'AmazonEC2',
  sku: `${instanceType}-${regionCode}-${extra.operatingSystem ?? 'Linux'}-${extra.tenancy ?? 'Shared'}`,
  productFamily: 'Compute Instance',
  attributes: { instanceType, regionCode, operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used', ...extra },
  onDemand: hourly(usd),
});
const PRODUCTS: PriceListProduct[] = [
  ec2('m5.large', 'us-east-1', 0.096),
  ec2('m6i.32xlarge', 'us-east-1', 6.144),
  ec2('m5.large', 'eu-west-1', 0.107),
  ec2('m5.large', 'eu-west-1', 0.199, { operatingSystem: 'Windows' }),
  ec2('m5.large', 'eu-west-1', 0.118, { tenancy: 'Dedicated' }),
  { serviceCode: 'AmazonEC2', sku: 'gp3', productFamily: 'Storage', attributes: { volumeApiName: 'gp3', regionCode: 'us-east-1' }, onDemand: [{ unit: 'GB-Mo', usd: 0.079, description: '' }] },
  { serviceCode: 'AmazonEC2', sku: 'gp3-eu', productFamily: 'Storage', attributes: { volumeApiName: 'gp3', regionCode: 'eu-west-1' }, onDemand: [{ unit: 'GB-Mo', usd: 0.088, description: '' }] },
  {
    serviceCode: 'AmazonRDS',
    sku: 'rds',
    productFamily: 'Database Instance',
    attributes: { instanceType: 'db.m5.large', regionCode: 'eu-west-1', databaseEngine: 'PostgreSQL', deploymentOption: 'Single-AZ' },
    onDemand: hourly(0.198),
  },
  {
    serviceCode: 'AmazonRDS',
    sku: 'rds-maz',
    productFamily: 'Database Instance',
    attributes: { instanceType: 'db.m5.large', regionCode: 'eu-west-1', databaseEngine: 'PostgreSQL', deploymentOption: 'Multi-AZ' },
    onDemand: hourly(0.396),
  },
  {
    serviceCode: 'AWSLambda',
    sku: 'lambda',
    productFamily: 'Serverless',
    attributes: { group: 'AWS-Lambda-Duration', regionCode: 'us-east-1' },
    onDemand: [
      { unit: 'Lambda-GB-Second', usd: 0.0000166667, description: '', beginRange: 0, endRange: 6e9 },
      { unit: 'Lambda-GB-Second', usd: 0.000015, description: '', beginRange: 6e9, endRange: Number.POSITIVE_INFINITY },
    ],
  },
  { serviceCode: 'AWSLambda', sku: 'req', productFamily: 'Serverless', attributes: { group: 'AWS-Lambda-Requests', regionCode: 'us-east-1' }, onDemand: [{ unit: 'Requests', usd: 0.0000002, description: '' }] },
];

describe('priceTableFromPriceList', () => {
  const refresh = priceTableFromPriceList(PRODUCTS, { base: bundledPriceTableData(), date: '2026-11-26', regions: ['us-east-1', 'eu-west-1'] });

  it('keeps Linux shared-tenancy instances and Single-AZ PostgreSQL classes only, per region', () => {
    expect(refresh.override.regions?.overrides).toEqual({
      'eu-west-1': { ec2Linux: { 'm5.large': 0.107 }, rds: { 'db.m5.large': 0.198 } },
      'us-east-1': { ec2Linux: { 'm5.large': 0.096, 'm6i.32xlarge': 6.144 } },
    });
    expect(refresh.counts).toEqual({ ec2Types: 3, rdsClasses: 1, ebsTypes: 1, lambda: 2, regionRatios: 1 });
  });

  it('makes refreshed figures exact in lookups and re-reads the region ratio from m5.large', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finops-prices-'));
    const file = join(dir, 'nested', 'prices.json');
    writePriceTableFile(file, refresh.override);
    const { table, overrideFile } = loadPriceTableFile(file);
    expect(overrideFile).toBe(file);
    expect(table.date).toBe('2026-11-26');
    expect(table.source).toMatch(/^AWS Price List API/);
    expect(table.ec2InstanceHourly('m6i.32xlarge', 'us-east-1', 'linux')).toMatchObject({ usd: 6.144, confidence: 'exact' });
    expect(table.ec2InstanceHourly('m5.large', 'eu-west-1', 'linux')).toMatchObject({ usd: 0.107, confidence: 'exact' });
    expect(table.rdsInstanceHourly('db.m5.large', 'postgres', false, 'eu-west-1')).toMatchObject({ usd: 0.198, confidence: 'exact' });
    // Types not refreshed in eu-west-1 use the new ratio 0.107 / 0.096.
    expect(table.regionFactor('eu-west-1').factor).toBe(1.1146);
    expect(table.ebsVolumeMonthly({ volumeType: 'gp3', sizeGiB: 100 }, 'us-east-1').usd).toBeCloseTo(7.9, 6);
    expect(table.data.lambda).toMatchObject({ gbSecond: { x86_64: 0.0000166667 }, perMillionRequests: 0.2 });
    // Everything else is the bundled table's.
    expect(table.data.natGateway).toEqual(bundledPriceTableData().natGateway);
    expect(JSON.parse(readFileSync(file, 'utf8')).$comment).toMatch(/finops pricing refresh/);
  });

  it('uses the bundled table without a file, and names a file that is not JSON', () => {
    expect(loadPriceTableFile(join(tmpdir(), 'no-such-dir', 'prices.json')).overrideFile).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'finops-prices-'));
    const bad = join(dir, 'prices.json');
    writeFileSync(bad, '{ "date": ');
    expect(() => loadPriceTableFile(bad)).toThrow(ConfigError);
    expect(() => loadPriceTableFile(bad)).toThrow(bad);
    writeFileSync(bad, JSON.stringify({ regions: { overrides: { 'eu-west-1': { ec2Linux: { 'm5.large': 0 } } } } }));
    expect(() => loadPriceTableFile(bad)).toThrow(/regions\.overrides\.eu-west-1\.ec2Linux\.m5\.large/);
  });
});

describe('priceListQueries', () => {
  it('asks per region for EC2 Linux, EBS and RDS PostgreSQL, and for Lambda once', () => {
    const queries = priceListQueries(['eu-west-1'], 'us-east-1');
    expect(queries.map((q) => `${q.serviceCode}/${q.filters.regionCode}/${q.filters.productFamily ?? '-'}`)).toEqual([
      'AmazonEC2/us-east-1/Compute Instance',
      'AmazonEC2/us-east-1/Storage',
      'AmazonRDS/us-east-1/Database Instance',
      'AmazonEC2/eu-west-1/Compute Instance',
      'AmazonEC2/eu-west-1/Storage',
      'AmazonRDS/eu-west-1/Database Instance',
      'AWSLambda/us-east-1/-',
    ]);
  });
});
