// The fewest AWS calls an estate needs: pages per listing, per-resource calls, GetMetricData batches, cost pages.
import { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL } from '@finops/aws';
import { ELB_TAGS_PER_CALL, MAX_PAGE_SIZE } from './aws-limits.js';
import type { EstateCensus, ListingCensus, MetricQueryGroup, PartitionCensus } from './estate-census.js';

/** Calls by `service.Operation`. */
export type CallCounts = Record<string, number>;

/**
 * Pages a listing needs at AWS's page maximum (at least one: an empty answer is still one call), plus the empty
 * pages the service inserted (a caller cannot skip them).
 */
export function listingPages(listing: ListingCensus): number {
  const size = MAX_PAGE_SIZE[listing.operation];
  // Cost Explorer pages by answer size: the pages it served are the minimum.
  if (size === undefined) return listing.pages;
  const full = Number.isFinite(size) ? Math.max(1, Math.ceil(listing.items / size)) : 1;
  return full + listing.emptyPages;
}

/**
 * GetMetricData calls for a partition's queries: no call holds more than 500 queries or 100,800 datapoints, however
 * the queries are packed. The bound over all groups together is below the sum of per-group packings by at most one
 * call per group.
 */
export function metricCalls(groups: readonly MetricQueryGroup[]): number {
  const queries = groups.reduce((sum, g) => sum + g.queries, 0);
  if (queries === 0) return 0;
  const points = groups.reduce((sum, g) => sum + g.queries * g.pointsPerQuery, 0);
  return Math.max(Math.ceil(queries / MAX_QUERIES_PER_CALL), Math.ceil(points / MAX_DATAPOINTS_PER_CALL));
}

/** Metric queries of a partition: what CloudWatch bills ($0.01 per 1,000). */
export function metricQueries(groups: readonly MetricQueryGroup[]): number {
  return groups.reduce((sum, g) => sum + g.queries, 0);
}

function add(counts: CallCounts, operation: string, calls: number): void {
  if (calls > 0) counts[operation] = (counts[operation] ?? 0) + calls;
}

/** The minimum calls of one partition: its listings, the per-resource calls their answers demand, and its metrics. */
export function partitionMinimumCalls(partition: PartitionCensus): CallCounts {
  const counts: CallCounts = {};
  for (const listing of partition.listings) add(counts, listing.operation, listingPages(listing));
  const p = partition.perResource;
  // ListFunctions omits tags: one ListTags per function (Lambda has no batch tag read of its own).
  add(counts, 'lambda.ListTags', p.lambdaFunctions);
  add(counts, 'elbv2.DescribeTargetHealth', p.attachedTargetGroups);
  add(counts, 'elbv2.DescribeTags', Math.ceil(p.elbv2LoadBalancers / ELB_TAGS_PER_CALL));
  add(counts, 'elb.DescribeInstanceHealth', p.classicWithInstances);
  add(counts, 'elb.DescribeTags', Math.ceil(p.classicLoadBalancers / ELB_TAGS_PER_CALL));
  add(counts, 'cloudwatch.GetMetricData', metricCalls(partition.metricGroups));
  return counts;
}

export interface MinimumCallsOptions {
  accounts: number;
  /** A scan within the Cost Explorer cache window needs no cost request. */
  costsCached: boolean;
  /** Workers that already hold credentials (every scan after a process's first) need no STS call. */
  credentialsCached: boolean;
  /**
   * Cost Explorer lookups that name the usage type of new anomalies (`anomalyDetection.usageTypeLookups`, cached):
   * what the report says it made, since which anomalies are new depends on the scans before.
   */
  usageTypeLookups?: number;
}

/**
 * The minimum calls of a whole scan: every partition, Cost Explorer's pages and usage-type lookups, and the
 * credentials: one GetCallerIdentity and one AssumeRole per other account.
 */
export function minimumCalls(census: EstateCensus, options: MinimumCallsOptions): CallCounts {
  const counts: CallCounts = {};
  for (const partition of census.partitions) {
    for (const [operation, calls] of Object.entries(partitionMinimumCalls(partition))) add(counts, operation, calls);
  }
  if (!options.costsCached) for (const listing of census.costListings) add(counts, listing.operation, listingPages(listing));
  add(counts, 'ce.GetCostAndUsage', options.usageTypeLookups ?? 0);
  if (!options.credentialsCached) {
    add(counts, 'sts.GetCallerIdentity', 1);
    add(counts, 'sts.AssumeRole', options.accounts - 1);
  }
  return counts;
}

export function totalCalls(counts: CallCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
