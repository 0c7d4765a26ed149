// The Price List query API (pricing:GetProducts): a small catalog of realistic products as PriceList JSON strings.
import { invalidTokenError, serviceError } from '../aws-error.js';
import type { CallContext, OperationHandler } from '../call-context.js';
import { InputReader } from '../input-reader.js';
import { hashString } from '../prng.js';

interface Dimension {
  unit: string;
  usd: number;
  description: string;
  beginRange?: number;
  endRange?: number;
}

interface CatalogProduct {
  serviceCode: string;
  productFamily: string;
  attributes: Record<string, string>;
  dimensions: Dimension[];
}

/** us-east-1 on-demand prices (aws-facts.md §4): the simulated Price List's reference figures. */
const EC2_LINUX_HOURLY: Record<string, number> = {
  't3.medium': 0.0416,
  'm5.large': 0.096,
  'm5.xlarge': 0.192,
  'c6i.xlarge': 0.17,
  'r5.large': 0.126,
  'm7g.large': 0.0816,
};
const EBS_GB_MONTH: Record<string, { usd: number; volumeType: string }> = {
  gp2: { usd: 0.1, volumeType: 'General Purpose' },
  gp3: { usd: 0.08, volumeType: 'General Purpose' },
  io1: { usd: 0.125, volumeType: 'Provisioned IOPS' },
  st1: { usd: 0.045, volumeType: 'Throughput Optimized HDD' },
  sc1: { usd: 0.015, volumeType: 'Cold HDD' },
  standard: { usd: 0.05, volumeType: 'Magnetic' },
};
const RDS_POSTGRES_HOURLY: Record<string, number> = { 'db.t3.medium': 0.072, 'db.m5.large': 0.178, 'db.r5.large': 0.25 };
/** Price ratios to us-east-1 (aws-facts.md §4, approximate); others 1.2. */
const REGION_RATIO: Record<string, number> = { 'us-east-1': 1, 'us-east-2': 1, 'us-west-2': 1, 'us-west-1': 1.17, 'eu-west-1': 1.11, 'eu-central-1': 1.2, 'ap-northeast-1': 1.29, 'sa-east-1': 1.59 };
const LOCATION: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-central-1': 'EU (Frankfurt)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'sa-east-1': 'South America (Sao Paulo)',
};
const SERVICE_CODES = ['AmazonEC2', 'AmazonRDS', 'AWSLambda'];
const MAX_RESULTS = 100;

const round = (usd: number) => Number(usd.toPrecision(6));

/** The catalog of one region: EC2 instances (Linux shared, plus Windows and dedicated rows a filter must drop), EBS, RDS, Lambda. */
function regionCatalog(region: string): CatalogProduct[] {
  const ratio = REGION_RATIO[region] ?? 1.2;
  const location = LOCATION[region] ?? region;
  const base = { regionCode: region, location, locationType: 'AWS Region' };
  const products: CatalogProduct[] = [];
  for (const [type, usd] of Object.entries(EC2_LINUX_HOURLY)) {
    const variants: [string, string, number][] = [
      ['Linux', 'Shared', usd],
      ['Windows', 'Shared', usd + 0.092],
      ['Linux', 'Dedicated', usd * 1.1],
    ];
    for (const [os, tenancy, hourly] of variants) {
      const price = round(hourly * ratio);
      products.push({
        serviceCode: 'AmazonEC2',
        productFamily: 'Compute Instance',
        attributes: {
          ...base,
          instanceType: type,
          instanceFamily: type.startsWith('c') ? 'Compute optimized' : type.startsWith('r') ? 'Memory optimized' : 'General purpose',
          operatingSystem: os,
          tenancy,
          preInstalledSw: 'NA',
          capacitystatus: 'Used',
          licenseModel: os === 'Windows' ? 'License included' : 'No License required',
          marketoption: 'OnDemand',
          operation: os === 'Windows' ? 'RunInstances:0002' : 'RunInstances',
          usagetype: `${tenancy === 'Dedicated' ? 'DedicatedUsage' : 'BoxUsage'}:${type}`,
        },
        dimensions: [{ unit: 'Hrs', usd: price, description: `$${price} per On Demand ${os} ${type} Instance Hour` }],
      });
    }
  }
  for (const [volumeApiName, { usd, volumeType }] of Object.entries(EBS_GB_MONTH)) {
    const price = round(usd * ratio);
    products.push({
      serviceCode: 'AmazonEC2',
      productFamily: 'Storage',
      attributes: { ...base, volumeApiName, volumeType, usagetype: `EBS:VolumeUsage.${volumeApiName}` },
      dimensions: [{ unit: 'GB-Mo', usd: price, description: `$${price} per GB-month of ${volumeApiName} provisioned storage - ${location}` }],
    });
  }
  for (const [dbClass, usd] of Object.entries(RDS_POSTGRES_HOURLY)) {
    for (const [engine, deployment, factor] of [
      ['PostgreSQL', 'Single-AZ', 1],
      ['PostgreSQL', 'Multi-AZ', 2],
      ['MySQL', 'Single-AZ', 0.96],
    ] as const) {
      const price = round(usd * factor * ratio);
      products.push({
        serviceCode: 'AmazonRDS',
        productFamily: 'Database Instance',
        attributes: { ...base, instanceType: dbClass, databaseEngine: engine, deploymentOption: deployment, usagetype: `InstanceUsage:${dbClass}` },
        dimensions: [{ unit: 'Hrs', usd: price, description: `$${price} per RDS ${dbClass} ${deployment} instance hour running ${engine}` }],
      });
    }
  }
  const tiers = (first: number): Dimension[] => [
    { unit: 'Lambda-GB-Second', usd: first, description: 'AWS Lambda - Total Compute - 0-6B', beginRange: 0, endRange: 6e9 },
    { unit: 'Lambda-GB-Second', usd: round(first * 0.9), description: 'AWS Lambda - Total Compute - 6-15B', beginRange: 6e9, endRange: 15e9 },
    { unit: 'Lambda-GB-Second', usd: round(first * 0.8), description: 'AWS Lambda - Total Compute - 15B+', beginRange: 15e9, endRange: Number.POSITIVE_INFINITY },
  ];
  products.push(
    { serviceCode: 'AWSLambda', productFamily: 'Serverless', attributes: { ...base, group: 'AWS-Lambda-Duration', usagetype: 'Lambda-GB-Second' }, dimensions: tiers(0.0000166667) },
    { serviceCode: 'AWSLambda', productFamily: 'Serverless', attributes: { ...base, group: 'AWS-Lambda-Duration-ARM', usagetype: 'Lambda-GB-Second-ARM' }, dimensions: tiers(0.0000133334) },
    {
      serviceCode: 'AWSLambda',
      productFamily: 'Serverless',
      attributes: { ...base, group: 'AWS-Lambda-Requests', usagetype: 'Request' },
      dimensions: [{ unit: 'Requests', usd: 0.0000002, description: 'AWS Lambda - Requests Free Tier - 1,000,000 Requests' }],
    },
  );
  return products;
}

