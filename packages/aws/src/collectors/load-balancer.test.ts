// Load balancer discovery over both ELB APIs: pages, target counts, instance health, batched tags, failures.
import {
  DescribeInstanceHealthCommand,
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
  ElasticLoadBalancingClient,
  type DescribeLoadBalancersCommandInput as DescribeClassicLoadBalancersCommandInput,
  type DescribeTagsCommandInput as DescribeClassicTagsCommandInput,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type DescribeLoadBalancersCommandInput,
  type DescribeTagsCommandInput,
  type DescribeTargetGroupsCommandInput,
  type DescribeTargetHealthCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancer } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess, recordingLogger, SCOPE } from '../__fixtures__/test-access.js';

const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const elb = mockClient(ElasticLoadBalancingClient);
afterEach(() => {
  elbv2.reset();
  elb.reset();
});

const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111';
const WEB = `${ARN}:loadbalancer/app/web-prod/50dc6c495c0c9188`;
const TCP = `${ARN}:loadbalancer/net/tcp-internal/73e2d6bc24d8a067`;
const GWY = `${ARN}:loadbalancer/gwy/inspection/1a2b3c4d5e6f7a8b`;

/** Target health by target group name, as recorded: web-prod-a 2 healthy + 1 draining, web-prod-b 1 unhealthy, tcp-internal empty. */
const HEALTH: Record<string, { Target: { Id: string; Port: number }; TargetHealth: { State: string } }[]> = {
  'web-prod-a': [
    { Target: { Id: 'i-0a1b2c3d4e5f60001', Port: 80 }, TargetHealth: { State: 'healthy' } },
    { Target: { Id: 'i-0a1b2c3d4e5f60002', Port: 80 }, TargetHealth: { State: 'healthy' } },
    { Target: { Id: 'i-0a1b2c3d4e5f60003', Port: 80 }, TargetHealth: { State: 'draining' } },
  ],
  'web-prod-b': [{ Target: { Id: '10.0.1.5', Port: 8080 }, TargetHealth: { State: 'unhealthy' } }],
  'tcp-internal': [],
};

interface Recorded {
  describe: DescribeLoadBalancersCommandInput[];
  groups: DescribeTargetGroupsCommandInput[];
  health: DescribeTargetHealthCommandInput[];
  tags: DescribeTagsCommandInput[];
  classic: DescribeClassicLoadBalancersCommandInput[];
  classicTags: DescribeClassicTagsCommandInput[];
}

function answerFromFixtures(): Recorded {
  const recorded: Recorded = { describe: [], groups: [], health: [], tags: [], classic: [], classicTags: [] };
  const pages: Record<string, string> = {
    '': 'elbv2.DescribeLoadBalancers_1',
    ZWxidjItcGFnZS0y: 'elbv2.DescribeLoadBalancers_2',
    ZWxidjItcGFnZS0z: 'elbv2.DescribeLoadBalancers_3',
  };
  elbv2.on(DescribeLoadBalancersCommand).callsFake((input: DescribeLoadBalancersCommandInput) => {
    recorded.describe.push({ ...input });
    return fixture(pages[input.Marker ?? ''] as string);
  });
  elbv2.on(DescribeTargetGroupsCommand).callsFake((input: DescribeTargetGroupsCommandInput) => {
    recorded.groups.push({ ...input });
    return fixture('elbv2.DescribeTargetGroups_1');
  });
  elbv2.on(DescribeTargetHealthCommand).callsFake((input: DescribeTargetHealthCommandInput) => {
    recorded.health.push({ ...input });
    return { TargetHealthDescriptions: HEALTH[input.TargetGroupArn?.split('/')[1] ?? ''] ?? [] };
  });
  elbv2.on(DescribeTagsCommand).callsFake((input: DescribeTagsCommandInput) => {
    recorded.tags.push({ ...input, ResourceArns: [...(input.ResourceArns ?? [])] });
    return {
      TagDescriptions: (input.ResourceArns ?? []).map((arn) => ({
        ResourceArn: arn,
        Tags: arn === WEB ? [{ Key: 'Name', Value: 'Storefront' }, { Key: 'team', Value: 'web' }] : [],
      })),
    };
  });
  elb.on(DescribeClassicLoadBalancersCommand).callsFake((input: DescribeClassicLoadBalancersCommandInput) => {
    recorded.classic.push({ ...input });
    return fixture('elb.DescribeLoadBalancers_1');
  });
  elb.on(DescribeInstanceHealthCommand).resolves({
    InstanceStates: [
      { InstanceId: 'i-0a1b2c3d4e5f60001', State: 'InService' },
      { InstanceId: 'i-0a1b2c3d4e5f60002', State: 'OutOfService' },
    ],
  });
  elb.on(DescribeClassicTagsCommand).callsFake((input: DescribeClassicTagsCommandInput) => {
    recorded.classicTags.push({ ...input, LoadBalancerNames: [...(input.LoadBalancerNames ?? [])] });
    return { TagDescriptions: (input.LoadBalancerNames ?? []).map((name) => ({ LoadBalancerName: name, Tags: [{ Key: 'team', Value: 'legacy' }] })) };
  });
  return recorded;
}

