// elb.delete-load-balancer: delete an idle ALB/NLB/GWLB (elbv2, by ARN) or classic load balancer (elb, by name).
import {
  DeleteLoadBalancerCommand as DeleteClassicCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancersCommand as DescribeClassicCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  waitUntilLoadBalancersDeleted,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancer } from '@finops/core';
import { toClassicLoadBalancer } from '../collectors/classic-load-balancers.js';
import { toElbv2LoadBalancer } from '../collectors/elbv2-load-balancers.js';
import { tagsFromList } from '../collectors/normalize.js';
import type { ActionContext } from './action-context.js';
import { defineExecutor, type ActionExecutor, type Observed } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeOrGone } from './describe-ec2.js';
import { observed, pollUntil, waitFor } from './executor-support.js';

/** Checks emit `{ loadBalancer: <id>, type }`; the type is informational (the id tells which API to use). */
export interface LoadBalancerParams {
  /** The ARN of an elbv2 load balancer, or the name of a classic one (the model's resource id). */
  loadBalancerId: string;
}

const TYPE = 'elb.delete-load-balancer';
const NOT_FOUND = ['LoadBalancerNotFound', 'LoadBalancerNotFoundException', 'AccessPointNotFound', 'AccessPointNotFoundException'];

const isClassic = (id: string) => !id.startsWith('arn:');

export function loadBalancerFacts(balancer: LoadBalancer) {
  return {
    state: balancer.state,
    type: balancer.type,
    scheme: balancer.scheme,
    targetGroups: balancer.targetGroups,
    registeredTargets: balancer.registeredTargets,
  };
}

async function describeElbv2(context: ActionContext, arn: string): Promise<Observed<'load-balancer'> | undefined> {
  const elbv2 = await context.client('elbv2');
  const output = await describeOrGone(context, 'elasticloadbalancing:DescribeLoadBalancers', NOT_FOUND, () =>
    elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })),
  );
  const balancer = output?.LoadBalancers?.find((b) => b.LoadBalancerArn === arn);
  if (!balancer) return undefined;
  const [tags, groups] = await Promise.all([
    context.read('elasticloadbalancing:DescribeTags', () => elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }))),
    context.read('elasticloadbalancing:DescribeTargetGroups', () => elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: arn }))),
  ]);
  const counts = { targetGroups: 0, registered: 0, healthy: 0 };
  for (const group of groups.TargetGroups ?? []) {
    if (!group.TargetGroupArn) continue;
    const health = await context.read('elasticloadbalancing:DescribeTargetHealth', () =>
      elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn })),
    );
    const targets = health.TargetHealthDescriptions ?? [];
    counts.targetGroups += 1;
    counts.registered += targets.length;
    counts.healthy += targets.filter((t) => t.TargetHealth?.State === 'healthy').length;
  }
  const balancerTags = tagsFromList(tags.TagDescriptions?.find((d) => d.ResourceArn === arn)?.Tags);
  return observed(toElbv2LoadBalancer(balancer, context.scope, new Date().toISOString(), balancerTags, counts));
}

async function describeClassic(context: ActionContext, name: string): Promise<Observed<'load-balancer'> | undefined> {
  const elb = await context.client('elb');
  const output = await describeOrGone(context, 'elasticloadbalancing:DescribeLoadBalancers', NOT_FOUND, () =>
    elb.send(new DescribeClassicCommand({ LoadBalancerNames: [name] })),
  );
  const balancer = output?.LoadBalancerDescriptions?.find((b) => b.LoadBalancerName === name);
  if (!balancer) return undefined;
  const tags = await context.read('elasticloadbalancing:DescribeTags', () => elb.send(new DescribeClassicTagsCommand({ LoadBalancerNames: [name] })));
  let healthy = 0;
  if ((balancer.Instances?.length ?? 0) > 0) {
    const health = await context.read('elasticloadbalancing:DescribeInstanceHealth', () =>
      elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name })),
    );
    healthy = (health.InstanceStates ?? []).filter((s) => s.State === 'InService').length;
  }
  const balancerTags = tagsFromList(tags.TagDescriptions?.find((d) => d.LoadBalancerName === name)?.Tags);
  return observed(toClassicLoadBalancer(balancer, context.scope, new Date().toISOString(), balancerTags, healthy));
}

