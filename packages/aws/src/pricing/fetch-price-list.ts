// Reads products from the AWS Price List query API (pricing:GetProducts), page by page.
import { paginateGetProducts, type PricingClient } from '@aws-sdk/client-pricing';
import type { PriceListProduct } from '@finops/core';
import { toAwsAccessError } from '../errors.js';
import type { AwsScope } from '../types.js';
import { parsePriceListItem } from './parse-price-list.js';

/** One GetProducts question: a service code and exact attribute matches (TERM_MATCH), e.g. `{ regionCode: 'eu-west-1' }`. */
export interface PriceListQuery {
  serviceCode: string;
  filters: Record<string, string>;
}

/** The Price List API answers in us-east-1 (also eu-central-1 and ap-south-1): prices of every region come from there. */
export const PRICE_LIST_REGION = 'us-east-1';
/** GetProducts returns at most 100 products a page. */
const PAGE_SIZE = 100;

/** Every product matching each query, in query order; duplicates across queries (same sku) are kept once. */
export async function fetchPriceListProducts(pricing: PricingClient, scope: AwsScope, queries: readonly PriceListQuery[]): Promise<PriceListProduct[]> {
  const products = new Map<string, PriceListProduct>();
  for (const query of queries) {
    const pages = paginateGetProducts(
      { client: pricing, pageSize: PAGE_SIZE },
      {
        ServiceCode: query.serviceCode,
        FormatVersion: 'aws_v1',
        Filters: Object.entries(query.filters).map(([Field, Value]) => ({ Type: 'TERM_MATCH', Field, Value })),
      },
    );
    try {
      for await (const page of pages) {
        for (const item of page.PriceList ?? []) {
          const product = parsePriceListItem(item);
          if (product && !products.has(product.sku)) products.set(product.sku, product);
        }
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('pricing:GetProducts returned')) throw error;
      throw toAwsAccessError(error, scope, 'pricing:GetProducts', {
        accessDeniedHint: 'grant pricing:GetProducts to the identity running `finops pricing refresh`; see docs/iam/',
      });
    }
  }
  return [...products.values()];
}
