// AWS-like request token buckets per (account, region, bucket), kept in this process only.
import type { ServiceId } from './aws-error.js';

export interface BucketSpec {
  /** Bucket name; operations sharing a name share a bucket (Lambda's control plane). */
  name: string;
  burst: number;
  refillPerSec: number;
  /** A global service's bucket is per account, whatever region the client points at. */
  global?: boolean;
}

/** EC2 Describe calls of these operations without MaxResults and without a filter draw from a smaller bucket. */
const EC2_UNPAGED_SMALL_BUCKET = new Set(['DescribeInstances', 'DescribeVolumes', 'DescribeSnapshots']);

/**
 * The bucket an API call draws from (aws-facts.md §1): EC2 non-mutating 100 burst / 20 per s per API (50 / 10 when
 * called unpaged and unfiltered); Lambda control plane 15/s shared; GetMetricData 50/s; STS 600/s. RDS publishes no
 * number: 50 / 10 per s is assumed. Cost Explorer: a modest 10 / 2 per s, for an API AWS expects a few times a day.
 * Organizations: 8/s, burst 12 (Organizations quotas). Elastic Load Balancing publishes no per-API numbers: 20 / 10
 * per s per API is assumed.
 */
export function bucketFor(service: ServiceId, operation: string, input: Readonly<Record<string, unknown>>): BucketSpec {
  switch (service) {
    case 'ec2': {
      const filtered = Array.isArray(input.Filters) && input.Filters.length > 0;
      if (EC2_UNPAGED_SMALL_BUCKET.has(operation) && input.MaxResults === undefined && !filtered) {
        return { name: `ec2.${operation}.unpaged`, burst: 50, refillPerSec: 10 };
      }
      return { name: `ec2.${operation}`, burst: 100, refillPerSec: 20 };
    }
    case 'lambda':
      return { name: 'lambda.control-plane', burst: 15, refillPerSec: 15 };
    case 'cloudwatch':
      return { name: `cloudwatch.${operation}`, burst: 50, refillPerSec: 50 };
    case 'rds':
      return { name: `rds.${operation}`, burst: 50, refillPerSec: 10 };
    case 'ce':
      return { name: 'ce', burst: 10, refillPerSec: 2, global: true };
    case 'organizations':
      return { name: 'organizations', burst: 12, refillPerSec: 8, global: true };
    case 'pricing':
      return { name: 'pricing', burst: 10, refillPerSec: 5, global: true };
    case 'elbv2':
    case 'elb':
      return { name: `${service}.${operation}`, burst: 20, refillPerSec: 10 };
    case 'sts':
      return { name: 'sts', burst: 600, refillPerSec: 600 };
  }
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token buckets keyed by (account, region, bucket). They live in this process: workers in other processes each keep
 * their own, so a fleet of workers can together exceed what one AWS account would allow.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  /** Takes one token; false when the bucket is empty (the call is throttled). */
  take(accountId: string, region: string, spec: BucketSpec, nowMs: number): boolean {
    // Global services (Cost Explorer, Organizations): one bucket per account wherever the client points.
    const key = spec.global ? `${accountId}|global|${spec.name}` : `${accountId}|${region}|${spec.name}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: spec.burst, updatedMs: nowMs };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(spec.burst, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * spec.refillPerSec);
    bucket.updatedMs = nowMs;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
