// Parses the JSON documents of pricing:GetProducts into products with their on-demand price dimensions.
import type { PriceListProduct } from '@finops/core';

interface PriceDimensionDocument {
  unit?: unknown;
  description?: unknown;
  beginRange?: unknown;
  endRange?: unknown;
  pricePerUnit?: { USD?: unknown };
}

interface PriceListDocument {
  serviceCode?: unknown;
  product?: { sku?: unknown; productFamily?: unknown; attributes?: Record<string, unknown> };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, PriceDimensionDocument> }> };
}

function range(value: unknown): number | undefined {
  if (value === 'Inf') return Number.POSITIVE_INFINITY;
  const n = Number(value);
  return typeof value === 'string' && value !== '' && Number.isFinite(n) ? n : undefined;
}

/**
 * One Price List document (a JSON string, as GetProducts returns each item) as a product: attributes as strings
 * and its USD on-demand dimensions, lowest tier first. Returns undefined for a document that is not a product
 * (no sku); throws on text that is not JSON, naming the start of it.
 */
export function parsePriceListItem(item: unknown): PriceListProduct | undefined {
  const text = typeof item === 'string' ? item : String(item);
  let document: PriceListDocument;
  try {
    document = JSON.parse(text) as PriceListDocument;
  } catch {
    throw new Error(`pricing:GetProducts returned a PriceList item that is not JSON: ${text.slice(0, 80)}`);
  }
  const product = document.product;
  if (!product || typeof product.sku !== 'string') return undefined;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(product.attributes ?? {})) if (typeof value === 'string') attributes[key] = value;
  const onDemand: PriceListProduct['onDemand'] = [];
  for (const term of Object.values(document.terms?.OnDemand ?? {})) {
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      const usd = Number(dimension.pricePerUnit?.USD);
      if (typeof dimension.pricePerUnit?.USD !== 'string' || !Number.isFinite(usd)) continue;
      const beginRange = range(dimension.beginRange);
      const endRange = range(dimension.endRange);
      onDemand.push({
        unit: typeof dimension.unit === 'string' ? dimension.unit : '',
        usd,
        description: typeof dimension.description === 'string' ? dimension.description : '',
        ...(beginRange !== undefined ? { beginRange } : {}),
        ...(endRange !== undefined ? { endRange } : {}),
      });
    }
  }
  onDemand.sort((a, b) => (a.beginRange ?? 0) - (b.beginRange ?? 0));
  return {
    serviceCode: typeof document.serviceCode === 'string' ? document.serviceCode : (attributes.servicecode ?? ''),
    sku: product.sku,
    ...(typeof product.productFamily === 'string' ? { productFamily: product.productFamily } : {}),
    attributes,
    onDemand,
  };
}
