// ebs-gp2-volume: the gp3 equivalent keeps gp2's baseline at every size boundary, and the difference is priced.
import type { EbsVolume } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, prices, volume } from '../test-fixtures.js';
import { ebsGp2Volume, gp2Baseline } from './ebs-gp2-volume.js';

const defaults = ebsGp2Volume.options.parse({});

function evaluate(resource: EbsVolume) {
  return ebsGp2Volume.evaluate({ resource, metrics: undefined, options: defaults, prices, now: NOW, context: context() });
}

describe('ebs-gp2-volume', () => {
  it('prices gp2 against a gp3 with the same baseline', () => {
    const finding = evaluate(volume({ sizeGiB: 100 }));
    // 100 GiB: 300 IOPS and 128 MiB/s on gp2 → gp3 with 3,000 IOPS (included) and 128 MiB/s (3 above 125).
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(10 - (8 + 3 * 0.04), 6),
      priceConfidence: 'exact',
      risk: 'low',
      action: { type: 'ebs.modify-volume', params: { volumeId: 'vol-0bbbbbbbbbbbbbbb1', volumeType: 'gp3', iops: 3000, throughputMiBps: 128 } },
      evidence: expect.objectContaining({ gp2BaselineIops: 300, gp3Iops: 3000, gp3ThroughputMiBps: 128 }),
    });
  });

  it('keeps the baseline at the size boundaries', () => {
    expect(gp2Baseline(10)).toEqual({ iops: 100, throughputMiBps: 128 });
    expect(gp2Baseline(333)).toEqual({ iops: 999, throughputMiBps: 128 });
    expect(gp2Baseline(334)).toEqual({ iops: 1002, throughputMiBps: 250 });
    expect(gp2Baseline(1000)).toEqual({ iops: 3000, throughputMiBps: 250 });
    expect(gp2Baseline(1001)).toEqual({ iops: 3003, throughputMiBps: 250 });
    expect(gp2Baseline(6000)).toEqual({ iops: 16000, throughputMiBps: 250 });
    // Above 1,000 GiB the baseline passes gp3's included IOPS and is paid for.
    const big = evaluate(volume({ sizeGiB: 2000 }));
    expect(big?.action.params.iops).toBe(6000);
    expect(big?.monthlySavingsUsd).toBeCloseTo(200 - (160 + 3000 * 0.005 + 125 * 0.04), 6);
  });

  it('makes no finding for tiny volumes, where gp3\'s throughput above 125 MiB/s costs more than it saves', () => {
    expect(evaluate(volume({ sizeGiB: 6 }))).toBeNull();
    expect(evaluate(volume({ sizeGiB: 7 }))?.monthlySavingsUsd).toBeCloseTo(0.7 - (0.56 + 0.12), 6);
  });

  it('ignores other types and unattached volumes count too', () => {
    for (const volumeType of ['gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const) expect(evaluate(volume({ volumeType })), volumeType).toBeNull();
    expect(evaluate(volume({ state: 'available' }))).not.toBeNull();
  });

  it('raises the risk for production and marks other regions estimated', () => {
    expect(evaluate(volume({ tags: { env: 'prod' } }))?.risk).toBe('medium');
    expect(evaluate(volume({ region: 'eu-west-1' }))?.priceConfidence).toBe('estimated');
  });
});
