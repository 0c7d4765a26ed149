// Load balancer deletion on the simulated estate: elbv2 by ARN (its target groups stay), classic by name.
import { serviceError } from '../aws-error.js';
import { InputReader } from '../input-reader.js';
import type { MutationHandler } from './mutation-layer.js';
import type { SimRecord } from './mutation-store.js';
import type { ResourceChange } from './overlay.js';

const deleteElbv2: MutationHandler = ({ call, partition }) => {
  const arn = new InputReader(call).requiredString('LoadBalancerArn');
  const balancer = partition.loadBalancers.find((lb) => lb.type !== 'classic' && lb.arn === arn);
  if (!balancer) throw serviceError('LoadBalancerNotFoundException', `One or more load balancers not found: ${arn}`, call.requestId);
  // As at AWS, the target groups survive their load balancer, attached to nothing.
  const detached: ResourceChange[] = partition.targetGroups
    .filter((group) => group.loadBalancerArns.includes(arn))
    .map((group) => ({ op: 'patch', collection: 'targetGroups', id: group.arn, patch: { loadBalancerArns: group.loadBalancerArns.filter((a) => a !== arn) } }));
  return {
    output: {},
    changes: [{ op: 'delete', collection: 'loadBalancers', id: arn, record: balancer as unknown as SimRecord }, ...detached],
  };
};

const deleteClassic: MutationHandler = ({ call, partition }) => {
  const name = new InputReader(call).requiredString('LoadBalancerName');
  const balancer = partition.loadBalancers.find((lb) => lb.type === 'classic' && lb.name === name);
  // The classic DeleteLoadBalancer succeeds when there is nothing to delete.
  return { output: {}, changes: balancer ? [{ op: 'delete', collection: 'loadBalancers', id: name, record: balancer as unknown as SimRecord }] : [] };
};

export const elbv2Mutations: Record<string, MutationHandler> = { DeleteLoadBalancer: deleteElbv2 };
export const elbMutations: Record<string, MutationHandler> = { DeleteLoadBalancer: deleteClassic };
