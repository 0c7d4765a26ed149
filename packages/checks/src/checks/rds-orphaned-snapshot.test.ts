// rds-orphaned-snapshot: manual DB snapshots whose instance is gone.
import type { RdsSnapshot } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, daysAgo, dbSnapshot, prices } from '../test-fixtures.js';
import { rdsOrphanedSnapshot } from './rds-orphaned-snapshot.js';

const defaults = rdsOrphanedSnapshot.options.parse({});

function evaluate(resource: RdsSnapshot, options: Partial<typeof defaults> = {}) {
  return rdsOrphanedSnapshot.evaluate({ resource, metrics: undefined, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const orphan = dbSnapshot({ sourceInstanceExists: false, snapshotCreateTime: daysAgo(5), allocatedStorageGiB: 20 });

describe('rds-orphaned-snapshot', () => {
  it('finds a snapshot of a deleted DB instance', () => {
    expect(evaluate(orphan)).toMatchObject({
      monthlySavingsUsd: expect.closeTo(20 * 0.05, 6),
      priceConfidence: 'estimated',
      risk: 'medium',
      evidence: expect.objectContaining({ sourceInstanceExists: false, ageDays: 5 }),
    });
    expect(evaluate(dbSnapshot())).toBeNull();
  });

  it('skips snapshots younger than minAgeDays', () => {
    expect(evaluate(orphan, { minAgeDays: 5 })).not.toBeNull();
    expect(evaluate(orphan, { minAgeDays: 6 })).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate({ ...orphan, tags: { env: 'prod' } })?.risk).toBe('high');
  });
});