describe('load-balancer collector', () => {
  let recorded: Recorded;
  beforeEach(() => {
    recorded = answerFromFixtures();
  });

  it('pages both APIs with PageSize 400 in the request, across an empty page with a NextMarker', async () => {
    const { access } = mockedAccess();
    const balancers = (await access.discover('load-balancer', SCOPE)) as LoadBalancer[];
    expect(recorded.describe.map((input) => input.Marker)).toEqual([undefined, 'ZWxidjItcGFnZS0y', 'ZWxidjItcGFnZS0z']);
    // The ELB paginators do not put a page size into the request: without it in the input AWS pages by its default.
    expect(recorded.describe.every((input) => input.PageSize === 400)).toBe(true);
    expect(recorded.groups).toEqual([expect.objectContaining({ PageSize: 400 })]);
    expect(recorded.classic).toEqual([expect.objectContaining({ PageSize: 400 })]);
    expect(balancers.map((lb) => [lb.type, lb.id])).toEqual([
      ['application', WEB],
      ['network', TCP],
      ['gateway', GWY],
      ['classic', 'legacy-shop'],
      ['classic', 'forgotten-classic'],
    ]);
    access.close();
  });

  it('counts registered and healthy targets over every target group, with one health call per attached group', async () => {
    const { access } = mockedAccess();
    const byId = new Map(((await access.discover('load-balancer', SCOPE)) as LoadBalancer[]).map((lb) => [lb.id, lb]));
    // The leftover group serves no load balancer: it costs no DescribeTargetHealth call.
    expect(recorded.health.map((input) => input.TargetGroupArn?.split('/')[1]).sort()).toEqual(['tcp-internal', 'web-prod-a', 'web-prod-b']);
    expect(byId.get(WEB)).toEqual({
      kind: 'load-balancer',
      id: WEB,
      arn: WEB,
      accountId: SCOPE.accountId,
      region: SCOPE.region,
      name: 'Storefront',
      tags: { Name: 'Storefront', team: 'web' },
      type: 'application',
      scheme: 'internet-facing',
      state: 'active',
      createdTime: '2022-06-01T09:00:00.000Z',
      dnsName: 'web-prod-1234567890.eu-west-1.elb.amazonaws.com',
      vpcId: 'vpc-0a1b2c3d4e5f60001',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      targetGroups: 2,
      registeredTargets: 4,
      healthyTargets: 2,
    });
    expect(byId.get(TCP)).toMatchObject({ name: 'tcp-internal', scheme: 'internal', targetGroups: 1, registeredTargets: 0, healthyTargets: 0 });
    // A gateway load balancer with no target group at all; no Scheme in the answer reads as internet-facing.
    expect(byId.get(GWY)).toMatchObject({ state: 'provisioning', targetGroups: 0, registeredTargets: 0, scheme: 'internet-facing' });
    expect(byId.get('legacy-shop')).toMatchObject({
      type: 'classic',
      state: 'active',
      tags: { team: 'legacy' },
      name: 'legacy-shop',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      targetGroups: 0,
      registeredTargets: 2,
      healthyTargets: 1,
      createdTime: '2019-03-04T05:06:07.000Z',
    });
    // The classic API names no ARN: its actions take the name, which is the id.
    expect(byId.get('legacy-shop')?.arn).toBeUndefined();
    // A classic load balancer without instances costs no DescribeInstanceHealth call.
    expect(byId.get('forgotten-classic')).toMatchObject({ scheme: 'internal', registeredTargets: 0, healthyTargets: 0 });
    expect(elb.commandCalls(DescribeInstanceHealthCommand).map((call) => call.args[0].input.LoadBalancerName)).toEqual(['legacy-shop']);
    access.close();
  });

  it('asks for tags 20 load balancers at a time on both APIs', async () => {
    const arns = Array.from({ length: 45 }, (_, i) => `${ARN}:loadbalancer/app/lb-${i}/${String(i).padStart(16, '0')}`);
    const names = Array.from({ length: 23 }, (_, i) => `classic-${i}`);
    elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: arns.map((arn, i) => ({ LoadBalancerArn: arn, LoadBalancerName: `lb-${i}`, Type: 'application' })) });
    elbv2.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [] });
    elb.on(DescribeClassicLoadBalancersCommand).resolves({ LoadBalancerDescriptions: names.map((name) => ({ LoadBalancerName: name, Instances: [] })) });
    const { access } = mockedAccess();
    const balancers = (await access.discover('load-balancer', SCOPE)) as LoadBalancer[];

    expect(balancers).toHaveLength(68);
    expect(recorded.tags.map((input) => input.ResourceArns?.length)).toEqual([20, 20, 5]);
    expect(recorded.tags.flatMap((input) => input.ResourceArns)).toEqual(arns);
    expect(recorded.classicTags.map((input) => input.LoadBalancerNames?.length)).toEqual([20, 3]);
    expect(recorded.health).toEqual([]);
    access.close();
  });

  it('lists load balancers untagged, with one warning, when DescribeTags is refused', async () => {
    elbv2.on(DescribeTagsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const logger = recordingLogger();
    const { access } = mockedAccess({ logger });
    const balancers = (await access.discover('load-balancer', SCOPE)) as LoadBalancer[];
    expect(balancers).toHaveLength(5);
    expect(balancers.filter((lb) => lb.type !== 'classic').every((lb) => Object.keys(lb.tags).length === 0)).toBe(true);
    expect(balancers.find((lb) => lb.id === WEB)?.name).toBe('web-prod');
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.obj).toMatchObject({ code: 'AccessDenied', hint: expect.stringContaining('elasticloadbalancing:DescribeTags') });
    access.close();
  });

  it('fails the partition when target health is refused: without it every load balancer would look empty', async () => {
    elbv2.on(DescribeTargetHealthCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const { access } = mockedAccess();
    await expect(access.discover('load-balancer', SCOPE)).rejects.toMatchObject({
      action: 'elasticloadbalancing:DescribeTargetHealth',
      code: 'AccessDenied',
      retryable: false,
    });
    access.close();
  });
});