/** A product as the Price List serves it: one JSON document with its sku, attributes and on-demand terms. */
function priceListDocument(product: CatalogProduct): string {
  const text = `${product.serviceCode}|${JSON.stringify(product.attributes)}`;
  const sku = `${hashString(text).toString(36)}${hashString(text, 1).toString(36)}`.toUpperCase().padStart(16, 'X').slice(0, 16);
  const term = `${sku}.JRTCKXETXF`;
  const priceDimensions = Object.fromEntries(
    product.dimensions.map((d, i) => {
      const rateCode = `${term}.${['6YS6EN2CT7', 'Q7UJUT2CE6', '3KBQWQ9FBW'][i] ?? `R${i}`}`;
      return [
        rateCode,
        {
          unit: d.unit,
          endRange: d.endRange === undefined || d.endRange === Number.POSITIVE_INFINITY ? 'Inf' : String(d.endRange),
          description: d.description,
          appliesTo: [],
          rateCode,
          beginRange: String(d.beginRange ?? 0),
          pricePerUnit: { USD: d.usd.toFixed(10) },
        },
      ];
    }),
  );
  return JSON.stringify({
    product: { productFamily: product.productFamily, attributes: { ...product.attributes, servicecode: product.serviceCode }, sku },
    serviceCode: product.serviceCode,
    terms: { OnDemand: { [term]: { priceDimensions, sku, effectiveDate: '2026-11-01T00:00:00Z', offerTermCode: 'JRTCKXETXF', termAttributes: {} } } },
    version: '20261101000000',
    publicationDate: '2026-11-01T00:00:00Z',
  });
}

function matches(product: CatalogProduct, filters: { field: string; value: string }[]): boolean {
  const attributes = Object.fromEntries(Object.entries({ ...product.attributes, productFamily: product.productFamily }).map(([k, v]) => [k.toLowerCase(), v]));
  return filters.every(({ field, value }) => field.toLowerCase() === 'servicecode' ? value === product.serviceCode : attributes[field.toLowerCase()] === value);
}

export function pricingOperations(regions: () => readonly string[]): Record<string, OperationHandler> {
  const getProducts: OperationHandler = (call: CallContext) => {
    const reader = new InputReader(call);
    const serviceCode = reader.requiredString('ServiceCode');
    if (!SERVICE_CODES.includes(serviceCode)) {
      throw serviceError('NotFoundException', `Service ${serviceCode} is not simulated (use ${SERVICE_CODES.join(', ')})`, call.requestId);
    }
    const filters = (reader.objectList('Filters') ?? []).map((f) => {
      if (f.Type !== 'TERM_MATCH') reader.fail(`Filter type ${String(f.Type)} is not simulated: only TERM_MATCH`);
      if (typeof f.Field !== 'string' || typeof f.Value !== 'string') reader.fail('A filter needs Field and Value');
      return { field: f.Field as string, value: f.Value as string };
    });
    const maxResults = reader.integer('MaxResults', { min: 1, max: MAX_RESULTS }) ?? MAX_RESULTS;
    const found = regions()
      .flatMap(regionCatalog)
      .filter((p) => p.serviceCode === serviceCode && matches(p, filters));
    const fingerprint = hashString(JSON.stringify({ ...call.input, NextToken: undefined, MaxResults: undefined }));
    const token = reader.string('NextToken');
    let offset = 0;
    if (token) {
      const [fp, at] = token.split('.').map((part) => Number.parseInt(part, 36));
      if (fp !== fingerprint || !Number.isInteger(at) || (at as number) < 0 || (at as number) > found.length) {
        throw invalidTokenError('pricing', 'The NextToken is not valid for this request', call.requestId);
      }
      offset = at as number;
    }
    const end = Math.min(found.length, offset + maxResults);
    return {
      FormatVersion: 'aws_v1',
      PriceList: found.slice(offset, end).map(priceListDocument),
      ...(end < found.length ? { NextToken: `${fingerprint.toString(36)}.${end.toString(36)}` } : {}),
    };
  };
  return { GetProducts: getProducts };
}
