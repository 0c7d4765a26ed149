// Discovers load balancers of both ELB APIs: ALB, NLB and GWLB (elbv2) and classic load balancers (elb).
import type { LoadBalancer } from '@finops/core';
import { CLASSIC_PERMISSIONS, listClassicLoadBalancers } from './classic-load-balancers.js';
import type { Collector } from './collector.js';
import { ELBV2_PERMISSIONS, listElbv2LoadBalancers } from './elbv2-load-balancers.js';

export const loadBalancerCollector: Collector<LoadBalancer> = {
  kind: 'load-balancer',
  // Both APIs authorize under the one `elasticloadbalancing` prefix.
  permissions: [...new Set([...ELBV2_PERMISSIONS, ...CLASSIC_PERMISSIONS])],
  // DescribeTargetHealth per target group, DescribeInstanceHealth per classic load balancer.
  callsPerResource: true,
  async collect({ scope, client, logger }) {
    const [elbv2, elb] = await Promise.all([client('elbv2'), client('elb')]);
    const [current, classic] = await Promise.all([listElbv2LoadBalancers(elbv2, scope, logger), listClassicLoadBalancers(elb, scope, logger)]);
    return [...current, ...classic];
  },
};
