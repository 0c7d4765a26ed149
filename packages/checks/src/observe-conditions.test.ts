// observeConditions: every timed condition that holds, for enabled and disabled checks alike.
import { describe, expect, it } from 'vitest';
import { defineCheck } from './check.js';
import { ebsUnattachedVolume } from './checks/ebs-unattached-volume.js';
import { ec2IdleInstance } from './checks/ec2-idle-instance.js';
import { ec2StoppedInstance } from './checks/ec2-stopped-instance.js';
import { observeConditions } from './observe-conditions.js';
import { fingerprintOf } from './run-checks.js';
import { instance, volume } from './test-fixtures.js';
import { z } from 'zod';

describe('observeConditions', () => {
  const stopped = instance({ id: 'i-stopped', state: 'stopped' });
  const running = instance({ id: 'i-running' });
  const unattached = volume({ id: 'vol-free' });
  const attached = volume({ id: 'vol-used', state: 'in-use' });
  const resources = [stopped, running, unattached, attached];

  it('lists where each check\'s condition holds, with its fingerprint', () => {
    expect(observeConditions(resources)).toEqual([
      { id: fingerprintOf(stopped, 'ec2-stopped-instance'), checkId: 'ec2-stopped-instance', resourceId: 'i-stopped', resourceKind: 'ec2-instance' },
      { id: fingerprintOf(unattached, 'ebs-unattached-volume'), checkId: 'ebs-unattached-volume', resourceId: 'vol-free', resourceKind: 'ebs-volume' },
    ]);
  });

  it('ignores checks without a condition and conditions that throw', () => {
    const broken = defineCheck({
      id: 'ebs-broken-volume',
      title: 'Broken',
      description: 'Its condition throws.',
      resourceKind: 'ebs-volume',
      metrics: [],
      lookback: 'none',
      permissions: ['ec2:DescribeVolumes'],
      options: z.strictObject({}),
      condition: () => {
        throw new Error('bug');
      },
      evaluate: () => null,
    });
    expect(observeConditions(resources, [ec2IdleInstance, broken])).toEqual([]);
    expect(observeConditions(resources, [ebsUnattachedVolume, ec2StoppedInstance]).map((o) => o.resourceId)).toEqual(['vol-free', 'i-stopped']);
  });
});
