// ec2-stopped-instance: the stop time from AWS or the platform's history, the 30-day limit, volume and address costs.
import type { EbsVolume, Ec2Instance, ElasticIp } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, address, context, daysAgo, instance, prices, volume } from '../test-fixtures.js';
import { ec2StoppedInstance } from './ec2-stopped-instance.js';

const defaults = ec2StoppedInstance.options.parse({});

const stopped = (overrides: Partial<Ec2Instance> = {}) =>
  instance({ state: 'stopped', stateChangedAt: daysAgo(45), volumeIds: ['vol-root', 'vol-data'], ...overrides });
const root = volume({ id: 'vol-root', volumeType: 'gp3', sizeGiB: 20, iops: 3000, throughputMiBps: 125, state: 'in-use', attachments: [{ instanceId: 'i-0123456789abcdef0', state: 'attached' }] });
const data = volume({ id: 'vol-data', volumeType: 'gp2', sizeGiB: 100, state: 'in-use', attachments: [{ instanceId: 'i-0123456789abcdef0', state: 'attached' }] });

function evaluate(
  resource: Ec2Instance,
  { volumes = [root, data], addresses = [], firstSeen, options = {} }: { volumes?: EbsVolume[]; addresses?: ElasticIp[]; firstSeen?: string; options?: Partial<typeof defaults> } = {},
) {
  return ec2StoppedInstance.evaluate({
    resource,
    metrics: undefined,
    options: { ...defaults, ...options },
    prices,
    now: NOW,
    context: context({
      volumesById: new Map(volumes.map((v) => [v.id, v])),
      addressesByInstanceId: new Map(addresses.length ? [[resource.id, addresses]] : []),
      firstSeen: (r, checkId) => (r.id === resource.id && checkId === 'ec2-stopped-instance' ? firstSeen : undefined),
    }),
  });
}

describe('ec2-stopped-instance', () => {
  it('prices the volumes net of the AMI snapshots, plus the Elastic IPs, and relates them', () => {
    const eip = address({ associationId: 'eipassoc-1', instanceId: 'i-0123456789abcdef0' });
    const finding = evaluate(stopped(), { addresses: [eip] });
    const volumes = 20 * 0.08 + 100 * 0.1;
    const snapshots = 120 * 0.05;
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(volumes - snapshots + 3.65, 6),
      priceConfidence: 'exact',
      risk: 'medium',
      action: { type: 'ec2.terminate-instance', params: { instanceId: 'i-0123456789abcdef0', createImageFirst: true, releaseAddresses: true } },
      relatedResourceIds: ['vol-root', 'vol-data', eip.allocationId],
      evidence: expect.objectContaining({ stoppedDays: 45, stoppedSinceSource: 'state-transition', volumeCount: 2, addressCount: 1 }),
    });
    expect(finding?.reason).toMatch(/^Stopped for 45 days \(since \d{4}-\d{2}-\d{2}, as AWS states\); its 2 EBS volume\(s\) and 1 Elastic IP\(s\) bill \$15\.25\/month$/);
    expect(evaluate(stopped(), { options: { createImageFirst: false } })?.monthlySavingsUsd).toBeCloseTo(volumes, 6);
  });

  it('reports from minStoppedDays on', () => {
    expect(evaluate(stopped({ stateChangedAt: daysAgo(30) }))).not.toBeNull();
    expect(evaluate(stopped({ stateChangedAt: daysAgo(29.9) }))).toBeNull();
    expect(evaluate(stopped({ stateChangedAt: daysAgo(3) }), { options: { minStoppedDays: 2 } })).not.toBeNull();
  });

  it('falls back to when the platform first saw it stopped, else to this scan', () => {
    const silent = stopped({ stateChangedAt: undefined, stateTransitionReason: 'Server.SpotInstanceTermination' });
    expect(evaluate(silent)).toBeNull();
    const finding = evaluate(silent, { firstSeen: daysAgo(40) });
    expect(finding?.evidence).toMatchObject({ stoppedSinceSource: 'first-seen', stoppedDays: 40 });
    expect(finding?.reason).toContain('first seen stopped');
    expect(evaluate(silent, { firstSeen: daysAgo(10) })).toBeNull();
  });

  it('declares the stopped state as its timed condition', () => {
    expect(ec2StoppedInstance.condition?.(stopped())).toBe(true);
    expect(ec2StoppedInstance.condition?.(instance())).toBe(false);
  });

  it('finds volumes by their attachment when the instance does not list them', () => {
    const finding = evaluate(stopped({ volumeIds: [] }));
    expect(finding?.evidence.volumeCount).toBe(2);
  });

  it('ignores running instances and says nothing when deleting would save nothing', () => {
    expect(evaluate(instance({ stateChangedAt: daysAgo(90) }))).toBeNull();
    const cold = volume({ id: 'vol-cold', volumeType: 'sc1', sizeGiB: 500, state: 'in-use', attachments: [{ instanceId: 'i-0123456789abcdef0', state: 'attached' }] });
    expect(evaluate(stopped({ volumeIds: ['vol-cold'] }), { volumes: [cold] })).toBeNull();
  });

  it('raises the risk for production and marks estimated prices', () => {
    expect(evaluate(stopped({ tags: { env: 'production' } }))?.risk).toBe('high');
    expect(evaluate(stopped({ region: 'eu-west-1' }), { volumes: [{ ...root, region: 'eu-west-1' }] })?.priceConfidence).toBe('estimated');
  });
});
