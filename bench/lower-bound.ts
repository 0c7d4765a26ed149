// The least wall time AWS allows a scan: per partition, the longest chain of sequential pages and rate-limited calls.
import type { Config } from '@finops/core';
import { effectiveBucket, type EffectiveBucket } from './aws-limits.js';
import type { EstateCensus, PartitionCensus } from './estate-census.js';
import { listingPages, partitionMinimumCalls } from './minimum-calls.js';

export interface LowerBoundOptions {
  config: Pick<Config, 'aws'>;
  latencyMs: { min: number; max: number };
  /** Fraction of attempts throttled at random: each call then takes 1 / (1 − rate) attempts on average. */
  throttleRate: number;
  /** A scan within the Cost Explorer cache window makes no cost request. */
  costsCached: boolean;
  /** Workers that already hold credentials start without STS calls. */
  credentialsCached: boolean;
}

export interface PartitionBound {
  accountId: string;
  region: string;
  /** Every discovery call done: listings, then the per-resource calls that depend on them. */
  discoverySec: number;
  /** The resources with metrics are known (their listings done): GetMetricData can start. */
  idsKnownSec: number;
  /** GetMetricData calls, once the ids are known. */
  metricsSec: number;
  totalSec: number;
  /** The term that sets totalSec, in words. */
  binding: string;
}

export interface LowerBound {
  seconds: number;
  /** `account/region` of the partition that sets the bound, or `costs`. */
  boundBy: string;
  binding: string;
  /** Mean latency of one attempt, the time one link of a sequential chain costs. */
  latencyMeanMs: number;
  attemptsPerCall: number;
  costsSec: number;
  partitions: PartitionBound[];
}

/** Listings that must finish before GetMetricData can ask for their resources' metrics. */
const METERED_LISTINGS = new Set([
  'ec2.DescribeInstances',
  'ec2.DescribeVolumes',
  'rds.DescribeDBInstances',
  'lambda.ListFunctions',
  'ec2.DescribeNatGateways',
  'elbv2.DescribeLoadBalancers',
  'elb.DescribeLoadBalancers',
]);

/** Per-resource calls and the listings whose answers they need. */
const DEPENDENT_CALLS: Readonly<Record<string, readonly string[]>> = {
  'lambda.ListTags': ['lambda.ListFunctions'],
  'elbv2.DescribeTargetHealth': ['elbv2.DescribeTargetGroups'],
  'elbv2.DescribeTags': ['elbv2.DescribeLoadBalancers'],
  'elb.DescribeInstanceHealth': ['elb.DescribeLoadBalancers'],
  'elb.DescribeTags': ['elb.DescribeLoadBalancers'],
};

/**
 * Seconds before the last of `calls` can start from a full bucket: AWS's (the simulated account's), charged once per
 * attempt (throttled attempts count against AWS's limit too). The platform's own bucket is not part of the bound:
 * the headroom it keeps below AWS's rate (`aws.rateLimits`) is a cost the platform pays and the ratio shows.
 */
export function bucketSeconds(calls: number, bucket: EffectiveBucket, attemptsPerCall: number): number {
  if (calls <= 0) return 0;
  return Math.max(0, (calls * attemptsPerCall - bucket.simulator.burst) / bucket.simulator.refillPerSec);
}

interface Term {
  seconds: number;
  what: string;
}

function longest(terms: readonly Term[]): Term {
  return terms.reduce((best, term) => (term.seconds > best.seconds ? term : best), { seconds: 0, what: 'nothing' });
}

/**
 * The lower bound of one partition. Each link of a sequential chain (a page, a credential call) costs one mean
 * latency per attempt; calls sharing a bucket cannot finish before the bucket lets the last one through plus its
 * latency. Listings run in parallel; per-resource calls follow their listing; GetMetricData follows the listings of
 * resources with metrics. The SDK's backoff after a throttle is the client's choice, so it is not part of the bound.
 */
