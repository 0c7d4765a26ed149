// rds-old-snapshot: manual DB snapshots past 90 days, priced as an estimate.
import type { RdsSnapshot } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, daysAgo, dbSnapshot, prices } from '../test-fixtures.js';
import { rdsOldSnapshot } from './rds-old-snapshot.js';

const defaults = rdsOldSnapshot.options.parse({});

function evaluate(resource: RdsSnapshot, options: Partial<typeof defaults> = {}) {
  return rdsOldSnapshot.evaluate({ resource, metrics: undefined, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

describe('rds-old-snapshot', () => {
  it('finds a manual snapshot older than 90 days', () => {
    const finding = evaluate(dbSnapshot());
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(100 * 0.05, 6),
      priceConfidence: 'estimated',
      risk: 'medium',
      action: { type: 'rds.delete-db-snapshot', params: { dbSnapshotIdentifier: 'orders-db-pre-upgrade-2026-01-01' } },
      evidence: expect.objectContaining({ ageDays: 120, allocatedStorageGiB: 100 }),
    });
  });

  it('reports strictly older than maxAgeDays, never an unknown age', () => {
    expect(evaluate(dbSnapshot({ snapshotCreateTime: daysAgo(90) }))).toBeNull();
    expect(evaluate(dbSnapshot({ snapshotCreateTime: daysAgo(90.01) }))).not.toBeNull();
    expect(evaluate(dbSnapshot({ snapshotCreateTime: daysAgo(40) }), { maxAgeDays: 30 })).not.toBeNull();
    expect(evaluate(dbSnapshot({ snapshotCreateTime: 'soon' }))).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate(dbSnapshot({ tags: { env: 'prod' } }))?.risk).toBe('high');
  });
});
