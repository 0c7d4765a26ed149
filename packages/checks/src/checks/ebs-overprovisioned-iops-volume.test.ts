// ebs-overprovisioned-iops-volume: peak use against provisioned IOPS at the limit, gp3 sizing, missing data.
import type { EbsVolume, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, metricsOf, prices, summary, volume } from '../test-fixtures.js';
import { ebsOverprovisionedIopsVolume } from './ebs-overprovisioned-iops-volume.js';

const defaults = ebsOverprovisionedIopsVolume.options.parse({});

function evaluate(resource: EbsVolume, metrics: ResourceMetrics | undefined, options: Partial<typeof defaults> = {}) {
  return ebsOverprovisionedIopsVolume.evaluate({ resource, metrics, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const io1 = volume({ volumeType: 'io1', sizeGiB: 100, iops: 4000, state: 'in-use', attachments: [{ instanceId: 'i-1', state: 'attached' }] });
/** Hourly Sum summaries whose busiest hours add up to `peakIops`, split evenly between reads and writes. */
const ops = (resource: EbsVolume, peakIops: number, datapoints = 336) =>
  metricsOf(resource.id, 'ebs-volume', {
    ebsReadOps: summary({ stat: 'Sum', max: (peakIops * 3600) / 2, datapoints }),
    ebsWriteOps: summary({ stat: 'Sum', max: (peakIops * 3600) / 2, datapoints }),
  });

describe('ebs-overprovisioned-iops-volume', () => {
  it('moves a lightly used io1 volume to gp3 with the included IOPS', () => {
    const finding = evaluate(io1, ops(io1, 40));
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(100 * 0.125 + 4000 * 0.065 - 100 * 0.08, 6),
      priceConfidence: 'exact',
      risk: 'medium',
      confidence: 1,
      action: { type: 'ebs.modify-volume', params: { volumeType: 'gp3', iops: 3000, throughputMiBps: 125 } },
      evidence: expect.objectContaining({ provisionedIops: 4000, peakIops: 40, iopsUsePercent: 1 }),
    });
  });

  it('reports at maxIopsUsePercent of the provisioned IOPS, not above', () => {
    expect(evaluate(io1, ops(io1, 2000))).not.toBeNull();
    expect(evaluate(io1, ops(io1, 2001))).toBeNull();
  });

  it('provisions the peak plus headroom when that passes the included IOPS, within gp3\'s limit', () => {
    const busy = volume({ ...io1, iops: 20_000 });
    expect(evaluate(busy, ops(busy, 4000))?.action.params.iops).toBe(6000);
    const huge = volume({ ...io1, volumeType: 'io2', iops: 64_000 });
    expect(evaluate(huge, ops(huge, 12_000))).toBeNull();
    expect(evaluate(huge, ops(huge, 12_000), { maxGp3Iops: 80_000 })?.action.params.iops).toBe(18_000);
  });

  it('makes no finding without data for reads or writes, or without provisioned IOPS', () => {
    expect(evaluate(io1, undefined)).toBeNull();
    expect(evaluate(io1, metricsOf(io1.id, 'ebs-volume', { ebsReadOps: null, ebsWriteOps: summary({ stat: 'Sum' }) }))).toBeNull();
    const unknown = volume({ ...io1, iops: undefined });
    expect(evaluate(unknown, ops(unknown, 10))).toBeNull();
  });

  it('judges partial data with lower confidence', () => {
    expect(evaluate(io1, ops(io1, 40, 84))?.confidence).toBe(0.25);
  });

  it('ignores gp2, gp3 and throughput volumes', () => {
    for (const volumeType of ['gp2', 'gp3', 'st1', 'sc1'] as const) {
      const other = volume({ ...io1, volumeType });
      expect(evaluate(other, ops(other, 1)), volumeType).toBeNull();
    }
  });

  it('raises the risk for production', () => {
    const prod = volume({ ...io1, tags: { env: 'prod' } });
    expect(evaluate(prod, ops(prod, 40))?.risk).toBe('high');
  });
});
