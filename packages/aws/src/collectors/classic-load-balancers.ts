// Classic load balancers (elb API): listing with registered instances, their health, and tags.
import {
  DescribeInstanceHealthCommand,
  DescribeTagsCommand,
  paginateDescribeLoadBalancers,
  type ElasticLoadBalancingClient,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import type { LoadBalancer, Tags } from '@finops/core';
import { chunk } from '../chunk.js';
import { mapLimit } from '../map-limit.js';
import type { AwsLogger, AwsScope } from '../types.js';
import { ELB_CONCURRENCY, ELB_PAGE_SIZE, ELB_TAGS_PER_CALL } from './elbv2-load-balancers.js';
import { isoTime, tagsFromList } from './normalize.js';
import { optionalTagReader } from './optional-tags.js';
import { callAws, collectPages } from './sdk-calls.js';

export const CLASSIC_PERMISSIONS = [
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeInstanceHealth',
  'elasticloadbalancing:DescribeTags',
] as const;

/** Every classic load balancer of the region, with registered and in-service instance counts and tags. */
export async function listClassicLoadBalancers(elb: ElasticLoadBalancingClient, scope: AwsScope, logger: AwsLogger): Promise<LoadBalancer[]> {
  const balancers = (
    await collectPages(
      scope,
      'elasticloadbalancing:DescribeLoadBalancers',
      // The paginator leaves the page size out of the request: it has to be in the input.
      paginateDescribeLoadBalancers({ client: elb }, { PageSize: ELB_PAGE_SIZE }),
      (page) => page.LoadBalancerDescriptions,
    )
  ).filter((balancer) => balancer.LoadBalancerName);
  if (balancers.length === 0) return [];
  const names = balancers.map((balancer) => balancer.LoadBalancerName as string);
  const [healthy, tags] = await Promise.all([inServiceCounts(elb, scope, balancers), classicTags(elb, scope, logger, names)]);
  const discoveredAt = new Date().toISOString();
  return balancers.map((balancer, index) =>
    toClassicLoadBalancer(balancer, scope, discoveredAt, tags.get(names[index] as string) ?? {}, healthy[index] ?? 0),
  );
}

/** In-service instances per load balancer, in order. A load balancer without instances costs no call. */
function inServiceCounts(elb: ElasticLoadBalancingClient, scope: AwsScope, balancers: readonly LoadBalancerDescription[]): Promise<number[]> {
  return mapLimit(balancers, ELB_CONCURRENCY, async (balancer) => {
    if ((balancer.Instances?.length ?? 0) === 0) return 0;
    const output = await callAws(scope, 'elasticloadbalancing:DescribeInstanceHealth', () =>
      elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: balancer.LoadBalancerName })),
    );
    return (output.InstanceStates ?? []).filter((state) => state.State === 'InService').length;
  });
}

/** Tags by load balancer name, 20 names per DescribeTags call. */
async function classicTags(elb: ElasticLoadBalancingClient, scope: AwsScope, logger: AwsLogger, names: readonly string[]): Promise<Map<string, Tags>> {
  const reader = optionalTagReader(scope, 'elasticloadbalancing:DescribeTags', 'classic load balancers', logger);
  const answers = await mapLimit(chunk(names, ELB_TAGS_PER_CALL), ELB_CONCURRENCY, (batch) =>
    reader.read(() => elb.send(new DescribeTagsCommand({ LoadBalancerNames: batch }))),
  );
  const tags = new Map<string, Tags>();
  for (const answer of answers) {
    for (const description of answer?.TagDescriptions ?? []) {
      if (description.LoadBalancerName) tags.set(description.LoadBalancerName, tagsFromList(description.Tags));
    }
  }
  return tags;
}

export function toClassicLoadBalancer(
  balancer: LoadBalancerDescription,
  scope: AwsScope,
  discoveredAt: string,
  tags: Tags,
  healthyTargets: number,
): LoadBalancer {
  const name = balancer.LoadBalancerName ?? '';
  return {
    kind: 'load-balancer',
    // The classic API names no ARN, and its actions (DeleteLoadBalancer, DescribeTags) take the name.
    id: name,
    accountId: scope.accountId,
    region: scope.region,
    name: tags.Name || name,
    tags,
    type: 'classic',
    scheme: balancer.Scheme === 'internal' ? 'internal' : 'internet-facing',
    // The classic API reports no state: a listed classic load balancer is serving (and billed).
    state: 'active',
    createdTime: isoTime(balancer.CreatedTime, discoveredAt),
    dnsName: balancer.DNSName || undefined,
    vpcId: balancer.VPCId || undefined,
    availabilityZones: [...(balancer.AvailabilityZones ?? [])],
    targetGroups: 0,
    registeredTargets: balancer.Instances?.length ?? 0,
    healthyTargets,
  };
}
