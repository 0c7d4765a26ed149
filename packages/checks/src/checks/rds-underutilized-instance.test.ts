// rds-underutilized-instance: headroom at its limit, one class down, Graviton fallback by engine, Multi-AZ prices.
import type { RdsInstance, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, database, daysAgo, metricsOf, prices, summary } from '../test-fixtures.js';
import { rdsUnderutilizedInstance } from './rds-underutilized-instance.js';

const defaults = rdsUnderutilizedInstance.options.parse({});

function evaluate(resource: RdsInstance, metrics: ResourceMetrics | undefined, options: Partial<typeof defaults> = {}) {
  return rdsUnderutilizedInstance.evaluate({ resource, metrics, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const withCpu = (resource: RdsInstance, p99: number, datapoints = 336) =>
  metricsOf(resource.id, 'rds-instance', { cpuUtilization: summary({ p99, p95: p99, max: p99, datapoints }) });

describe('rds-underutilized-instance', () => {
  const xlarge = database({ dbInstanceClass: 'db.m5.xlarge' });

  it('recommends one class size down, keeping the headroom', () => {
    const finding = evaluate(xlarge, withCpu(xlarge, 30));
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo((0.356 - 0.178) * 730, 6),
      priceConfidence: 'estimated',
      risk: 'medium',
      action: { type: 'rds.modify-db-instance', params: { fromClass: 'db.m5.xlarge', toClass: 'db.m5.large' } },
      evidence: expect.objectContaining({ projectedCpuP99Percent: 60, viaGraviton: false }),
    });
    expect(evaluate(xlarge, withCpu(xlarge, 37.5))).not.toBeNull();
    expect(evaluate(xlarge, withCpu(xlarge, 37.51))).toBeNull();
  });

  it('prices Multi-AZ on both sides', () => {
    const multi = database({ dbInstanceClass: 'db.m5.xlarge', multiAz: true });
    expect(evaluate(multi, withCpu(multi, 10))?.monthlySavingsUsd).toBeCloseTo((0.356 - 0.178) * 2 * 730, 6);
  });

  it('falls back to the Graviton family for the smallest size, on engines that support it', () => {
    const large = database({ dbInstanceClass: 'db.m5.large' });
    expect(evaluate(large, withCpu(large, 5))?.action.params.toClass).toBe('db.m7g.medium');
    expect(evaluate(large, withCpu(large, 5), { allowGraviton: false })).toBeNull();
    const oracle = database({ dbInstanceClass: 'db.m5.large', engine: 'oracle-ee' });
    expect(evaluate(oracle, withCpu(oracle, 5))).toBeNull();
    const t2 = database({ dbInstanceClass: 'db.t2.small', engine: 'mysql' });
    expect(evaluate(t2, withCpu(t2, 5))?.action.params.toClass).toBe('db.t4g.micro');
  });

  it('makes no finding without CPU data, and needs coverage for a young database', () => {
    expect(evaluate(xlarge, undefined)).toBeNull();
    expect(evaluate(xlarge, metricsOf(xlarge.id, 'rds-instance', { cpuUtilization: null }))).toBeNull();
    const young = database({ dbInstanceClass: 'db.m5.xlarge', createdAt: daysAgo(3) });
    expect(evaluate(young, withCpu(young, 5, 72))).toBeNull();
    expect(evaluate(young, withCpu(young, 5, 269))).not.toBeNull();
    expect(evaluate(database({ dbInstanceClass: 'db.m5.xlarge', status: 'modifying' }), withCpu(xlarge, 5))).toBeNull();
  });

  it('raises the risk for production', () => {
    const prod = database({ dbInstanceClass: 'db.m5.xlarge', tags: { env: 'prod' } });
    expect(evaluate(prod, withCpu(prod, 10))?.risk).toBe('high');
  });
});
