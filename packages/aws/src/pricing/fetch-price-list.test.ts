// The Price List query API through createAwsAccess with recorded GetProducts pages: filters, paging, parsing.
import { GetProductsCommand, PricingClient, type GetProductsCommandInput } from '@aws-sdk/client-pricing';
import { AwsAccessError } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { awsError } from '../__fixtures__/fake-aws.js';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess } from '../__fixtures__/test-access.js';
import { parsePriceListItem } from './parse-price-list.js';

const pricing = mockClient(PricingClient);
afterEach(() => pricing.reset());

describe('fetchPriceList', () => {
  it('sends TERM_MATCH filters, follows NextToken and parses every on-demand dimension', async () => {
    const inputs: GetProductsCommandInput[] = [];
    pricing.on(GetProductsCommand).callsFake((input: GetProductsCommandInput) => {
      inputs.push(structuredClone(input));
      return fixture(input.NextToken ? 'pricing.GetProducts_2' : 'pricing.GetProducts_1');
    });
    const { access, sts } = mockedAccess();
    const products = await access.fetchPriceList([{ serviceCode: 'AmazonEC2', filters: { regionCode: 'us-east-1', operatingSystem: 'Linux' } }]);
    access.close();
    expect(inputs.map((i) => i.NextToken)).toEqual([undefined, 'page-2']);
    expect(inputs[0]).toMatchObject({
      ServiceCode: 'AmazonEC2',
      FormatVersion: 'aws_v1',
      MaxResults: 100,
      Filters: [
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
        { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
      ],
    });
    // Prices are public: no caller lookup, no role.
    expect(sts.calls()).toHaveLength(0);
    expect(products.map((p) => `${p.serviceCode}/${p.productFamily}/${p.sku}`)).toEqual([
      'AmazonEC2/Compute Instance/8KNDHFSRTWXV6TMY',
      'AmazonEC2/Storage/HY3BZPP2B6K8MSJF',
      'AmazonRDS/Database Instance/2XG8QX3Z8Z5YSFJG',
      'AWSLambda/Serverless/TG3M4CAGBA3NYQBH',
    ]);
    const [m5, gp3, , lambda] = products;
    expect(m5?.attributes).toMatchObject({ instanceType: 'm5.large', regionCode: 'us-east-1', tenancy: 'Shared' });
    // The Reserved term is dropped: only on-demand prices.
    expect(m5?.onDemand).toEqual([{ unit: 'Hrs', usd: 0.096, description: '$0.096 per On Demand Linux m5.large Instance Hour', beginRange: 0, endRange: Number.POSITIVE_INFINITY }]);
    expect(gp3?.onDemand[0]).toMatchObject({ unit: 'GB-Mo', usd: 0.08 });
    // Tiers come lowest first, whatever order the document lists them in.
    expect(lambda?.onDemand.map((d) => [d.beginRange, d.usd])).toEqual([
      [0, 0.0000166667],
      [6e9, 0.000016],
      [15e9, 0.000015],
    ]);
  });

  it('turns AccessDenied into an AwsAccessError for pricing:GetProducts', async () => {
    pricing.on(GetProductsCommand).rejects(awsError('AccessDeniedException'));
    const { access } = mockedAccess();
    const error = await access.fetchPriceList([{ serviceCode: 'AmazonEC2', filters: {} }]).catch((e: unknown) => e);
    access.close();
    expect(error).toBeInstanceOf(AwsAccessError);
    expect(error).toMatchObject({ action: 'pricing:GetProducts', retryable: false, region: 'us-east-1' });
  });
});

describe('parsePriceListItem', () => {
  it('skips documents without a product and names a document that is not JSON', () => {
    expect(parsePriceListItem(JSON.stringify({ serviceCode: 'AmazonEC2', terms: {} }))).toBeUndefined();
    expect(() => parsePriceListItem('{"product": ')).toThrow(/not JSON: \{"product": /);
  });

  it('ignores dimensions without a USD price', () => {
    const product = parsePriceListItem(
      JSON.stringify({
        serviceCode: 'AmazonEC2',
        product: { sku: 'SKU1', attributes: { instanceType: 'm5.large', vcpu: 2 } },
        terms: { OnDemand: { t: { priceDimensions: { a: { unit: 'Hrs', pricePerUnit: { CNY: '1.0' } }, b: { unit: 'Hrs', pricePerUnit: { USD: '0.5' } } } } } },
      }),
    );
    expect(product).toEqual({ serviceCode: 'AmazonEC2', sku: 'SKU1', attributes: { instanceType: 'm5.large' }, onDemand: [{ unit: 'Hrs', usd: 0.5, description: '' }] });
  });
});
