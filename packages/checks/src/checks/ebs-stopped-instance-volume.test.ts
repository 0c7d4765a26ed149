// ebs-stopped-instance-volume: every attached instance stopped long enough, by AWS's time or the platform's history.
import type { EbsVolume, Ec2Instance } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, daysAgo, instance, prices, volume } from '../test-fixtures.js';
import { ebsStoppedInstanceVolume } from './ebs-stopped-instance-volume.js';

const defaults = ebsStoppedInstanceVolume.options.parse({});

function evaluate(resource: EbsVolume, instances: Ec2Instance[], firstSeen: Record<string, string> = {}) {
  return ebsStoppedInstanceVolume.evaluate({
    resource,
    metrics: undefined,
    options: defaults,
    prices,
    now: NOW,
    context: context({
      instancesById: new Map(instances.map((i) => [i.id, i])),
      firstSeen: (r, checkId) => (checkId === 'ec2-stopped-instance' ? firstSeen[r.id] : undefined),
    }),
  });
}

const host = (id: string, overrides: Partial<Ec2Instance> = {}) => instance({ id, state: 'stopped', stateChangedAt: daysAgo(60), ...overrides });
const on = (...ids: string[]) => volume({ state: 'in-use', attachments: ids.map((instanceId) => ({ instanceId, state: 'attached' })) });

describe('ebs-stopped-instance-volume', () => {
  it('finds a volume of an instance stopped for 30 days or more, priced net of a snapshot', () => {
    const finding = evaluate(on('i-a'), [host('i-a')]);
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(10 - 5, 6),
      risk: 'medium',
      action: { type: 'ebs.delete-volume', params: { detachFirst: true, snapshotFirst: true } },
      evidence: expect.objectContaining({ instanceIds: 'i-a', stoppedDays: 60 }),
    });
    expect(evaluate(on('i-a'), [host('i-a', { stateChangedAt: daysAgo(30) })])).not.toBeNull();
    expect(evaluate(on('i-a'), [host('i-a', { stateChangedAt: daysAgo(29.9) })])).toBeNull();
  });

  it('needs every attached instance stopped, and known', () => {
    expect(evaluate(on('i-a', 'i-b'), [host('i-a'), host('i-b', { state: 'running' })])).toBeNull();
    expect(evaluate(on('i-a', 'i-b'), [host('i-a')])).toBeNull();
    expect(evaluate(on('i-a', 'i-b'), [host('i-a'), host('i-b', { stateChangedAt: daysAgo(40) })])?.evidence.stoppedDays).toBe(40);
    expect(evaluate(volume(), [])).toBeNull();
  });

  it('uses the platform\'s first sighting when AWS gives no stop time', () => {
    const silent = host('i-a', { stateChangedAt: undefined });
    expect(evaluate(on('i-a'), [silent])).toBeNull();
    expect(evaluate(on('i-a'), [silent], { 'i-a': daysAgo(31) })?.evidence.stoppedDays).toBe(31);
  });

  it('raises the risk for production', () => {
    expect(evaluate({ ...on('i-a'), tags: { env: 'production' } }, [host('i-a')])?.risk).toBe('high');
  });
});
