// runChecks: options from config, error isolation, suppression, filters, rounding and stable fingerprints.
import { createHash } from 'node:crypto';
import type { ConfigInput, Resource } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCheck } from './check.js';
import { ebsUnattachedVolume } from './checks/ebs-unattached-volume.js';
import { ec2IdleInstance } from './checks/ec2-idle-instance.js';
import { ec2StoppedInstance } from './checks/ec2-stopped-instance.js';
import { eipUnassociatedAddress } from './checks/eip-unassociated-address.js';
import { lambdaHighErrorRateFunction } from './checks/lambda-high-error-rate-function.js';
import { fingerprintOf, runChecks } from './run-checks.js';
import {
  NOW,
  address,
  config,
  dailySum,
  daysAgo,
  days,
  instance,
  instanceMetrics,
  lambdaFunction,
  metricsOf,
  prices,
  volume,
} from './test-fixtures.js';

/** The first three checks: enough to exercise the runner without depending on the whole registry. */
const CHECKS = [ec2IdleInstance, ebsUnattachedVolume, eipUnassociatedAddress];

const idleInstance = instance();
const busyInstance = instance({ id: 'i-0busy000000000001' });
const resources: Resource[] = [idleInstance, busyInstance, volume(), address()];
const metrics = [
  instanceMetrics(idleInstance.id, { cpuP99: 1.8, dailyInBytes: days(14, 200_000), dailyOutBytes: days(14, 200_000) }),
  instanceMetrics(busyInstance.id, { cpuP99: 60, dailyInBytes: days(14, 9e9), dailyOutBytes: days(14, 9e9) }),
];

function run(input: ConfigInput = {}, overrides: Partial<Parameters<typeof runChecks>[0]> = {}) {
  return runChecks({ resources, metrics, prices, config: config(input), now: NOW, checks: CHECKS, ...overrides });
}

