// Application, network and gateway load balancers (elbv2): listing, target counts from target health, and tags.
import {
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer as SdkLoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancer, Tags } from '@finops/core';
import { chunk } from '../chunk.js';
import { mapLimit } from '../map-limit.js';
import type { AwsLogger, AwsScope } from '../types.js';
import { isoTime, oneOf, tagsFromList } from './normalize.js';
import { optionalTagReader } from './optional-tags.js';
import { callAws, collectPages } from './sdk-calls.js';

/** DescribeLoadBalancers and DescribeTargetGroups accept PageSize 1–400. */
export const ELB_PAGE_SIZE = 400;
/** DescribeTags takes at most 20 ARNs (elbv2) or 20 names (classic) per call. */
export const ELB_TAGS_PER_CALL = 20;
/** Per-resource ELB calls in flight per account and region: the ELB API throttles early (`Throttling`). */
export const ELB_CONCURRENCY = 4;

export const ELBV2_PERMISSIONS = [
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
  'elasticloadbalancing:DescribeTags',
] as const;

interface TargetCounts {
  targetGroups: number;
  registered: number;
  healthy: number;
}

/** Every ALB, NLB and GWLB of the region with its target counts and tags. */
export async function listElbv2LoadBalancers(elbv2: ElasticLoadBalancingV2Client, scope: AwsScope, logger: AwsLogger): Promise<LoadBalancer[]> {
  // The paginators of the ELB APIs leave the page size out of the request: it has to be in the input.
  const [balancers, targetGroups] = await Promise.all([
    collectPages(
      scope,
      'elasticloadbalancing:DescribeLoadBalancers',
      paginateDescribeLoadBalancers({ client: elbv2 }, { PageSize: ELB_PAGE_SIZE }),
      (page) => page.LoadBalancers,
    ),
    collectPages(
      scope,
      'elasticloadbalancing:DescribeTargetGroups',
      paginateDescribeTargetGroups({ client: elbv2 }, { PageSize: ELB_PAGE_SIZE }),
      (page) => page.TargetGroups,
    ),
  ]);
  const listed = balancers.filter((balancer) => balancer.LoadBalancerArn);
  if (listed.length === 0) return [];
  const [counts, tags] = await Promise.all([
    targetCounts(elbv2, scope, targetGroups),
    elbv2Tags(elbv2, scope, logger, listed.map((balancer) => balancer.LoadBalancerArn as string)),
  ]);
  const discoveredAt = new Date().toISOString();
  return listed.map((balancer) => {
    const arn = balancer.LoadBalancerArn as string;
    return toElbv2LoadBalancer(balancer, scope, discoveredAt, tags.get(arn) ?? {}, counts.get(arn) ?? { targetGroups: 0, registered: 0, healthy: 0 });
  });
}

/**
 * Target counts per load balancer ARN. One DescribeTargetHealth per target group that serves a load balancer
 * (a group attached to none costs no call); a group serving two load balancers counts for both.
 */
async function targetCounts(elbv2: ElasticLoadBalancingV2Client, scope: AwsScope, groups: readonly TargetGroup[]): Promise<Map<string, TargetCounts>> {
  const attached = groups.filter((group) => group.TargetGroupArn && (group.LoadBalancerArns?.length ?? 0) > 0);
  const health = await mapLimit(attached, ELB_CONCURRENCY, (group) =>
    callAws(scope, 'elasticloadbalancing:DescribeTargetHealth', () =>
      elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn })),
    ),
  );
  const counts = new Map<string, TargetCounts>();
  attached.forEach((group, index) => {
    const targets = health[index]?.TargetHealthDescriptions ?? [];
    const healthy = targets.filter((target) => target.TargetHealth?.State === 'healthy').length;
    for (const arn of group.LoadBalancerArns ?? []) {
      const entry = counts.get(arn) ?? { targetGroups: 0, registered: 0, healthy: 0 };
      entry.targetGroups += 1;
      entry.registered += targets.length;
      entry.healthy += healthy;
      counts.set(arn, entry);
    }
  });
  return counts;
}

/** Tags by ARN, 20 ARNs per DescribeTags call. */
async function elbv2Tags(elbv2: ElasticLoadBalancingV2Client, scope: AwsScope, logger: AwsLogger, arns: readonly string[]): Promise<Map<string, Tags>> {
  const reader = optionalTagReader(scope, 'elasticloadbalancing:DescribeTags', 'load balancers', logger);
  const answers = await mapLimit(chunk(arns, ELB_TAGS_PER_CALL), ELB_CONCURRENCY, (batch) =>
    reader.read(() => elbv2.send(new DescribeTagsCommand({ ResourceArns: batch }))),
  );
  const tags = new Map<string, Tags>();
  for (const answer of answers) {
    for (const description of answer?.TagDescriptions ?? []) {
      if (description.ResourceArn) tags.set(description.ResourceArn, tagsFromList(description.Tags));
    }
  }
  return tags;
}

export function toElbv2LoadBalancer(
  balancer: SdkLoadBalancer,
  scope: AwsScope,
  discoveredAt: string,
  tags: Tags,
  counts: TargetCounts,
): LoadBalancer {
  const arn = balancer.LoadBalancerArn ?? '';
  return {
    kind: 'load-balancer',
    id: arn,
    arn,
    accountId: scope.accountId,
    region: scope.region,
    name: tags.Name || balancer.LoadBalancerName || arn,
    tags,
    type: oneOf(balancer.Type, ['application', 'network', 'gateway'] as const, 'application'),
    scheme: balancer.Scheme === 'internal' ? 'internal' : 'internet-facing',
    state: balancer.State?.Code ?? 'unknown',
    createdTime: isoTime(balancer.CreatedTime, discoveredAt),
    dnsName: balancer.DNSName || undefined,
    vpcId: balancer.VpcId || undefined,
    availabilityZones: (balancer.AvailabilityZones ?? []).flatMap((zone) => (zone.ZoneName ? [zone.ZoneName] : [])),
    targetGroups: counts.targetGroups,
    registeredTargets: counts.registered,
    healthyTargets: counts.healthy,
  };
}
