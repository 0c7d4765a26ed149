// nat-idle-gateway: bytes over the unused window at the limit, no datapoints, young gateways, address costs.
import type { NatGateway, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, dailySum, daysAgo, metricsOf, natGateway, prices } from '../test-fixtures.js';
import { natIdleGateway } from './nat-idle-gateway.js';

const defaults = natIdleGateway.options.parse({});

function evaluate(resource: NatGateway, metrics: ResourceMetrics | undefined, options: Partial<typeof defaults> = {}) {
  return natIdleGateway.evaluate({ resource, metrics, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const gateway = natGateway();
const traffic = (toDestination: number | null, toSource: number | null) =>
  metricsOf(gateway.id, 'nat-gateway', {}, {
    natBytesOutToDestination: toDestination === null ? null : dailySum(Array.from({ length: 30 }, (_, i) => (i === 0 ? toDestination : 0)), { datapoints: 30, expectedDatapoints: 30 }),
    natBytesOutToSource: toSource === null ? null : dailySum(Array.from({ length: 30 }, (_, i) => (i === 0 ? toSource : 0)), { datapoints: 30, expectedDatapoints: 30 }),
  });

describe('nat-idle-gateway', () => {
  it('finds a gateway that moved no bytes in 30 days, with its Elastic IP in the saving', () => {
    const finding = evaluate(gateway, traffic(0, 0));
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(0.045 * 730 + 3.65, 6),
      priceConfidence: 'exact',
      risk: 'medium',
      confidence: 1,
      action: { type: 'ec2.delete-nat-gateway', params: { natGatewayId: gateway.id, releaseAddresses: true } },
      evidence: expect.objectContaining({ bytesProcessed: 0, lookbackDays: 30 }),
    });
    expect(finding?.reason).toBe('Processed 0 MB in 30 days; the gateway bills $36.50/month');
  });

  it('allows up to maxBytes, in both directions together', () => {
    expect(evaluate(gateway, traffic(1, 0))).toBeNull();
    expect(evaluate(gateway, traffic(600, 400), { maxBytes: 1000 })).not.toBeNull();
    expect(evaluate(gateway, traffic(600, 401), { maxBytes: 1000 })).toBeNull();
  });

  it('reads no datapoints as no traffic, with less confidence, but needs the window collected', () => {
    expect(evaluate(gateway, traffic(null, null))?.confidence).toBe(0.5);
    expect(evaluate(gateway, undefined)).toBeNull();
    expect(evaluate(gateway, metricsOf(gateway.id, 'nat-gateway', {}))).toBeNull();
  });

  it('needs the gateway to have existed for the whole window and to be available', () => {
    expect(evaluate(natGateway({ createTime: daysAgo(30) }), traffic(0, 0))).not.toBeNull();
    expect(evaluate(natGateway({ createTime: daysAgo(29.9) }), traffic(0, 0))).toBeNull();
    expect(evaluate(natGateway({ state: 'pending' }), traffic(0, 0))).toBeNull();
  });

  it('prices a private gateway without addresses and raises the risk for production', () => {
    const privateGateway = natGateway({ connectivityType: 'private', publicIps: [] });
    expect(evaluate(privateGateway, traffic(0, 0))?.monthlySavingsUsd).toBeCloseTo(0.045 * 730, 6);
    expect(evaluate(natGateway({ tags: { env: 'prod' } }), traffic(0, 0))?.risk).toBe('high');
  });
});
