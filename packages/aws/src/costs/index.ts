// Cost Explorer: daily cost datasets, usage-type series, the request plan and the shared cache contract.
export { fetchCostDataset, DEFAULT_COST_LOOKBACK_DAYS, type FetchCostsOptions } from './fetch-costs.js';
export { fetchUsageTypeCostSeries, type FetchUsageTypeCostsOptions } from './fetch-usage-type-costs.js';
export {
  planCostRequests,
  DEFAULT_COST_GROUPINGS,
  COST_DIMENSIONS,
  type CostDimension,
  type CostGrouping,
  type CostRequestSet,
} from './cost-request-plan.js';
export { aggregateCosts, type CostRow } from './aggregate-costs.js';
export { costWindow, earliestCostDay, maxCostLookbackDays } from './cost-window.js';
export { costCacheKey, COST_CACHE_VERSION, type CostCache } from './cost-cache.js';
export { costExplorerError, COST_EXPLORER_NOT_ENABLED_CODES } from './cost-explorer-error.js';
export { COST_EXPLORER_PERMISSIONS, PRICE_LIST_PERMISSIONS } from './cost-permissions.js';
