// AWS's documented request rates per (account, region, API), as token buckets (aws-facts.md §1).

/** Which bucket one AWS call draws from. Calls with the same key share a bucket across every replica. */
export interface RateLimitKey {
  accountId: string;
  region: string;
  /** Short service name, as in usage counts: `ec2`, `lambda`, `ce`. */
  service: string;
  /** Operation without `Command`: `DescribeInstances`. */
  operation: string;
  /** The command's input: EC2 has a smaller bucket for unpaged, unfiltered Describe calls. */
  input?: Readonly<Record<string, unknown>>;
}

export interface BucketRate {
  /** Tokens the bucket holds when full: the burst AWS allows. */
  burst: number;
  /** Tokens added per second: the sustained rate. */
  refillPerSec: number;
}

export interface BucketSpec extends BucketRate {
  /** Bucket name: `ec2.DescribeInstances`, `lambda.control-plane`, `ce`. Operations sharing a name share a bucket. */
  name: string;
  /** Region part of the Redis key: `global` for services with one endpoint per account (Cost Explorer, Pricing). */
  scope: string;
}

/** AWS's bucket sizes by bucket name (`ec2.DescribeInstances`) or service (`ec2`); a name beats a service. */
export type RateLimitOverrides = Readonly<Record<string, BucketRate>>;

/**
 * The share of AWS's sustained rate the platform leaves unused, in percent. A bucket refilled at exactly AWS's rate
 * keeps AWS's own bucket empty while a long run of calls lasts (562 ListTags in a 6,250-resource partition), and the
 * latency jitter between our grant and AWS's receipt (50–100 ms) then lands some requests before AWS has refilled:
 * about 5% of them were throttled, each retry one more call and one more token. Below AWS's rate, AWS's bucket
 * gains back what jitter takes: measured on 500 Lambda functions at 50–100 ms, 0% headroom 33.3 s with throttles,
 * 5% 35.0 s and none, 10% 36.9 s and none. 5% is the cheapest that keeps the calls at their minimum; it also leaves
 * some room for the console and other tools using the same account's quota. The burst is cut more: see
 * {@link BURST_HEADROOM_PERCENT}.
 */
export const RATE_HEADROOM_PERCENT = 5;

/**
 * The share of AWS's burst the platform leaves unused, in percent (at least the rate's, and at least one token
 * kept). At the start of a run of calls both buckets are full: a burst equal to AWS's (9 of 889 ListTags throttled
 * at 10k) or cut by the rate's 5% (0.75 of Lambda's 15 tokens, what 50 ms of jitter takes at 15/s; 6 and 12
 * throttled in 2 of 5 scans at 10k on a slower machine, where stalls of the event loop bunch calls more) leaves
 * AWS's bucket too empty in the first second for calls landing early. At 80% AWS keeps 3 of Lambda's tokens: no
 * throttled call in 6 of 6 such scans, for 3 calls less at once (0.2 s more on a partition's Lambda listing).
 */
export const BURST_HEADROOM_PERCENT = 20;

/** EC2 Describe calls of these operations without MaxResults and without a filter draw from a smaller bucket. */
const EC2_UNPAGED_SMALL_BUCKET: ReadonlySet<string> = new Set([
  'DescribeInstances',
  'DescribeVolumes',
  'DescribeSnapshots',
  'DescribeInstanceStatus',
  'DescribeNetworkInterfaces',
  'DescribeSecurityGroups',
]);

const EC2_NON_MUTATING = /^(Describe|List|Get)/;

/** Services with one endpoint for the whole account: their limit is not per region. */
const GLOBAL_SERVICES: ReadonlySet<string> = new Set(['ce', 'pricing', 'organizations']);

