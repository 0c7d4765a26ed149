// ebs-orphaned-snapshot: source volume gone and no AMI, the age option, pricing.
import type { EbsSnapshot } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, daysAgo, prices, snapshot } from '../test-fixtures.js';
import { ebsOrphanedSnapshot } from './ebs-orphaned-snapshot.js';

const defaults = ebsOrphanedSnapshot.options.parse({});

function evaluate(resource: EbsSnapshot, options: Partial<typeof defaults> = {}) {
  return ebsOrphanedSnapshot.evaluate({ resource, metrics: undefined, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const orphan = snapshot({ sourceVolumeExists: false, startTime: daysAgo(10), volumeSizeGiB: 50 });

describe('ebs-orphaned-snapshot', () => {
  it('finds a snapshot whose volume is gone and that no AMI uses', () => {
    const finding = evaluate(orphan);
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(50 * 0.05, 6),
      priceConfidence: 'estimated',
      risk: 'medium',
      action: { type: 'ebs.delete-snapshot' },
      evidence: expect.objectContaining({ sourceVolumeExists: false, usedByImages: '', ageDays: 10 }),
    });
    expect(finding?.reason).toBe('Source volume vol-0bbbbbbbbbbbbbbb1 no longer exists and no AMI uses the snapshot: 50 GiB, up to $2.50/month');
  });

  it('ignores snapshots of live volumes and those an AMI uses', () => {
    expect(evaluate(snapshot({ sourceVolumeExists: true }))).toBeNull();
    expect(evaluate({ ...orphan, usedByImages: ['ami-1'] })).toBeNull();
  });

  it('skips snapshots younger than minAgeDays', () => {
    expect(evaluate(orphan, { minAgeDays: 10 })).not.toBeNull();
    expect(evaluate(orphan, { minAgeDays: 11 })).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate({ ...orphan, tags: { environment: 'production' } })?.risk).toBe('high');
  });
});
