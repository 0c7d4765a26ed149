// elb-idle-load-balancer: a load balancer with no (healthy) targets, or under 100 requests a day all week.
import type { LoadBalancer } from '@finops/core';
import type { LoadBalancerType } from '@finops/pricing';
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { formatNumber, formatUsd } from '../format.js';
import { existedThroughout, recentDays } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  days: z.number().int().min(1).max(14).default(7).describe('Days judged, ending today (within the utilization lookback).'),
  minRequestsPerDay: z
    .number()
    .nonnegative()
    .default(100)
    .describe('Idle when every one of those days had fewer requests (new flows, for network and gateway load balancers) than this.'),
  ...productionTagOptions,
});

/** Gateway load balancers are priced like network ones: the price table has no entry of their own. */
function priceType(type: LoadBalancer['type']): LoadBalancerType {
  return type === 'gateway' ? 'network' : type;
}

export const elbIdleLoadBalancer = defineCheck({
  id: 'elb-idle-load-balancer',
  title: 'Idle load balancer',
  description: 'Load balancers with no registered or no healthy targets, or fewer than minRequestsPerDay requests on every day of the last week.',
  resourceKind: 'load-balancer',
  metrics: ['lbRequestCount', 'lbNewFlowCount'],
  lookback: 'utilization',
  permissions: [
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
    'elasticloadbalancing:DescribeInstanceHealth',
    'cloudwatch:GetMetricData',
  ],
  options,
  evaluate({ resource, metrics, options, prices, now }) {
    if (resource.state !== 'active' && resource.state !== 'active_impaired') return null;
    // A load balancer younger than the window may still be being set up.
    if (!existedThroughout(resource.createdTime, options.days, now)) return null;

    let why: string;
    let busiestDay: number | null = null;
    if (resource.registeredTargets === 0) {
      why = 'has no registered targets';
    } else if (resource.healthyTargets === 0) {
      why = `has ${resource.registeredTargets} registered target(s), none healthy`;
    } else {
      const flows = resource.type === 'network' || resource.type === 'gateway';
      const traffic = flows ? metrics?.metrics.lbNewFlowCount : metrics?.metrics.lbRequestCount;
      // Not collected (an analysis error): traffic is unknown. `null` is different: no datapoints at all.
      if (traffic === undefined) return null;
      // ELB publishes nothing for a period without traffic: a day without a datapoint had no requests.
      const days = recentDays(traffic?.daily ?? [], options.days, now);
      busiestDay = Math.max(0, ...days.map((day) => day.value));
      if (busiestDay >= options.minRequestsPerDay) return null;
      const unit = flows ? 'new flows' : 'requests';
      why = `had at most ${formatNumber(busiestDay)} ${unit} a day over the last ${options.days} days`;
    }

    const price = prices.loadBalancerMonthly(priceType(resource.type), resource.region);
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: price.usd,
      priceConfidence: resource.type === 'gateway' ? 'estimated' : price.confidence,
      risk: riskFor('medium', production),
      confidence: 1,
      action: {
        type: 'elb.delete-load-balancer',
        description: 'Delete the load balancer (and its listeners); check DNS records that point at it first.',
        params: { loadBalancer: resource.id, type: resource.type },
      },
      reason: `The ${resource.type} load balancer ${why}; it bills ${formatUsd(price.usd)}/month before capacity units`,
      evidence: {
        type: resource.type,
        registeredTargets: resource.registeredTargets,
        healthyTargets: resource.healthyTargets,
        targetGroups: resource.targetGroups,
        maxDailyRequests: busiestDay,
        days: options.days,
        monthlyUsd: price.usd,
        priceBasis: price.basis,
        production,
      },
    };
  },
});