/**
 * The platform's bucket of a call: AWS's documented (or, where AWS publishes nothing, conservative) bucket, or the
 * override, at `100 − headroomPercent` percent of its rate (default {@link RATE_HEADROOM_PERCENT}) and
 * `100 − burstHeadroomPercent` percent of its burst (default: the larger of headroomPercent and
 * {@link BURST_HEADROOM_PERCENT}):
 * - EC2 non-mutating: 100 burst, 20/s per API; unpaged and unfiltered Describe of big lists: 50 / 10 per s;
 *   mutating: 50 / 5 per s (EC2 API throttling docs).
 * - Lambda: GetFunction 100/s; the rest of the control plane 15/s in total (Lambda quotas).
 * - CloudWatch: GetMetricData 50/s (the older, lower quota); GetMetricStatistics 400/s; others 50/s.
 * - STS: 600/s per account and region; Organizations ListAccounts and the rest: 12 burst, 8/s.
 * - RDS: no published number: 50 burst, 10/s per API (unconfirmed, conservative).
 * - Cost Explorer: no published number: 5 burst, 5/s (each request is also billed $0.01).
 * - Pricing: no published number: 10 burst, 5/s (unconfirmed, conservative).
 * - Anything else: 20 burst, 10/s per API (unconfirmed, conservative).
 */
export function bucketFor(
  key: RateLimitKey,
  overrides: RateLimitOverrides = {},
  headroomPercent = RATE_HEADROOM_PERCENT,
  burstHeadroomPercent = Math.max(headroomPercent, BURST_HEADROOM_PERCENT),
): BucketSpec {
  const aws = awsBucketFor(key, overrides);
  const share = 1 - headroomPercent / 100;
  const burstShare = 1 - burstHeadroomPercent / 100;
  return { ...aws, burst: Math.max(1, aws.burst * burstShare), refillPerSec: aws.refillPerSec * share };
}

/** AWS's own bucket of a call (documented, conservative or overridden), before the platform's headroom. */
export function awsBucketFor(key: RateLimitKey, overrides: RateLimitOverrides = {}): BucketSpec {
  const base = defaultBucket(key);
  const override = overrides[base.name] ?? overrides[key.service];
  const scope = GLOBAL_SERVICES.has(key.service) ? 'global' : key.region;
  return { ...base, ...(override ?? {}), scope };
}

function defaultBucket({ service, operation, input }: RateLimitKey): { name: string } & BucketRate {
  switch (service) {
    case 'ec2': {
      if (!EC2_NON_MUTATING.test(operation)) return { name: `ec2.${operation}`, burst: 50, refillPerSec: 5 };
      const filtered = Array.isArray(input?.Filters) && input.Filters.length > 0;
      const paged = input?.MaxResults !== undefined;
      if (EC2_UNPAGED_SMALL_BUCKET.has(operation) && !paged && !filtered) {
        return { name: `ec2.${operation}.unpaged`, burst: 50, refillPerSec: 10 };
      }
      return { name: `ec2.${operation}`, burst: 100, refillPerSec: 20 };
    }
    case 'lambda':
      return operation === 'GetFunction'
        ? { name: 'lambda.GetFunction', burst: 100, refillPerSec: 100 }
        : { name: 'lambda.control-plane', burst: 15, refillPerSec: 15 };
    case 'cloudwatch':
      if (operation === 'GetMetricStatistics') return { name: 'cloudwatch.GetMetricStatistics', burst: 400, refillPerSec: 400 };
      return { name: `cloudwatch.${operation}`, burst: 50, refillPerSec: 50 };
    case 'sts':
      return { name: 'sts', burst: 600, refillPerSec: 600 };
    case 'organizations':
      return { name: 'organizations', burst: 12, refillPerSec: 8 };
    case 'rds':
      return { name: `rds.${operation}`, burst: 50, refillPerSec: 10 };
    case 'ce':
      return { name: 'ce', burst: 5, refillPerSec: 5 };
    case 'pricing':
      return { name: 'pricing', burst: 10, refillPerSec: 5 };
    default:
      return { name: `${service}.${operation}`, burst: 20, refillPerSec: 10 };
  }
}