function describeLoadBalancer(context: ActionContext, id: string): Promise<Observed<'load-balancer'> | undefined> {
  return isClassic(id) ? describeClassic(context, id) : describeElbv2(context, id);
}

export const deleteLoadBalancer: ActionExecutor<'load-balancer', LoadBalancerParams> = defineExecutor({
  type: TYPE,
  title: 'Delete an idle load balancer',
  resourceKind: 'load-balancer',
  removes: true,
  permissions: [
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeTags',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
    'elasticloadbalancing:DescribeInstanceHealth',
    'elasticloadbalancing:DeleteLoadBalancer',
  ],
  rollback: {
    restores: 'nothing',
    note: 'a deleted load balancer cannot be restored: a new one gets a new DNS name; its target groups are left in place',
  },
  parseParams(params, resourceId) {
    // Checks may name it by the field the API takes; whichever is given must be the recommendation's resource.
    const field = ['loadBalancer', 'loadBalancerArn', 'loadBalancerName'].find((key) => params[key] !== undefined) ?? 'loadBalancer';
    return { loadBalancerId: paramReader(TYPE, params).resourceId(field, resourceId) };
  },
  facts: loadBalancerFacts,
  describe: (context, { loadBalancerId }) => describeLoadBalancer(context, loadBalancerId),
  readiness({ resource }) {
    if (!['active', 'active_impaired', 'failed'].includes(resource.state)) return { state: 'blocked', reason: `the load balancer is ${resource.state}` };
    return { state: 'ready' };
  },
  plan({ resource }) {
    return isClassic(resource.id)
      ? [
          { api: 'elasticloadbalancing:DeleteLoadBalancer', input: { LoadBalancerName: resource.id } },
          { api: 'elasticloadbalancing:DescribeLoadBalancers', input: { LoadBalancerNames: [resource.id] }, note: 'until it is gone' },
        ]
      : [
          { api: 'elasticloadbalancing:DeleteLoadBalancer', input: { LoadBalancerArn: resource.id } },
          { api: 'elasticloadbalancing:DescribeLoadBalancers', input: { LoadBalancerArns: [resource.id] }, note: 'waiter: until it is deleted' },
        ];
  },
  async apply(context, { resource }) {
    const undo = {
      loadBalancerId: resource.id,
      name: resource.name ?? resource.id,
      type: resource.type,
      scheme: resource.scheme,
      dnsName: resource.dnsName ?? null,
      availabilityZones: resource.availabilityZones,
      tags: resource.tags,
    };
    await context.recordUndo(undo);
    if (isClassic(resource.id)) {
      const elb = await context.client('elb');
      const input = { LoadBalancerName: resource.id };
      await context.mutate('elasticloadbalancing:DeleteLoadBalancer', input, () => elb.send(new DeleteClassicCommand(input)));
      await pollUntil(context, `load balancer ${resource.id} to be deleted`, async () => (await describeClassic(context, resource.id)) === undefined);
    } else {
      const elbv2 = await context.client('elbv2');
      const input = { LoadBalancerArn: resource.id };
      await context.mutate('elasticloadbalancing:DeleteLoadBalancer', input, () => elbv2.send(new DeleteLoadBalancerCommand(input)));
      await waitFor(context, 'elasticloadbalancing:DescribeLoadBalancers', () =>
        waitUntilLoadBalancersDeleted({ client: elbv2, ...context.waiter }, { LoadBalancerArns: [resource.id] }),
      );
    }
    return {
      after: undefined,
      undo,
      notes: resource.type === 'classic' ? [] : ['its target groups were left in place (they cost nothing)'],
    };
  },
  async undo(_context, undo) {
    return {
      status: 'impossible',
      message: `load balancer ${String(undo.name)} (${String(undo.type)}, ${String(undo.scheme)}) was deleted and cannot be restored: a new one would get a new DNS name${undo.dnsName ? ` instead of ${String(undo.dnsName)}` : ''}`,
    };
  },
});
