// rds-gp2-storage-instance: the gp3 equivalent keeps the gp2 baseline; same-price moves are $0 findings.
import type { RdsInstance } from '@finops/core';
import { loadPriceTable } from '@finops/pricing';
import { describe, expect, it } from 'vitest';
import { NOW, context, database, prices } from '../test-fixtures.js';
import { rdsGp2StorageInstance } from './rds-gp2-storage-instance.js';

const defaults = rdsGp2StorageInstance.options.parse({});

function evaluate(resource: RdsInstance, table = prices) {
  return rdsGp2StorageInstance.evaluate({ resource, metrics: undefined, options: defaults, prices: table, now: NOW, context: context() });
}

describe('rds-gp2-storage-instance', () => {
  it('recommends gp3 at the same price with the baseline kept, saying why', () => {
    const finding = evaluate(database({ storageType: 'gp2', allocatedStorageGiB: 100 }));
    expect(finding).toMatchObject({
      monthlySavingsUsd: 0,
      risk: 'low',
      action: { type: 'rds.modify-db-instance', params: { storageType: 'gp3', iops: 3000 } },
      evidence: expect.objectContaining({ gp2BaselineIops: 300, gp3Iops: 3000 }),
    });
    expect(finding?.reason).toContain('costs the same as gp3');
  });

  it('prices a difference when gp3 storage is cheaper', () => {
    const cheaper = loadPriceTable({ rds: { storage: { types: { gp3: { gbMonth: 0.1, includedIops: 3000, iopsMonth: 0.02 } } } } });
    const finding = evaluate(database({ storageType: 'gp2', allocatedStorageGiB: 200, multiAz: true }), cheaper);
    expect(finding?.monthlySavingsUsd).toBeCloseTo((0.115 - 0.1) * 200 * 2, 6);
    expect(finding?.reason).toContain('gp3 with the same 3000 IOPS');
  });

  it('makes no finding when keeping a large baseline on gp3 would cost more', () => {
    // 2,000 GiB of gp2 has 6,000 IOPS: 3,000 above gp3's included IOPS.
    expect(evaluate(database({ storageType: 'gp2', allocatedStorageGiB: 1000 }))?.monthlySavingsUsd).toBe(0);
    expect(evaluate(database({ storageType: 'gp2', allocatedStorageGiB: 2000 }))).toBeNull();
  });

  it('ignores other storage types and unavailable instances; raises the risk for production', () => {
    expect(evaluate(database({ storageType: 'gp3' }))).toBeNull();
    expect(evaluate(database({ storageType: 'io1' }))).toBeNull();
    expect(evaluate(database({ storageType: 'gp2', status: 'stopped' }))).toBeNull();
    expect(evaluate(database({ storageType: 'gp2', tags: { env: 'prod' } }))?.risk).toBe('medium');
  });
});
