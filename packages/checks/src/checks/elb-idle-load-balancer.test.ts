// elb-idle-load-balancer: no targets, none healthy, or under 100 requests on every day of the week; by type.
import type { LoadBalancer, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, dailySum, daysAgo, loadBalancer, metricsOf, prices } from '../test-fixtures.js';
import { elbIdleLoadBalancer } from './elb-idle-load-balancer.js';

const defaults = elbIdleLoadBalancer.options.parse({});

function evaluate(resource: LoadBalancer, metrics: ResourceMetrics | undefined, options: Partial<typeof defaults> = {}) {
  return elbIdleLoadBalancer.evaluate({ resource, metrics, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const alb = loadBalancer();
const requests = (values: number[] | null, resource = alb) =>
  metricsOf(resource.id, 'load-balancer', { lbRequestCount: values === null ? null : dailySum(values) });
const flows = (values: number[], resource: LoadBalancer) => metricsOf(resource.id, 'load-balancer', { lbNewFlowCount: dailySum(values) });

describe('elb-idle-load-balancer', () => {
  it('finds a load balancer without registered targets, whatever its traffic', () => {
    const finding = evaluate(loadBalancer({ registeredTargets: 0, healthyTargets: 0 }), undefined);
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(0.0225 * 730, 6),
      priceConfidence: 'exact',
      risk: 'medium',
      action: { type: 'elb.delete-load-balancer', params: { loadBalancer: alb.id, type: 'application' } },
    });
    expect(finding?.reason).toBe('The application load balancer has no registered targets; it bills $16.43/month before capacity units');
  });

  it('finds one whose targets are all unhealthy', () => {
    expect(evaluate(loadBalancer({ registeredTargets: 3, healthyTargets: 0 }), undefined)?.reason).toContain('3 registered target(s), none healthy');
  });

  it('finds one under minRequestsPerDay on every day of the last week', () => {
    expect(evaluate(alb, requests([500, 500, 99, 99, 99, 99, 99, 99, 99, 99]))?.evidence.maxDailyRequests).toBe(99);
    expect(evaluate(alb, requests([99, 99, 99, 99, 99, 99, 99, 100]))).toBeNull();
  });

  it('reads days without datapoints as no requests, but not metrics that were never collected', () => {
    expect(evaluate(alb, requests(null))?.evidence.maxDailyRequests).toBe(0);
    expect(evaluate(alb, undefined)).toBeNull();
    expect(evaluate(alb, metricsOf(alb.id, 'load-balancer', {}))).toBeNull();
  });

  it('judges network and gateway load balancers by new flows, gateways priced as network ones', () => {
    const nlb = loadBalancer({ type: 'network' });
    expect(evaluate(nlb, flows([5, 5, 5, 5, 5, 5, 5, 5], nlb))?.reason).toContain('new flows');
    expect(evaluate(nlb, requests([0, 0, 0, 0, 0, 0, 0, 0], nlb))).toBeNull();
    const gwlb = loadBalancer({ type: 'gateway' });
    expect(evaluate(gwlb, flows([0, 0, 0, 0, 0, 0, 0, 0], gwlb))?.priceConfidence).toBe('estimated');
    const classic = loadBalancer({ type: 'classic', id: 'legacy-web' });
    expect(evaluate(classic, requests([1, 1, 1, 1, 1, 1, 1, 1], classic))?.monthlySavingsUsd).toBeCloseTo(0.025 * 730, 6);
  });

  it('leaves young and inactive load balancers alone', () => {
    expect(evaluate(loadBalancer({ createdTime: daysAgo(6.9), registeredTargets: 0 }), undefined)).toBeNull();
    expect(evaluate(loadBalancer({ createdTime: daysAgo(7), registeredTargets: 0 }), undefined)).not.toBeNull();
    expect(evaluate(loadBalancer({ state: 'provisioning', registeredTargets: 0 }), undefined)).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate(loadBalancer({ registeredTargets: 0, tags: { env: 'prod' } }), undefined)?.risk).toBe('high');
  });
});
