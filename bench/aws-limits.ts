// AWS's page maxima and request buckets as the benchmark's lower bound uses them (aws-facts.md §1–2).
import { bucketFor, type BucketRate } from '@finops/aws';
import type { Config } from '@finops/core';
import { simulatedBucketFor } from '@finops/simulator';

/**
 * The largest page each listing serves (aws-facts.md §2). These are AWS's maxima, not the platform's choices:
 * a collector asking for smaller pages shows up as calls above the minimum. Cost Explorer pages by the size of
 * its answer, so its pages are counted as served, never computed.
 */
export const MAX_PAGE_SIZE: Readonly<Record<string, number>> = {
  'ec2.DescribeInstances': 1000,
  'ec2.DescribeVolumes': 1000,
  'ec2.DescribeSnapshots': 1000,
  'ec2.DescribeImages': 1000,
  'ec2.DescribeNatGateways': 1000,
  'ec2.DescribeAddresses': Number.POSITIVE_INFINITY,
  'rds.DescribeDBInstances': 100,
  'rds.DescribeDBSnapshots': 100,
  'lambda.ListFunctions': 50,
  'elbv2.DescribeLoadBalancers': 400,
  'elbv2.DescribeTargetGroups': 400,
  'elb.DescribeLoadBalancers': 400,
};

/** ELB DescribeTags takes at most 20 ARNs (elbv2) or names (classic) per call. */
export const ELB_TAGS_PER_CALL = 20;

/** One request bucket as both sides enforce it: the platform's shared Redis bucket and the simulated AWS account's. */
export interface EffectiveBucket {
  /** The platform's bucket name: `ec2.DescribeInstances`, `lambda.control-plane`. */
  name: string;
  /** `aws.rateLimits`: every call takes a token before it is sent; SDK retries take none. */
  platform: BucketRate;
  /** The simulator's (AWS's) bucket: every attempt that reaches it takes a token, throttled retries included. */
  simulator: BucketRate;
}

/**
 * The two buckets one call of `service.operation` meets. Listing calls are paged (MaxResults set), so EC2 lists
 * draw from the 100 / 20 per s bucket, not the smaller unpaged one.
 */
export function effectiveBucket(config: Pick<Config, 'aws'>, accountId: string, region: string, operationKey: string): EffectiveBucket {
  const [service = '', operation = ''] = operationKey.split('.');
  const input = service === 'ec2' && MAX_PAGE_SIZE[operationKey] !== undefined && Number.isFinite(MAX_PAGE_SIZE[operationKey]) ? { MaxResults: 1000 } : {};
  const platform = bucketFor({ accountId, region, service, operation, input }, config.aws.rateLimits.overrides);
  const simulated = simulatedBucketFor(service as Parameters<typeof simulatedBucketFor>[0], operation, input);
  return {
    name: platform.name,
    platform: { burst: platform.burst, refillPerSec: platform.refillPerSec },
    simulator: { burst: simulated.burst, refillPerSec: simulated.refillPerSec },
  };
}
