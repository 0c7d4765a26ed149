// @finops/aws: the only package that talks to AWS — clients, discovery collectors, CloudWatch metrics, API usage.
export { createAwsAccess, CALLER_ACCOUNT, type AwsAccess, type AwsAccessOptions, type CallerIdentity, type DiscoverOptions } from './aws-access.js';
export type { AwsScope, AwsLogger } from './types.js';
export type { ClientPlugins } from './clients.js';
export {
  withApiUsage,
  withApiUsageSettled,
  type SettledApiUsage,
  mergeApiUsage,
  emptyApiUsage,
  estimateApiCostUsd,
  apiUsagePlugin,
  observeApiCalls,
  type ApiCallEvent,
  type ApiUsage,
} from './api-usage.js';
export { toAwsAccessError, isThrottlingError, errorCodeOf, THROTTLING_CODES } from './errors.js';
export { DISCOVERY_PERMISSIONS, ACCOUNT_PERMISSIONS } from './permissions.js';
export { COLLECTORS, leadingKinds, type Collector, type CollectorContext } from './collectors/index.js';
export {
  KIND_METRICS,
  LOAD_BALANCER_METRICS,
  metricPlanFor,
  type KindMetrics,
  type MetricDefinition,
  type ResourceMetricPlan,
} from './metrics/metric-definitions.js';
export {
  checkConnection,
  type ConnectionCheckOptions,
  type ConnectionReport,
  type ProbeResult,
  type ProbeStatus,
} from './connection-check.js';
export { PERMISSION_PROBES, type PermissionProbe } from './permission-probes.js';
export { MAX_QUERIES_PER_CALL, MAX_DATAPOINTS_PER_CALL } from './metrics/plan-metric-batches.js';
export { fetchWindows, queryShape, type MetricWindows, type QueryShape } from './metrics/query-shape.js';
export { Semaphore } from './map-limit.js';
export type { FetchMetricsOptions, MetricSelection } from './metrics/fetch-metrics.js';
export * from './costs/index.js';
export * from './rate-limit/index.js';
export * from './pricing/index.js';
export { createSnsPublisher, type SnsMessage, type SnsPublisher } from './sns.js';
export * from './actions/index.js';
