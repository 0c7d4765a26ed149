// ebs-old-snapshot: the age limit at and just past 90 days, AMI-backed snapshots, tiers and unknown times.
import type { EbsSnapshot } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, daysAgo, prices, snapshot } from '../test-fixtures.js';
import { ebsOldSnapshot } from './ebs-old-snapshot.js';

const defaults = ebsOldSnapshot.options.parse({});

function evaluate(resource: EbsSnapshot, options: Partial<typeof defaults> = {}) {
  return ebsOldSnapshot.evaluate({ resource, metrics: undefined, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

describe('ebs-old-snapshot', () => {
  it('finds a snapshot older than 90 days, priced at its full size as an estimate', () => {
    const finding = evaluate(snapshot());
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(100 * 0.05, 6),
      priceConfidence: 'estimated',
      risk: 'medium',
      action: { type: 'ebs.delete-snapshot', params: { snapshotId: 'snap-0ddddddddddddddd1', deregisterImages: '' } },
      evidence: expect.objectContaining({ ageDays: 120, volumeSizeGiB: 100 }),
    });
    expect(finding?.reason).toBe('Snapshot is 120 days old (over 90): 100 GiB standard, up to $5.00/month');
  });

  it('reports strictly older than maxAgeDays', () => {
    expect(evaluate(snapshot({ startTime: daysAgo(90) }))).toBeNull();
    expect(evaluate(snapshot({ startTime: daysAgo(90.01) }))).not.toBeNull();
    expect(evaluate(snapshot({ startTime: daysAgo(31) }), { maxAgeDays: 30 })).not.toBeNull();
    expect(evaluate(snapshot({ startTime: 'unknown' }))).toBeNull();
  });

  it('says to deregister the AMIs first, at high risk', () => {
    const finding = evaluate(snapshot({ usedByImages: ['ami-1', 'ami-2'] }));
    expect(finding?.risk).toBe('high');
    expect(finding?.action.params.deregisterImages).toBe('ami-1,ami-2');
    expect(finding?.action.description).toMatch(/^Deregister ami-1, ami-2/);
  });

  it('prices the archive tier at its own rate and raises the risk for production', () => {
    expect(evaluate(snapshot({ storageTier: 'archive' }))?.monthlySavingsUsd).toBeCloseTo(100 * 0.0125, 6);
    expect(evaluate(snapshot({ tags: { env: 'prod' } }))?.risk).toBe('high');
  });
});
