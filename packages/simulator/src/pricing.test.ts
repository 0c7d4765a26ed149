// The simulated Price List: GetProducts answers filtered, paged PriceList JSON documents shaped like AWS's.
import { describe, expect, it } from 'vitest';
import { EstateServer } from './estate-server.js';
import { MANAGEMENT, simulationOptions } from './test-support.js';

const server = new EstateServer(simulationOptions(), ['us-east-1', 'eu-west-1'], Date.UTC(2026, 10, 26));

async function getProducts(input: Record<string, unknown>) {
  const output = await server.serve({ accountId: MANAGEMENT, region: 'us-east-1', clientName: 'PricingClient', commandName: 'GetProductsCommand', input });
  return output as unknown as { FormatVersion: string; PriceList: string[]; NextToken?: string };
}

const ec2Linux = (regionCode: string) => ({
  ServiceCode: 'AmazonEC2',
  Filters: [
    { Type: 'TERM_MATCH', Field: 'regionCode', Value: regionCode },
    { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'Compute Instance' },
    { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
    { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' },
  ],
});

describe('simulated Price List', () => {
  it('answers only the products matching every TERM_MATCH filter, as JSON documents with on-demand terms', async () => {
    const page = await getProducts(ec2Linux('us-east-1'));
    const documents = page.PriceList.map((text) => JSON.parse(text));
    expect(page.FormatVersion).toBe('aws_v1');
    expect(documents.map((d) => d.product.attributes.instanceType).sort()).toEqual(['c6i.xlarge', 'm5.large', 'm5.xlarge', 'm7g.large', 'r5.large', 't3.medium']);
    expect(documents.every((d) => d.product.attributes.operatingSystem === 'Linux' && d.product.attributes.tenancy === 'Shared')).toBe(true);
    const m5 = documents.find((d) => d.product.attributes.instanceType === 'm5.large');
    const [term] = Object.values(m5.terms.OnDemand) as { priceDimensions: Record<string, { unit: string; pricePerUnit: { USD: string } }> }[];
    const [dimension] = Object.values(term!.priceDimensions);
    expect(dimension).toMatchObject({ unit: 'Hrs', pricePerUnit: { USD: '0.0960000000' } });
    expect(new Set(documents.map((d) => d.product.sku)).size).toBe(documents.length);
  });

  it('prices other regions by their ratio to us-east-1', async () => {
    const page = await getProducts(ec2Linux('eu-west-1'));
    const m5 = page.PriceList.map((text) => JSON.parse(text)).find((d) => d.product.attributes.instanceType === 'm5.large');
    expect(JSON.stringify(m5.terms)).toContain('"USD":"0.1065600000"');
  });

  it('pages with MaxResults and NextToken, and refuses a token of another request', async () => {
    const input = { ServiceCode: 'AmazonRDS', Filters: [{ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' }], MaxResults: 4 };
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await getProducts({ ...input, NextToken: token });
      seen.push(...page.PriceList);
      token = page.NextToken;
      pages += 1;
    } while (token);
    // 3 classes × (PostgreSQL Single-AZ, PostgreSQL Multi-AZ, MySQL Single-AZ).
    expect(seen).toHaveLength(9);
    expect(pages).toBe(3);
    const first = await getProducts(input);
    await expect(getProducts({ ...input, ServiceCode: 'AmazonEC2', NextToken: first.NextToken })).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
    await expect(getProducts({ ServiceCode: 'AmazonS3' })).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});
