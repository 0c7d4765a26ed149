// rds-graviton-candidate-instance: x86 classes to Graviton at the same size, engines that support it.
import type { RdsInstance } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, database, prices } from '../test-fixtures.js';
import { rdsGravitonCandidateInstance } from './rds-graviton-candidate-instance.js';

const defaults = rdsGravitonCandidateInstance.options.parse({});

function evaluate(resource: RdsInstance, options: Partial<typeof defaults> = {}) {
  return rdsGravitonCandidateInstance.evaluate({ resource, metrics: undefined, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

describe('rds-graviton-candidate-instance', () => {
  it('moves db.m5.large to db.m7g.large, priced from the table', () => {
    const finding = evaluate(database());
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo((0.178 - 0.168) * 730, 6),
      priceConfidence: 'estimated',
      risk: 'medium',
      action: { params: { fromClass: 'db.m5.large', toClass: 'db.m7g.large' } },
    });
    expect(evaluate(database({ dbInstanceClass: 'db.t3.medium' }))?.action.params.toClass).toBe('db.t4g.medium');
  });

  it('skips Graviton classes, engines without Graviton and unavailable instances', () => {
    expect(evaluate(database({ dbInstanceClass: 'db.m6g.large' }))).toBeNull();
    expect(evaluate(database({ engine: 'sqlserver-se' }))).toBeNull();
    expect(evaluate(database({ engine: 'sqlserver-se' }), { engines: ['sqlserver-se'] })).not.toBeNull();
    expect(evaluate(database({ status: 'creating' }))).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate(database({ tags: { env: 'prod' } }))?.risk).toBe('high');
  });
});
