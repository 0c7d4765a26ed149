// ebs-unattached-volume: state, age threshold, snapshot netting, production risk and price fallbacks.
import type { EbsVolume } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, daysAgo, prices, volume } from '../test-fixtures.js';
import { ebsUnattachedVolume } from './ebs-unattached-volume.js';

const defaults = ebsUnattachedVolume.options.parse({});

function evaluate(resource: EbsVolume, options: Partial<typeof defaults> = {}, firstSeen?: string) {
  return ebsUnattachedVolume.evaluate({
    resource,
    metrics: undefined,
    options: { ...defaults, ...options },
    prices,
    now: NOW,
    context: context({ firstSeen: (r, checkId) => (r.id === resource.id && checkId === 'ebs-unattached-volume' ? firstSeen : undefined) }),
  });
}

describe('ebs-unattached-volume', () => {
  it('finds an available volume, saving its price net of a final snapshot', () => {
    const finding = evaluate(volume());
    expect(finding).toEqual({
      monthlySavingsUsd: expect.closeTo(10 - 5, 6),
      priceConfidence: 'exact',
      risk: 'low',
      confidence: 1,
      action: {
        type: 'ebs.delete-volume',
        description: 'Snapshot the volume, then delete it.',
        params: { volumeId: 'vol-0bbbbbbbbbbbbbbb1', snapshotFirst: true },
      },
      reason: 'Volume is attached to nothing: 100 GiB gp2 created 45 days ago, billed $10.00/month',
      evidence: expect.objectContaining({
        sizeGiB: 100,
        volumeType: 'gp2',
        createTime: daysAgo(45),
        ageDays: 45,
        volumeMonthlyUsd: 10,
        snapshotMonthlyUsd: 5,
        snapshotFirst: true,
      }),
    });
  });

  it('saves the whole price when no snapshot is taken', () => {
    const finding = evaluate(volume(), { snapshotBeforeDelete: false });
    expect(finding?.monthlySavingsUsd).toBeCloseTo(10, 6);
    expect(finding?.action).toMatchObject({ description: 'Delete the volume.', params: { snapshotFirst: false } });
  });

  it('ignores volumes that are not available', () => {
    for (const state of ['in-use', 'creating', 'deleting', 'error']) {
      expect(evaluate(volume({ state, attachments: [{ instanceId: 'i-1', state: 'attached' }] })), state).toBeNull();
    }
  });

  it('skips volumes younger than minAgeDays', () => {
    expect(evaluate(volume({ createTime: daysAgo(7) }))).not.toBeNull();
    expect(evaluate(volume({ createTime: daysAgo(6.99) }))).toBeNull();
    expect(evaluate(volume({ createTime: daysAgo(1) }), { minAgeDays: 0 })).not.toBeNull();
  });

  it('treats an unparsable creation time as old', () => {
    const finding = evaluate(volume({ createTime: 'unknown' }));
    expect(finding?.evidence.ageDays).toBeNull();
    expect(finding?.reason).toContain('created at an unknown date');
  });

  it('makes no finding when a final snapshot costs as much as the volume', () => {
    const cold = volume({ volumeType: 'sc1', sizeGiB: 500, iops: undefined });
    expect(evaluate(cold)).toBeNull();
    expect(evaluate(cold, { snapshotBeforeDelete: false })?.monthlySavingsUsd).toBeCloseTo(7.5, 6);
  });

  it('counts provisioned gp3 IOPS and throughput above the included amounts', () => {
    const finding = evaluate(volume({ volumeType: 'gp3', sizeGiB: 100, iops: 6000, throughputMiBps: 250 }));
    expect(finding?.monthlySavingsUsd).toBeCloseTo(8 + 3000 * 0.005 + 125 * 0.04 - 5, 6);
  });

  it('counts "unattached for N days" from the platform\'s first sighting', () => {
    expect(ebsUnattachedVolume.condition?.(volume())).toBe(true);
    expect(ebsUnattachedVolume.condition?.(volume({ state: 'in-use' }))).toBe(false);
    const seen = evaluate(volume(), {}, daysAgo(20));
    expect(seen?.evidence).toMatchObject({ unattachedSince: daysAgo(20), unattachedDays: 20 });
    expect(seen?.reason).toContain('unattached for at least 20 days');
    expect(evaluate(volume(), { minUnattachedDays: 20 }, daysAgo(20))).not.toBeNull();
    expect(evaluate(volume(), { minUnattachedDays: 21 }, daysAgo(20))).toBeNull();
    // First seen in this scan: 0 days so far.
    expect(evaluate(volume(), { minUnattachedDays: 1 })).toBeNull();
    expect(evaluate(volume())?.evidence).toMatchObject({ unattachedSince: null, unattachedDays: 0 });
  });

  it('raises the risk for production tags', () => {
    expect(evaluate(volume({ tags: { environment: 'production' } }))?.risk).toBe('medium');
    expect(evaluate(volume({ tags: { environment: 'dev' } }))?.risk).toBe('low');
  });

  it('marks prices outside the reference region or for magnetic volumes estimated', () => {
    expect(evaluate(volume({ region: 'eu-central-1' }))?.priceConfidence).toBe('estimated');
    const magnetic = evaluate(volume({ volumeType: 'standard' }), { snapshotBeforeDelete: false });
    expect(magnetic?.priceConfidence).toBe('estimated');
    expect(magnetic?.monthlySavingsUsd).toBeGreaterThan(0);
  });
});
