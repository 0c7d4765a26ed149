// rds-non-production-multi-az-instance: non-production tags, the standby's instance and storage cost, Aurora.
import type { RdsInstance } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, database, prices } from '../test-fixtures.js';
import { rdsNonProductionMultiAzInstance } from './rds-non-production-multi-az-instance.js';

const defaults = rdsNonProductionMultiAzInstance.options.parse({});

function evaluate(resource: RdsInstance, options: Partial<typeof defaults> = {}) {
  return rdsNonProductionMultiAzInstance.evaluate({ resource, metrics: undefined, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

describe('rds-non-production-multi-az-instance', () => {
  it('prices the standby: instance hours and storage', () => {
    const finding = evaluate(database({ multiAz: true, tags: { env: 'staging' }, storageType: 'gp2', allocatedStorageGiB: 100 }));
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(0.178 * 730 + 100 * 0.115, 6),
      priceConfidence: 'estimated',
      risk: 'low',
      action: { type: 'rds.modify-db-instance', params: { multiAZ: false } },
      evidence: expect.objectContaining({ environmentTag: 'env=staging' }),
    });
    expect(finding?.reason).toBe('Tagged env=staging yet Multi-AZ: the standby costs $141.44/month');
  });

  it('needs a non-production tag, and leaves production and untagged databases alone', () => {
    expect(evaluate(database({ multiAz: true, tags: { Environment: 'DEV' } }))).not.toBeNull();
    expect(evaluate(database({ multiAz: true, tags: { env: 'prod' } }))).toBeNull();
    expect(evaluate(database({ multiAz: true, tags: {} }))).toBeNull();
    expect(evaluate(database({ multiAz: true, tags: { env: 'dev', stage: 'production' } }))).toBeNull();
    expect(evaluate(database({ multiAz: true, tags: { tier: 'scratch' } }), { nonProductionTagKeys: ['tier'], nonProductionTagValues: ['scratch'] })).not.toBeNull();
  });

  it('ignores single-AZ, Aurora and unavailable instances', () => {
    expect(evaluate(database({ multiAz: false }))).toBeNull();
    expect(evaluate(database({ multiAz: true, engine: 'aurora-postgresql' }))).toBeNull();
    expect(evaluate(database({ multiAz: true, status: 'modifying' }))).toBeNull();
  });
});
