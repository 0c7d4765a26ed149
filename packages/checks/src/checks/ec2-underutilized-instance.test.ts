// ec2-underutilized-instance: the headroom rule at and just beyond its limit, Graviton fallback, missing data.
import type { Ec2Instance, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, daysAgo, instance, metricsOf, prices, summary } from '../test-fixtures.js';
import { ec2UnderutilizedInstance } from './ec2-underutilized-instance.js';

const defaults = ec2UnderutilizedInstance.options.parse({});

function evaluate(resource: Ec2Instance, metrics: ResourceMetrics | undefined, options: Partial<typeof defaults> = {}) {
  return ec2UnderutilizedInstance.evaluate({ resource, metrics, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const cpu = (p99: number, datapoints = 336) => summary({ p99, p95: p99, max: p99, avg: p99 / 2, datapoints });
const withCpu = (resource: Ec2Instance, p99: number, datapoints?: number) =>
  metricsOf(resource.id, 'ec2-instance', { cpuUtilization: cpu(p99, datapoints) });

describe('ec2-underutilized-instance', () => {
  const xlarge = instance({ instanceType: 'm5.xlarge' });

  it('recommends one size down in the family, priced from the table', () => {
    const finding = evaluate(xlarge, withCpu(xlarge, 20));
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo((0.192 - 0.096) * 730, 6),
      priceConfidence: 'exact',
      risk: 'medium',
      confidence: 1,
      action: { type: 'ec2.resize-instance', params: { instanceId: xlarge.id, fromType: 'm5.xlarge', toType: 'm5.large' } },
      evidence: expect.objectContaining({ cpuP99Percent: 20, projectedCpuP99Percent: 40, viaGraviton: false, headroomPercent: 25 }),
    });
    expect(finding?.reason).toBe('CPU p99 was 20% over 14 days: m5.large would run it at 40%, saving $70.08/month');
  });

  it('keeps the headroom: projected p99 at 100 − headroom fits, just above does not', () => {
    expect(evaluate(xlarge, withCpu(xlarge, 37.5))).not.toBeNull();
    expect(evaluate(xlarge, withCpu(xlarge, 37.51))).toBeNull();
    expect(evaluate(xlarge, withCpu(xlarge, 40), { headroomPercent: 20 })).not.toBeNull();
    expect(evaluate(xlarge, withCpu(xlarge, 40.01), { headroomPercent: 20 })).toBeNull();
  });

  it('moves the smallest size of a family to the Graviton family one size down, only for Linux x86_64', () => {
    const large = instance({ instanceType: 'm5.large' });
    const finding = evaluate(large, withCpu(large, 5));
    expect(finding?.action.params.toType).toBe('m7g.medium');
    expect(finding?.risk).toBe('high');
    expect(finding?.monthlySavingsUsd).toBeCloseTo((0.096 - 0.0408) * 730, 6);
    expect(finding?.priceConfidence).toBe('estimated');
    expect(evaluate(large, withCpu(large, 5), { allowGraviton: false })).toBeNull();
    const windows = instance({ instanceType: 'm5.large', platform: 'windows' });
    expect(evaluate(windows, withCpu(windows, 5))).toBeNull();
    const arm = instance({ instanceType: 'm7g.medium', architecture: 'arm64' });
    expect(evaluate(arm, withCpu(arm, 1))).toBeNull();
  });

  it('goes one size down only, even when the instance is almost idle', () => {
    const big = instance({ instanceType: 'm5.4xlarge' });
    expect(evaluate(big, withCpu(big, 1))?.action.params.toType).toBe('m5.2xlarge');
  });

  it('makes no finding without CPU data, and needs coverage for an instance younger than the lookback', () => {
    expect(evaluate(xlarge, undefined)).toBeNull();
    expect(evaluate(xlarge, metricsOf(xlarge.id, 'ec2-instance', { cpuUtilization: null }))).toBeNull();
    const young = instance({ instanceType: 'm5.xlarge', launchTime: daysAgo(5) });
    expect(evaluate(young, withCpu(young, 10, 268))).toBeNull();
    expect(evaluate(young, withCpu(young, 10, 269))?.confidence).toBeCloseTo(269 / 336, 6);
    const old = instance({ instanceType: 'm5.xlarge', launchTime: daysAgo(14) });
    expect(evaluate(old, withCpu(old, 10, 100))?.confidence).toBeCloseTo(100 / 336, 6);
  });

  it('checks running instances only', () => {
    const stopped = instance({ instanceType: 'm5.xlarge', state: 'stopped' });
    expect(evaluate(stopped, withCpu(stopped, 5))).toBeNull();
  });

  it('raises the risk for production, and marks spot and Windows prices estimated', () => {
    const prod = instance({ instanceType: 'm5.xlarge', tags: { env: 'prod' } });
    expect(evaluate(prod, withCpu(prod, 10))?.risk).toBe('high');
    const spot = instance({ instanceType: 'm5.xlarge', lifecycle: 'spot' });
    expect(evaluate(spot, withCpu(spot, 10))?.priceConfidence).toBe('estimated');
    const windows = instance({ instanceType: 'm5.xlarge', platform: 'windows' });
    // The Windows licence follows the vCPUs: the smaller size saves on both.
    expect(evaluate(windows, withCpu(windows, 10))?.monthlySavingsUsd).toBeCloseTo((0.192 + 4 * 0.046 - 0.096 - 2 * 0.046) * 730, 6);
  });

  it('skips types it cannot size', () => {
    const odd = instance({ instanceType: 'weird' });
    expect(evaluate(odd, withCpu(odd, 1))).toBeNull();
    const unknownFamily = instance({ instanceType: 'zz9.xlarge' });
    expect(evaluate(unknownFamily, withCpu(unknownFamily, 1))).toBeNull();
  });
});
