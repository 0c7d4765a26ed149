// ebs-idle-volume: every day of the week under maxOpsPerDay, days missing (stopped instance), deletion priced.
import type { EbsVolume, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, dailySum, metricsOf, prices, volume } from '../test-fixtures.js';
import { ebsIdleVolume } from './ebs-idle-volume.js';

const defaults = ebsIdleVolume.options.parse({});

function evaluate(resource: EbsVolume, metrics: ResourceMetrics | undefined, options: Partial<typeof defaults> = {}) {
  return ebsIdleVolume.evaluate({ resource, metrics, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const attached = volume({ state: 'in-use', attachments: [{ instanceId: 'i-1', state: 'attached' }] });
/** Daily read and write totals for the last `reads.length` days, ending today. */
const io = (reads: number[], writes = reads.map(() => 0)) =>
  metricsOf(attached.id, 'ebs-volume', { ebsReadOps: dailySum(reads), ebsWriteOps: dailySum(writes) });

describe('ebs-idle-volume', () => {
  it('finds a volume with no I/O on any of the last 7 days, priced net of a snapshot', () => {
    const finding = evaluate(attached, io([0, 0, 0, 0, 0, 0, 0, 0]));
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(10 - 5, 6),
      risk: 'medium',
      action: { type: 'ebs.delete-volume', params: { volumeId: attached.id, detachFirst: true, snapshotFirst: true } },
      evidence: expect.objectContaining({ maxDailyOps: 0, daysJudged: 8, attachedTo: 'i-1' }),
    });
  });

  it('adds reads and writes per day against maxOpsPerDay', () => {
    expect(evaluate(attached, io([0, 0, 0, 0, 0, 0, 0, 0.5], [0, 0, 0, 0, 0, 0, 0, 0.49]))).not.toBeNull();
    expect(evaluate(attached, io([0, 0, 0, 0, 0, 0, 0, 0.5], [0, 0, 0, 0, 0, 0, 0, 0.5]))).toBeNull();
    expect(evaluate(attached, io([90, 90, 90, 90, 90, 90, 90, 90]), { maxOpsPerDay: 100 })).not.toBeNull();
  });

  it('needs data for each day: a stopped instance publishes nothing', () => {
    expect(evaluate(attached, io([0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(evaluate(attached, io([0, 0, 0, 0, 0, 0, 0]))).not.toBeNull();
    expect(evaluate(attached, undefined)).toBeNull();
    expect(evaluate(attached, metricsOf(attached.id, 'ebs-volume', { ebsReadOps: null, ebsWriteOps: null }))).toBeNull();
  });

  it('only judges attached volumes; old busy days outside the week do not count', () => {
    expect(evaluate(volume(), io([0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(evaluate(attached, io([9e6, 9e6, 0, 0, 0, 0, 0, 0, 0, 0]))).not.toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate(volume({ ...attached, tags: { env: 'prod' } }), io([0, 0, 0, 0, 0, 0, 0, 0]))?.risk).toBe('high');
  });
});
