// @finops/pricing: the bundled AWS price table and lookups that say how sure each price is.
export { loadPriceTable, bundledPriceTableData } from './load-price-table.js';
export { loadPriceTableFile, writePriceTableFile } from './refresh/price-table-file.js';
export { priceListQueries, type PriceListQuestion } from './refresh/price-list-queries.js';
export { priceTableFromPriceList, type PriceRefresh, type PriceRefreshOptions } from './refresh/price-table-from-price-list.js';
export type { PriceTableOverride } from './load-price-table.js';
export { HOURS_PER_MONTH, PriceTable } from './price-table.js';
export type {
  EbsVolumeSpec,
  EbsVolumeType,
  LambdaUsage,
  LoadBalancerType,
  Platform,
  PriceQuote,
  SnapshotTier,
} from './price-table.js';
export { priceTableSchema } from './price-table-schema.js';
export type { PriceTableData } from './price-table-schema.js';
export { familyCandidates, parseInstanceType, sizeFactor } from './instance-type.js';
