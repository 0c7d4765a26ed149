// Load balancers through the real elbv2 and elb clients: paging, target health, tags, limits, and the idle truth in CloudWatch.
import { paginateGetMetricData, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  DescribeInstanceHealthCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
  paginateDescribeLoadBalancers as paginateClassicLoadBalancers,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type LoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedAws, type SimulatedAws } from './create-simulated-aws.js';
import { errorOf, MANAGEMENT, MEMBER, sdkClients, simulationOptions, type SdkClients } from './test-support.js';

const REGIONS = ['eu-west-1', 'us-east-2'];
const DAY = 86_400_000;

interface Served {
  clients: SdkClients;
  balancers: LoadBalancer[];
  groups: TargetGroup[];
  classic: LoadBalancerDescription[];
}

async function all<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count += 1;
    items.push(...(pick(page) ?? []));
  }
  return { items, pages: count };
}

describe('simulated load balancers', () => {
  let sim: SimulatedAws;
  const served: Served[] = [];
  let idle: Set<string>;

  beforeAll(async () => {
    // ~10 load balancers per partition: every type and profile appears across the four partitions.
    sim = createSimulatedAws(simulationOptions({ resourcesPerRegion: 300 }), REGIONS);
    idle = new Set(sim.plantedWaste().filter((w) => w.checkId === 'elb-idle-load-balancer').map((w) => w.resourceId));
    for (const accountId of [MANAGEMENT, MEMBER]) {
      for (const region of REGIONS) {
        const clients = sdkClients(sim, accountId, region);
        served.push({
          clients,
          balancers: (await all(paginateDescribeLoadBalancers({ client: clients.elbv2 }, { PageSize: 400 }), (p) => p.LoadBalancers)).items,
          groups: (await all(paginateDescribeTargetGroups({ client: clients.elbv2 }, { PageSize: 400 }), (p) => p.TargetGroups)).items,
          classic: (await all(paginateClassicLoadBalancers({ client: clients.elb }, { PageSize: 400 }), (p) => p.LoadBalancerDescriptions)).items,
        });
      }
    }
  });

  it('serves ALBs, NLBs and classic load balancers, as many as inventoryCounts plans', () => {
    const types = new Set(served.flatMap((s) => s.balancers.map((lb) => lb.Type)));
    expect(types).toEqual(new Set(['application', 'network']));
    const total = served.reduce((n, s) => n + s.balancers.length + s.classic.length, 0);
    expect(total).toBe(sim.inventoryCounts()['load-balancer']);
    expect(served.some((s) => s.classic.length > 0)).toBe(true);
    const alb = served.flatMap((s) => s.balancers).find((lb) => lb.Type === 'application');
    expect(alb).toMatchObject({
      LoadBalancerArn: expect.stringMatching(/^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[\w-]+\/[0-9a-f]{16}$/),
      State: { Code: 'active' },
      Scheme: expect.stringMatching(/^(internet-facing|internal)$/),
      CreatedTime: expect.any(Date),
    });
  });

  it('pages with PageSize and Marker, and refuses a PageSize above 400', async () => {
    const { clients, balancers } = served.reduce((a, b) => (b.balancers.length > a.balancers.length ? b : a));
    const paged = await all(paginateDescribeLoadBalancers({ client: clients.elbv2 }, { PageSize: 2 }), (p) => p.LoadBalancers);
    expect(paged.items.map((lb) => lb.LoadBalancerArn)).toEqual(balancers.map((lb) => lb.LoadBalancerArn));
    expect(paged.pages).toBe(Math.ceil(balancers.length / 2));
    const error = await errorOf(() => all(paginateDescribeLoadBalancers({ client: clients.elbv2 }, { PageSize: 401 }), (p) => p.LoadBalancers));
    expect(error.name).toBe('ValidationError');
  });

  it('answers target health per group, `unused` in groups attached to nothing, and not-found for unknown groups', async () => {
    let leftovers = 0;
    for (const { clients, groups } of served) {
      for (const group of groups) {
        const health = (await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }))).TargetHealthDescriptions ?? [];
        if ((group.LoadBalancerArns ?? []).length === 0) {
          leftovers += 1;
          for (const target of health) expect(target.TargetHealth?.State).toBe('unused');
        }
      }
    }
    expect(leftovers).toBeGreaterThan(0);
    const missing = await errorOf(() =>
      served[0]!.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/nope/0123456789abcdef' })),
    );
    expect(missing.name).toBe('TargetGroupNotFoundException');
  });

  it('tags up to 20 resources a call, as both APIs do', async () => {
    const { clients, balancers } = served[0]!;
    const arns = balancers.map((lb) => lb.LoadBalancerArn as string);
    const tags = await clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: arns }));
    expect(tags.TagDescriptions?.map((d) => d.ResourceArn)).toEqual(arns);
    expect(tags.TagDescriptions?.[0]?.Tags).toEqual(expect.arrayContaining([expect.objectContaining({ Key: 'Name' })]));
    const tooMany = await errorOf(() => clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: Array.from({ length: 21 }, () => arns[0] as string) })));
    expect(tooMany.name).toBe('ValidationError');

    const withClassic = served.find((s) => s.classic.length > 0)!;
    const names = withClassic.classic.map((lb) => lb.LoadBalancerName as string);
    const classicTags = await withClassic.clients.elb.send(new DescribeClassicTagsCommand({ LoadBalancerNames: names }));
    expect(classicTags.TagDescriptions?.map((d) => d.LoadBalancerName)).toEqual(names);
    const tooManyNames = await errorOf(() => withClassic.clients.elb.send(new DescribeClassicTagsCommand({ LoadBalancerNames: Array.from({ length: 21 }, () => names[0] as string) })));
    expect(tooManyNames.name).toBe('ValidationError');
  });

  it('plants idle load balancers: nothing registered or healthy, or under 100 requests a day; busy ones never', async () => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    let idleSeen = 0;
    let busySeen = 0;
    for (const { clients, balancers, groups, classic } of served) {
      const registered = new Map<string, { total: number; healthy: number }>();
      for (const group of groups) {
        const health = (await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }))).TargetHealthDescriptions ?? [];
        for (const arn of group.LoadBalancerArns ?? []) {
          const entry = registered.get(arn) ?? { total: 0, healthy: 0 };
          entry.total += health.length;
          entry.healthy += health.filter((t) => t.TargetHealth?.State === 'healthy').length;
          registered.set(arn, entry);
        }
      }
      for (const lb of classic) {
        const states = (await clients.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: lb.LoadBalancerName }))).InstanceStates ?? [];
        registered.set(lb.LoadBalancerName as string, { total: states.length, healthy: states.filter((s) => s.State === 'InService').length });
      }
      const subjects = [
        ...balancers.map((lb) => ({
          id: lb.LoadBalancerArn as string,
          namespace: lb.Type === 'network' ? 'AWS/NetworkELB' : 'AWS/ApplicationELB',
          metric: lb.Type === 'network' ? 'NewFlowCount' : 'RequestCount',
          dimension: { Name: 'LoadBalancer', Value: (lb.LoadBalancerArn as string).split(':loadbalancer/')[1] as string },
        })),
        ...classic.map((lb) => ({
          id: lb.LoadBalancerName as string,
          namespace: 'AWS/ELB',
          metric: 'RequestCount',
          dimension: { Name: 'LoadBalancerName', Value: lb.LoadBalancerName as string },
        })),
      ];
      const queries: MetricDataQuery[] = subjects.map((s, n) => ({
        Id: `q${n}`,
        MetricStat: { Metric: { Namespace: s.namespace, MetricName: s.metric, Dimensions: [s.dimension] }, Period: 86400, Stat: 'Sum' },
      }));
      const daily = new Map<string, number[]>();
      for await (const page of paginateGetMetricData({ client: clients.cloudwatch }, { StartTime: new Date(today - 7 * DAY), EndTime: new Date(today), MetricDataQueries: queries })) {
        for (const r of page.MetricDataResults ?? []) daily.set(r.Id as string, [...(daily.get(r.Id as string) ?? []), ...(r.Values ?? [])]);
      }
      subjects.forEach((subject, n) => {
        // ELB publishes nothing for a day without traffic: a missing day counts as 0.
        const values = daily.get(`q${n}`) ?? [];
        const days = [...values, ...Array.from({ length: 7 - values.length }, () => 0)];
        const targets = registered.get(subject.id) ?? { total: 0, healthy: 0 };
        if (idle.has(subject.id)) {
          idleSeen += 1;
          expect(targets.total === 0 || Math.max(...days) < 100, subject.id).toBe(true);
        } else {
          busySeen += 1;
          expect(targets.healthy, subject.id).toBeGreaterThan(0);
          // Every day since it was created has traffic (a young one has fewer days).
          expect(values.length, subject.id).toBeGreaterThan(0);
          expect(Math.min(...values), subject.id).toBeGreaterThanOrEqual(100);
        }
      });
    }
    expect(idleSeen).toBe(idle.size);
    expect(busySeen).toBeGreaterThan(0);
    // Both kinds of idle are planted: some with targets registered (quiet), some without any.
    const withoutTargets = served.flatMap((s) => s.classic.filter((lb) => (lb.Instances ?? []).length === 0).map((lb) => lb.LoadBalancerName as string));
    const v2WithoutGroups = served.flatMap((s) => s.balancers.filter((lb) => !s.groups.some((g) => g.LoadBalancerArns?.includes(lb.LoadBalancerArn as string))));
    expect(withoutTargets.length + v2WithoutGroups.length).toBeGreaterThan(0);
  });
});