describe('runChecks', () => {
  it('runs every check over resources of its kind', () => {
    const { recommendations, errors } = run();
    expect(errors).toEqual([]);
    expect(recommendations.map((r) => [r.checkId, r.resourceId])).toEqual([
      ['ec2-idle-instance', idleInstance.id],
      ['ebs-unattached-volume', 'vol-0bbbbbbbbbbbbbbb1'],
      ['eip-unassociated-address', 'eipalloc-0ccccccccccccccc1'],
    ]);
    const ec2 = recommendations[0];
    expect(ec2).toMatchObject({
      resourceKind: 'ec2-instance',
      resourceName: 'batch-worker-1',
      accountId: '111111111111',
      region: 'us-east-1',
      status: 'open',
      monthlySavingsUsd: 70.08,
      risk: 'medium',
      confidence: 1,
      priceConfidence: 'exact',
      tags: idleInstance.tags,
    });
  });

  it('gives stable fingerprints: rec_ + 16 hex of sha256(account|region|resource|check)', () => {
    const first = run().recommendations;
    const expected = `rec_${createHash('sha256')
      .update(`111111111111|us-east-1|${idleInstance.id}|ec2-idle-instance`)
      .digest('hex')
      .slice(0, 16)}`;
    expect(first[0]?.id).toBe(expected);
    expect(run().recommendations.map((r) => r.id)).toEqual(first.map((r) => r.id));
    const moved = runChecks({
      resources: [{ ...address(), region: 'eu-west-1' }],
      metrics: [],
      prices,
      config: config(),
      now: NOW,
      checks: CHECKS,
    });
    expect(moved.recommendations[0]?.id).not.toBe(first[2]?.id);
    for (const r of first) expect(r.id).toMatch(/^rec_[0-9a-f]{16}$/);
  });

  it('passes options from config, without `enabled`', () => {
    const strict = run({ checks: { 'ec2-idle-instance': { enabled: true, maxCpuP99Percent: 1 } } });
    expect(strict.errors).toEqual([]);
    expect(strict.recommendations.map((r) => r.checkId)).not.toContain('ec2-idle-instance');
  });

  it('skips a disabled check', () => {
    const { recommendations } = run({ checks: { 'eip-unassociated-address': { enabled: false } } });
    expect(recommendations.map((r) => r.checkId)).toEqual(['ec2-idle-instance', 'ebs-unattached-volume']);
  });

  it('records invalid options as an error of that check and runs the others', () => {
    const { recommendations, errors } = run({ checks: { 'ebs-unattached-volume': { minAgeDays: -1 } } });
    expect(errors).toEqual([
      { checkId: 'ebs-unattached-volume', resourceId: '*', message: expect.stringContaining('minAgeDays') },
    ]);
    expect(recommendations.map((r) => r.checkId)).toEqual(['ec2-idle-instance', 'eip-unassociated-address']);
  });

  it('isolates a check that throws on one resource', () => {
    const fragile = defineCheck({
      id: 'ebs-fragile-volume',
      title: 'Fragile',
      description: 'Throws on one volume.',
      resourceKind: 'ebs-volume',
      metrics: [],
      lookback: 'none',
      permissions: ['ec2:DescribeVolumes'],
      options: z.strictObject({}),
      evaluate({ resource }) {
        if (resource.id === 'vol-bad') throw new Error('cannot read sizeGiB');
        return {
          monthlySavingsUsd: 1,
          priceConfidence: 'exact',
          risk: 'low',
          confidence: 1,
          action: { type: 'ebs.delete-volume', description: 'Delete.', params: {} },
          reason: 'fragile',
          evidence: {},
        };
      },
    });
    const { recommendations, errors } = runChecks({
      resources: [volume({ id: 'vol-bad' }), volume({ id: 'vol-good' }), address()],
      metrics: [],
      prices,
      config: config(),
      now: NOW,
      checks: [fragile, ...CHECKS],
    });
    expect(errors).toEqual([{ checkId: 'ebs-fragile-volume', resourceId: 'vol-bad', message: 'cannot read sizeGiB' }]);
    expect(recommendations.map((r) => `${r.checkId}:${r.resourceId}`)).toEqual([
      'ebs-fragile-volume:vol-good',
      'ebs-unattached-volume:vol-bad',
      'ebs-unattached-volume:vol-good',
      'eip-unassociated-address:eipalloc-0ccccccccccccccc1',
    ]);
  });

  it('records a finding with invalid money as an error', () => {
    const broken = defineCheck({
      id: 'eip-broken-address',
      title: 'Broken',
      description: 'Returns NaN.',
      resourceKind: 'elastic-ip',
      metrics: [],
      lookback: 'none',
      permissions: ['ec2:DescribeAddresses'],
      options: z.strictObject({}),
      evaluate: () => ({
        monthlySavingsUsd: Number.NaN,
        priceConfidence: 'exact',
        risk: 'low',
        confidence: 1,
        action: { type: 'ec2.release-address', description: 'Release.', params: {} },
        reason: 'broken',
        evidence: {},
      }),
    });
    const { recommendations, errors } = run({}, { checks: [broken] });
    expect(recommendations).toEqual([]);
    expect(errors[0]?.message).toMatch(/invalid monthlySavingsUsd NaN/);
  });

  it('gives checks the instances of the run through context', () => {
    const seen: string[] = [];
    const spy = defineCheck({
      id: 'ebs-context-volume',
      title: 'Context',
      description: 'Reads the attached instance.',
      resourceKind: 'ebs-volume',
      reads: ['ec2-instance'],
      metrics: [],
      lookback: 'none',
      permissions: ['ec2:DescribeVolumes'],
      options: z.strictObject({}),
      evaluate({ resource, context }) {
        for (const attachment of resource.attachments) {
          seen.push(context.instancesById.get(attachment.instanceId)?.instanceType ?? 'missing');
        }
        return null;
      },
    });
    runChecks({
      resources: [volume({ state: 'in-use', attachments: [{ instanceId: idleInstance.id, state: 'attached' }] }), idleInstance],
      metrics: [],
      prices,
      config: config(),
      now: NOW,
      checks: [spy],
    });
    expect(seen).toEqual(['m5.large']);
  });

  it('suppresses by optimization.suppress rules, naming the rule', () => {
    const { recommendations } = run({
      optimization: {
        suppress: [
          { region: 'eu-west-1', reason: 'not ours' },
          { checkId: 'ebs-*', resourceId: 'vol-0bbb*', reason: 'scratch space, kept on purpose' },
          { accountId: '111111111111', checkId: 'eip-unassociated-address', reason: 'reserved for the launch' },
        ],
      },
    });
    expect(recommendations.map((r) => [r.checkId, r.status, r.suppression?.reason])).toEqual([
      ['ec2-idle-instance', 'open', undefined],
      ['ebs-unattached-volume', 'suppressed', 'optimization.suppress[1]: scratch space, kept on purpose'],
      ['eip-unassociated-address', 'suppressed', 'optimization.suppress[2]: reserved for the launch'],
    ]);
    expect(recommendations[1]?.suppression?.by).toBe('config');
  });

  it('lets a tag win over a config rule', () => {
    const { recommendations } = runChecks({
      resources: [volume({ tags: { 'finops:ignore': 'yes' } })],
      metrics: [],
      prices,
      config: config({ optimization: { suppress: [{ checkId: '*', reason: 'all' }] } }),
      now: NOW,
      checks: CHECKS,
    });
    expect(recommendations[0]?.suppression).toEqual({ by: 'tag', reason: 'tag finops:ignore' });
  });

  it('reads the platform\'s first sightings of timed conditions through context.firstSeen', () => {
    const stopped = instance({ id: 'i-0stopped00000001', state: 'stopped', stateChangedAt: undefined, volumeIds: ['vol-of-stopped'] });
    const root = volume({ id: 'vol-of-stopped', state: 'in-use', attachments: [{ instanceId: stopped.id, state: 'attached' }] });
    const unattached = volume();
    const input = { resources: [stopped, root, unattached, idleInstance], metrics: [], prices, now: NOW, checks: [ec2StoppedInstance, ebsUnattachedVolume] };
    // Without a history, "stopped since first seen" is today: nothing to report yet.
    expect(runChecks({ ...input, config: config() }).recommendations.map((r) => r.checkId)).toEqual(['ebs-unattached-volume']);
    const firstSeen = new Map([[fingerprintOf(stopped, 'ec2-stopped-instance'), daysAgo(31)]]);
    const later = runChecks({ ...input, config: config(), firstSeen });
    expect(later.recommendations.map((r) => r.checkId)).toEqual(['ec2-stopped-instance', 'ebs-unattached-volume']);
    expect(later.recommendations[0]?.evidence).toMatchObject({ stoppedSinceSource: 'first-seen', stoppedDays: 31 });
  });

  it('carries related resources, without the resource itself', () => {
    const stopped = instance({ state: 'stopped', stateChangedAt: daysAgo(60), volumeIds: ['vol-root'] });
    const root = volume({ id: 'vol-root', state: 'in-use', attachments: [{ instanceId: stopped.id, state: 'attached' }] });
    const { recommendations } = runChecks({ resources: [stopped, root], metrics: [], prices, config: config(), now: NOW, checks: [ec2StoppedInstance] });
    expect(recommendations[0]?.relatedResourceIds).toEqual(['vol-root']);
    const { recommendations: none } = run();
    expect(none.every((r) => r.relatedResourceIds === undefined)).toBe(true);
  });

  it('keeps informational findings whatever the savings floor', () => {
    const fn = lambdaFunction();
    const failing = metricsOf(fn.id, 'lambda-function', {
      lambdaInvocations: dailySum([100, 100, 100, 100, 100, 100, 100, 100]),
      lambdaErrors: dailySum([0, 0, 0, 0, 0, 0, 0, 40]),
    });
    const { recommendations } = runChecks({
      resources: [fn],
      metrics: [failing],
      prices,
      config: config({ optimization: { minMonthlySavingsUsd: 100 } }),
      now: NOW,
      checks: [lambdaHighErrorRateFunction],
    });
    expect(recommendations.map((r) => [r.checkId, r.monthlySavingsUsd])).toEqual([['lambda-high-error-rate-function', 0]]);
  });

  it('marks resources with a suppress tag key as suppressed', () => {
    const tagged = volume({ tags: { 'finops:ignore': '' } });
    const { recommendations } = runChecks({ resources: [tagged], metrics: [], prices, config: config(), now: NOW, checks: CHECKS });
    expect(recommendations.map((r) => [r.status, r.suppression])).toEqual([['suppressed', { by: 'tag', reason: 'tag finops:ignore' }]]);
    const custom = runChecks({
      resources: [volume({ tags: { keep: 'yes' } })],
      metrics: [],
      prices,
      config: config({ optimization: { suppressTagKeys: ['keep'] } }),
      now: NOW,
      checks: CHECKS,
    });
    expect(custom.recommendations[0]?.status).toBe('suppressed');
  });

  it('drops recommendations below minMonthlySavingsUsd, keeping those at it', () => {
    const { recommendations } = run({ optimization: { minMonthlySavingsUsd: 5 } });
    // ebs saves exactly $5.00; the address $3.65.
    expect(recommendations.map((r) => r.checkId)).toEqual(['ec2-idle-instance', 'ebs-unattached-volume']);
  });

  it('drops risk levels that are not reported', () => {
    const { recommendations } = run({ optimization: { riskLevels: ['medium', 'high'] } });
    expect(recommendations.map((r) => r.checkId)).toEqual(['ec2-idle-instance']);
  });

  it('rounds savings to cents', () => {
    const { recommendations } = runChecks({
      resources: [{ ...idleInstance, region: 'eu-west-1' }],
      metrics,
      prices,
      config: config(),
      now: NOW,
      checks: CHECKS,
    });
    // 0.096 × 1.11 × 730 = 77.7888
    expect(recommendations[0]?.monthlySavingsUsd).toBe(77.79);
  });
});
