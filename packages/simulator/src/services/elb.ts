// Classic Elastic Load Balancing: load balancers with their instances, instance health and tags in the SDK's shapes.
import { serviceError } from '../aws-error.js';
import type { CallContext, OperationHandler } from '../call-context.js';
import type { Partition, SimLoadBalancer } from '../estate-types.js';
import { InputReader } from '../input-reader.js';
import { paginate } from '../paging.js';
import { tagList } from '../tag-filters.js';
import { boundedList, ELB_PAGING } from './elbv2.js';

function classicBalancers(partition: Partition): SimLoadBalancer[] {
  return partition.loadBalancers.filter((lb) => lb.type === 'classic');
}

/** The classic API calls a load balancer an access point; the SDK names its not-found error after that. */
function notFound(call: CallContext, name: string): never {
  throw serviceError('AccessPointNotFoundException', `There is no ACTIVE Load Balancer named '${name}'`, call.requestId);
}

function find(call: CallContext, partition: Partition, name: string): SimLoadBalancer {
  const balancer = classicBalancers(partition).find((lb) => lb.name === name);
  if (!balancer) notFound(call, name);
  return balancer;
}

function balancerShape(lb: SimLoadBalancer, accountId: string) {
  return {
    LoadBalancerName: lb.name,
    DNSName: lb.dnsName,
    CanonicalHostedZoneName: lb.dnsName,
    CanonicalHostedZoneNameID: 'Z35SXDOTRQ7X7K',
    ListenerDescriptions: [{ Listener: { Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80 }, PolicyNames: [] }],
    Policies: { AppCookieStickinessPolicies: [], LBCookieStickinessPolicies: [], OtherPolicies: [] },
    BackendServerDescriptions: [],
    AvailabilityZones: [...lb.availabilityZones],
    Subnets: [...lb.subnetIds],
    VPCId: lb.vpcId,
    Instances: lb.instanceIds.map((id) => ({ InstanceId: id })),
    HealthCheck: { Target: 'HTTP:80/health', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 10 },
    SourceSecurityGroup: { OwnerAlias: accountId, GroupName: `${lb.name}-elb` },
    SecurityGroups: [],
    CreatedTime: new Date(lb.createTime),
    Scheme: lb.scheme,
  };
}

const describeLoadBalancers: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  let balancers = classicBalancers(partition);
  const names = reader.stringList('LoadBalancerNames');
  if (names?.length) balancers = names.map((name) => find(call, partition, name));
  const { page, nextToken } = paginate(call, reader, balancers, ELB_PAGING);
  return { LoadBalancerDescriptions: page.map((lb) => balancerShape(lb, call.accountId)), ...(nextToken ? { NextMarker: nextToken } : {}) };
};

const describeTags: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  const names = boundedList(call, reader, 'LoadBalancerNames');
  if (!names || names.length === 0) return reader.fail('LoadBalancerNames is required and must hold 1 to 20 names');
  return { TagDescriptions: names.map((name) => ({ LoadBalancerName: name, Tags: tagList(find(call, partition, name).tags) })) };
};

/** Instances of a running host are InService; a stopped one is OutOfService. */
const describeInstanceHealth: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  const balancer = find(call, partition, reader.requiredString('LoadBalancerName'));
  return {
    InstanceStates: balancer.instanceIds.map((id) => {
      const running = partition.instanceById.get(id)?.state === 'running';
      return running
        ? { InstanceId: id, State: 'InService', ReasonCode: 'N/A', Description: 'N/A' }
        : { InstanceId: id, State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance is in stopped state.' };
    }),
  };
};

export const elbOperations: Record<string, OperationHandler> = {
  DescribeLoadBalancers: describeLoadBalancers,
  DescribeTags: describeTags,
  DescribeInstanceHealth: describeInstanceHealth,
};
