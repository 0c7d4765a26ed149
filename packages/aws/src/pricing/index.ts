// The AWS Price List query API: GetProducts pages parsed into products with on-demand prices.
export { fetchPriceListProducts, PRICE_LIST_REGION, type PriceListQuery } from './fetch-price-list.js';
export { parsePriceListItem } from './parse-price-list.js';
