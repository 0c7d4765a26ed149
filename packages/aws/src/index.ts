// @finops/aws: the only package that talks to AWS — clients, discovery collectors, CloudWatch metrics, API usage.
export { createAwsAccess, CALLER_ACCOUNT, type AwsAccess, type AwsAccessOptions } from './aws-access.js';
export type { AwsScope, AwsLogger } from './types.js';
export type { ClientPlugins } from './clients.js';
export {
  withApiUsage,
  mergeApiUsage,
  emptyApiUsage,
  estimateApiCostUsd,
  apiUsagePlugin,
  type ApiUsage,
} from './api-usage.js';
export { toAwsAccessError, isThrottlingError, errorCodeOf, THROTTLING_CODES } from './errors.js';
export { DISCOVERY_PERMISSIONS, ACCOUNT_PERMISSIONS } from './permissions.js';
export { COLLECTORS, type Collector, type CollectorContext } from './collectors/index.js';
export { KIND_METRICS, type KindMetrics, type MetricDefinition } from './metrics/metric-definitions.js';
export { MAX_QUERIES_PER_CALL, MAX_DATAPOINTS_PER_CALL } from './metrics/plan-metric-batches.js';