export function partitionBound(partition: PartitionCensus, callerAccount: string, options: LowerBoundOptions): PartitionBound {
  const attempts = 1 / (1 - options.throttleRate);
  const link = ((options.latencyMs.min + options.latencyMs.max) / 2 / 1000) * attempts;
  const { accountId, region } = partition;
  // GetCallerIdentity, then AssumeRole for any account but the caller's.
  const credentials = options.credentialsCached ? 0 : (accountId === callerAccount ? 1 : 2) * link;
  const chain = new Map<string, number>();
  for (const listing of partition.listings) {
    chain.set(listing.operation, Math.max(chain.get(listing.operation) ?? 0, listingPages(listing) * link));
  }
  const calls = partitionMinimumCalls(partition);
  const chains: Term[] = [...chain.entries()].map(([operation, seconds]) => ({ seconds, what: `${operation}: pages in sequence` }));
  for (const [operation, listings] of Object.entries(DEPENDENT_CALLS)) {
    if (!calls[operation]) continue;
    const after = Math.max(...listings.map((l) => chain.get(l) ?? 0));
    chains.push({ seconds: after + link, what: `${operation} after ${listings.join(', ')}` });
  }
  const buckets = new Map<string, { bucket: EffectiveBucket; calls: number }>();
  for (const [operation, count] of Object.entries(calls)) {
    if (operation === 'cloudwatch.GetMetricData') continue;
    const bucket = effectiveBucket(options.config, accountId, region, operation);
    const entry = buckets.get(bucket.name) ?? { bucket, calls: 0 };
    entry.calls += count;
    buckets.set(bucket.name, entry);
  }
  const limited: Term[] = [...buckets.values()].map(({ bucket, calls: n }) => ({
    seconds: bucketSeconds(n, bucket, attempts) + link,
    what: `${bucket.name}: ${n} calls at ${bucket.simulator.refillPerSec}/s`,
  }));
  const discovery = longest([...chains, ...limited]);
  const idsKnown = Math.max(0, ...[...chain.entries()].filter(([op]) => METERED_LISTINGS.has(op)).map(([, s]) => s));
  const metricCallCount = calls['cloudwatch.GetMetricData'] ?? 0;
  const metricsBucket = effectiveBucket(options.config, accountId, region, 'cloudwatch.GetMetricData');
  const metrics = metricCallCount > 0 ? bucketSeconds(metricCallCount, metricsBucket, attempts) + link : 0;
  const viaMetrics = credentials + idsKnown + metrics;
  const viaDiscovery = credentials + discovery.seconds;
  return {
    accountId,
    region,
    discoverySec: viaDiscovery,
    idsKnownSec: credentials + idsKnown,
    metricsSec: metrics,
    totalSec: Math.max(viaDiscovery, viaMetrics),
    binding: viaDiscovery >= viaMetrics ? discovery.what : `listings, then ${metricCallCount} GetMetricData call${metricCallCount === 1 ? '' : 's'}`,
  };
}

/** The lower bound of a scan: its slowest partition, or its Cost Explorer requests when those take longer. */
export function scanLowerBound(census: EstateCensus, callerAccount: string, options: LowerBoundOptions): LowerBound {
  const attempts = 1 / (1 - options.throttleRate);
  const link = ((options.latencyMs.min + options.latencyMs.max) / 2 / 1000) * attempts;
  const partitions = census.partitions.map((p) => partitionBound(p, callerAccount, options));
  let costsSec = 0;
  if (!options.costsCached && census.costListings.length > 0) {
    const usage = census.costListings.filter((l) => l.operation !== 'ce.GetCostForecast');
    const requests = census.costListings.reduce((sum, l) => sum + listingPages(l), 0);
    const bucket = effectiveBucket(options.config, callerAccount, 'us-east-1', 'ce.GetCostAndUsage');
    // Pages of one request follow each other; the forecast needs the metric the answers chose.
    const chainSec = Math.max(0, ...usage.map((l) => listingPages(l) * link)) + link;
    costsSec = (options.credentialsCached ? 0 : link) + Math.max(chainSec, bucketSeconds(requests, bucket, attempts) + link);
  }
  const slowest = partitions.reduce<PartitionBound | undefined>((best, p) => (!best || p.totalSec > best.totalSec ? p : best), undefined);
  const partitionSec = slowest?.totalSec ?? 0;
  return {
    seconds: Math.max(partitionSec, costsSec),
    boundBy: costsSec > partitionSec ? 'costs' : `${slowest?.accountId}/${slowest?.region}`,
    binding: costsSec > partitionSec ? 'Cost Explorer pages in sequence' : (slowest?.binding ?? 'nothing'),
    latencyMeanMs: (options.latencyMs.min + options.latencyMs.max) / 2,
    attemptsPerCall: attempts,
    costsSec,
    partitions,
  };
}
