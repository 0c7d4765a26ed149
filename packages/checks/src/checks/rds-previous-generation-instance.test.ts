// rds-previous-generation-instance: db.t2/m4/r4 to the current generation at the same size.
import type { RdsInstance } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, database, prices } from '../test-fixtures.js';
import { rdsPreviousGenerationInstance } from './rds-previous-generation-instance.js';

const defaults = rdsPreviousGenerationInstance.options.parse({});

function evaluate(resource: RdsInstance, options: Partial<typeof defaults> = {}) {
  return rdsPreviousGenerationInstance.evaluate({ resource, metrics: undefined, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

describe('rds-previous-generation-instance', () => {
  it('moves db.t2.small to db.t3.small, the old class priced by the table\'s per-vCPU rule', () => {
    const finding = evaluate(database({ dbInstanceClass: 'db.t2.small' }));
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo((0.5 * 0.089 - 0.036) * 730, 6),
      priceConfidence: 'estimated',
      risk: 'medium',
      action: { type: 'rds.modify-db-instance', params: { fromClass: 'db.t2.small', toClass: 'db.t3.small' } },
    });
  });

  it('applies the engine factor and Multi-AZ to both prices', () => {
    const mysql = evaluate(database({ dbInstanceClass: 'db.t2.small', engine: 'mysql', multiAz: true }));
    expect(mysql?.monthlySavingsUsd).toBeCloseTo((0.5 * 0.089 - 0.036) * 0.96 * 2 * 730, 6);
  });

  it('ignores current classes, sizes the new family lacks and unavailable instances', () => {
    expect(evaluate(database({ dbInstanceClass: 'db.m5.large' }))).toBeNull();
    expect(evaluate(database({ dbInstanceClass: 'db.m4.10xlarge' }))).toBeNull();
    expect(evaluate(database({ dbInstanceClass: 'db.t2.small', status: 'stopped' }))).toBeNull();
    expect(evaluate(database({ dbInstanceClass: 'db.t2.small' }), { generations: {} })).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate(database({ dbInstanceClass: 'db.t2.small', tags: { env: 'prod' } }))?.risk).toBe('high');
  });
});
