// checkGroups: kinds a check reads together stay in one group; running the groups apart finds what one run finds.
import type { Resource, ResourceKind } from '@finops/core';
import { RESOURCE_KINDS } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCheck, type AnyCheck } from './check.js';
import { checkGroups, checksOf } from './check-groups.js';
import { CHECKS } from './registry.js';
import { runChecks } from './run-checks.js';
import {
  NOW,
  address,
  config,
  daysAgo,
  database,
  dbSnapshot,
  instance,
  lambdaFunction,
  loadBalancer,
  natGateway,
  prices,
  snapshot,
  volume,
} from './test-fixtures.js';

describe('checkGroups', () => {
  it('puts a stopped instance with its volumes and addresses, and every other kind on its own, in the order given', () => {
    expect(checkGroups([...RESOURCE_KINDS])).toEqual([
      ...[...RESOURCE_KINDS].flatMap((kind): ResourceKind[][] =>
        kind === 'ec2-instance' ? [['ec2-instance', 'ebs-volume', 'elastic-ip']] : kind === 'ebs-volume' || kind === 'elastic-ip' ? [] : [[kind]],
      ),
    ]);
    // The first kind of a group sets its place; kinds outside the list are not added.
    expect(checkGroups(['lambda-function', 'elastic-ip', 'ebs-volume', 'ec2-instance'])).toEqual([['lambda-function'], ['elastic-ip', 'ebs-volume', 'ec2-instance']]);
    expect(checkGroups(['ebs-volume', 'nat-gateway'])).toEqual([['ebs-volume'], ['nat-gateway']]);
    expect(checkGroups(['ebs-volume', 'ebs-volume'])).toEqual([['ebs-volume']]);
  });

  it('joins kinds through a chain of reads', () => {
    const reads = (resourceKind: ResourceKind, read: ResourceKind[]) =>
      ({ id: `reads-${read.join('-')}`, title: 't', description: 'd', resourceKind, reads: read, metrics: [], lookback: 'none', permissions: [], options: z.strictObject({}), evaluate: () => null }) as unknown as AnyCheck;
    const checks = [reads('nat-gateway', ['load-balancer']), reads('lambda-function', ['nat-gateway'])];
    expect(checkGroups(['load-balancer', 'rds-instance', 'lambda-function', 'nat-gateway'], checks)).toEqual([
      ['load-balancer', 'lambda-function', 'nat-gateway'],
      ['rds-instance'],
    ]);
  });

  it('every check of the registry reads only kinds of its own group', () => {
    const groups = checkGroups([...RESOURCE_KINDS]);
    for (const check of CHECKS) {
      const group = groups.find((g) => g.includes(check.resourceKind));
      for (const kind of check.reads ?? []) expect(group, `${check.id} reads ${kind}`).toContain(kind);
    }
  });
});

describe('running the groups apart', () => {
  // A partition where checks read across kinds: an instance stopped for 60 days with a volume and an address, a
  // volume of that instance, an unattached volume, an idle address, and one resource of every other kind.
  const stopped = instance({ id: 'i-0stopped00000000001', state: 'stopped', stateChangedAt: daysAgo(60), volumeIds: ['vol-0ofstopped00000001'] });
  const resources: Resource[] = [
    stopped,
    instance({ id: 'i-0running0000000001', volumeIds: [] }),
    volume({ id: 'vol-0ofstopped00000001', state: 'in-use', attachments: [{ instanceId: stopped.id, state: 'attached', device: '/dev/xvda' }] }),
    volume({ id: 'vol-0unattached000001' }),
    address({ id: 'eipalloc-0ofstopped000001', allocationId: 'eipalloc-0ofstopped000001', instanceId: stopped.id, associationId: 'eipassoc-1' }),
    address({ id: 'eipalloc-0idle00000000001', allocationId: 'eipalloc-0idle00000000001' }),
    snapshot(),
    database(),
    dbSnapshot(),
    lambdaFunction(),
    natGateway(),
    loadBalancer(),
  ];
  const cfg = config();

  it('finds exactly what one run over the whole partition finds, cross-kind findings included', () => {
    const whole = runChecks({ resources, metrics: [], prices, config: cfg, now: NOW });
    const apart = checkGroups([...RESOURCE_KINDS]).flatMap((kinds) => {
      const own = resources.filter((r) => kinds.includes(r.kind));
      return runChecks({ resources: own, metrics: [], prices, config: cfg, now: NOW, checks: checksOf(kinds) }).recommendations;
    });
    const byId = (list: { id: string }[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(apart)).toEqual(byId(whole.recommendations));
    // The estate exercises the reads: without them the stopped instance's volume and address cost would be missed.
    const checkIds = whole.recommendations.map((r) => r.checkId);
    expect(checkIds).toEqual(expect.arrayContaining(['ec2-stopped-instance', 'ebs-stopped-instance-volume', 'ebs-unattached-volume', 'eip-unassociated-address']));
    const stoppedFinding = whole.recommendations.find((r) => r.checkId === 'ec2-stopped-instance');
    expect(stoppedFinding?.monthlySavingsUsd).toBeGreaterThan(0);
  });

  it('a check sees only the kinds it declares: an undeclared read finds nothing', () => {
    const volumesOfStopped = (declared: boolean) =>
      defineCheck({
        id: 'probe-volumes-of-stopped',
        title: 't',
        description: 'd',
        resourceKind: 'ec2-instance',
        ...(declared ? { reads: ['ebs-volume'] as const } : {}),
        metrics: [],
        lookback: 'none',
        permissions: [],
        options: z.strictObject({}),
        evaluate: ({ resource, context }) =>
          resource.state === 'stopped'
            ? { monthlySavingsUsd: context.volumesById.size, priceConfidence: 'exact', risk: 'low', confidence: 1, action: { type: 'review', description: 'r', params: {} }, reason: 'r', evidence: {} }
            : null,
      });
    const run = (declared: boolean) =>
      runChecks({ resources, metrics: [], prices, config: config({ optimization: { minMonthlySavingsUsd: 0 } }), now: NOW, checks: [volumesOfStopped(declared)] }).recommendations;
    expect(run(true).map((r) => r.monthlySavingsUsd)).toEqual([2]);
    expect(run(false).map((r) => r.monthlySavingsUsd)).toEqual([0]);
  });
});
