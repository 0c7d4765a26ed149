// Elastic Load Balancing v2 (ALB, NLB): load balancers, target groups, target health and tags in the SDK's shapes.
import { serviceError } from '../aws-error.js';
import type { CallContext, OperationHandler } from '../call-context.js';
import type { Partition, SimLoadBalancer, SimTargetGroup } from '../estate-types.js';
import { InputReader } from '../input-reader.js';
import { paginate, type PageOptions } from '../paging.js';
import { tagList } from '../tag-filters.js';

/** DescribeLoadBalancers and DescribeTargetGroups: Marker / NextMarker, PageSize 1–400. */
export const ELB_PAGING: PageOptions = { tokenField: 'Marker', sizeField: 'PageSize', range: { min: 1, max: 400 }, defaultSize: 400 };
/** Most ARNs or names one request may name (LoadBalancerArns, Names, ResourceArns). */
export const ELB_MAX_NAMES = 20;

/** Canonical hosted zone ids of ELB's DNS names (one per type, whatever the region: good enough here). */
const HOSTED_ZONES = { application: 'Z32O12XQLNTSW2', network: 'Z2IFOLAFXWLO4F' } as const;

function validationError(call: CallContext, message: string): never {
  throw serviceError('ValidationError', message, call.requestId);
}

/** A list field of at most {@link ELB_MAX_NAMES} entries, as the API's validation demands. */
export function boundedList(call: CallContext, reader: InputReader, field: string): string[] | undefined {
  const values = reader.stringList(field);
  if (values && values.length > ELB_MAX_NAMES) {
    validationError(call, `1 validation error detected: Value at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must have length less than or equal to ${ELB_MAX_NAMES}`);
  }
  return values;
}

function currentBalancers(partition: Partition): SimLoadBalancer[] {
  return partition.loadBalancers.filter((lb) => lb.type !== 'classic');
}

function loadBalancerNotFound(call: CallContext, what: string): never {
  throw serviceError('LoadBalancerNotFoundException', `One or more load balancers not found: ${what}`, call.requestId);
}

function targetGroupNotFound(call: CallContext, what: string): never {
  throw serviceError('TargetGroupNotFoundException', `One or more target groups not found: ${what}`, call.requestId);
}

function balancerShape(lb: SimLoadBalancer) {
  const type = lb.type === 'network' ? 'network' : 'application';
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: HOSTED_ZONES[type],
    CreatedTime: new Date(lb.createTime),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: 'active' },
    Type: type,
    AvailabilityZones: lb.availabilityZones.map((zone, i) => ({ ZoneName: zone, SubnetId: lb.subnetIds[i], LoadBalancerAddresses: [] })),
    // Security group ids are 17 hex digits: the load balancer's own 16 behind a 0.
    ...(type === 'application' ? { SecurityGroups: [`sg-0${lb.dimension.split('/')[2]}`] } : {}),
    IpAddressType: 'ipv4',
  };
}

function targetGroupShape(group: SimTargetGroup) {
  const http = group.protocol !== 'TCP';
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol,
    Port: group.port,
    VpcId: group.vpcId,
    HealthCheckProtocol: http ? 'HTTP' : 'TCP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: http ? 5 : 10,
    HealthyThresholdCount: 5,
    UnhealthyThresholdCount: 2,
    ...(http ? { HealthCheckPath: '/health', Matcher: { HttpCode: '200' }, ProtocolVersion: 'HTTP1' } : {}),
    LoadBalancerArns: [...group.loadBalancerArns],
    TargetType: group.targetType,
    IpAddressType: 'ipv4',
  };
}

const describeLoadBalancers: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  let balancers = currentBalancers(partition);
  const arns = boundedList(call, reader, 'LoadBalancerArns');
  const names = boundedList(call, reader, 'Names');
  if (arns?.length && names?.length) validationError(call, 'Load balancer names and load balancer ARNs cannot be specified at the same time');
  if (arns?.length) {
    const missing = arns.filter((arn) => !balancers.some((lb) => lb.arn === arn));
    if (missing.length) loadBalancerNotFound(call, missing.join(', '));
    balancers = balancers.filter((lb) => arns.includes(lb.arn as string));
  }
  if (names?.length) {
    const missing = names.filter((name) => !balancers.some((lb) => lb.name === name));
    if (missing.length) loadBalancerNotFound(call, `'${missing.join("', '")}'`);
    balancers = balancers.filter((lb) => names.includes(lb.name));
  }
  const { page, nextToken } = paginate(call, reader, balancers, ELB_PAGING);
  return { LoadBalancers: page.map(balancerShape), ...(nextToken ? { NextMarker: nextToken } : {}) };
};

const describeTargetGroups: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  let groups = partition.targetGroups;
  const loadBalancerArn = reader.string('LoadBalancerArn');
  const arns = boundedList(call, reader, 'TargetGroupArns');
  const names = boundedList(call, reader, 'Names');
  if ([loadBalancerArn !== undefined, Boolean(arns?.length), Boolean(names?.length)].filter(Boolean).length > 1) {
    validationError(call, 'A load balancer ARN, target group ARNs and target group names cannot be combined');
  }
  if (loadBalancerArn !== undefined) {
    if (!currentBalancers(partition).some((lb) => lb.arn === loadBalancerArn)) loadBalancerNotFound(call, loadBalancerArn);
    groups = groups.filter((group) => group.loadBalancerArns.includes(loadBalancerArn));
  }
  if (arns?.length) {
    const missing = arns.filter((arn) => !groups.some((group) => group.arn === arn));
    if (missing.length) targetGroupNotFound(call, missing.join(', '));
    groups = groups.filter((group) => arns.includes(group.arn));
  }
  if (names?.length) {
    const missing = names.filter((name) => !groups.some((group) => group.name === name));
    if (missing.length) targetGroupNotFound(call, `'${missing.join("', '")}'`);
    groups = groups.filter((group) => names.includes(group.name));
  }
  const { page, nextToken } = paginate(call, reader, groups, ELB_PAGING);
  return { TargetGroups: page.map(targetGroupShape), ...(nextToken ? { NextMarker: nextToken } : {}) };
};

const HEALTH_DETAILS = {
  unhealthy: { Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
  unused: { Reason: 'Target.InvalidState', Description: 'Target is in the stopped state' },
} as const;

const describeTargetHealth: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  const arn = reader.requiredString('TargetGroupArn');
  const group = partition.targetGroups.find((candidate) => candidate.arn === arn);
  if (!group) targetGroupNotFound(call, arn);
  const attached = group.loadBalancerArns.length > 0;
  return {
    TargetHealthDescriptions: group.targets.map((target) => {
      // A group that serves no load balancer runs no health checks: every target is `unused`.
      const state = attached ? target.state : 'unused';
      const details = !attached
        ? { Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' }
        : state === 'healthy'
          ? {}
          : HEALTH_DETAILS[state];
      return {
        Target: { Id: target.id, Port: target.port, ...(group.targetType === 'ip' ? { AvailabilityZone: target.availabilityZone } : {}) },
        HealthCheckPort: String(target.port),
        TargetHealth: { State: state, ...details },
      };
    }),
  };
};

const describeTags: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  const arns = boundedList(call, reader, 'ResourceArns');
  if (!arns || arns.length === 0) validationError(call, "1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null");
  const balancers = new Map(currentBalancers(partition).map((lb) => [lb.arn as string, lb]));
  const groups = new Map(partition.targetGroups.map((group) => [group.arn, group]));
  return {
    TagDescriptions: arns.map((arn) => {
      const tags = balancers.get(arn)?.tags ?? groups.get(arn)?.tags;
      if (!tags) return arn.includes(':targetgroup/') ? targetGroupNotFound(call, arn) : loadBalancerNotFound(call, arn);
      return { ResourceArn: arn, Tags: tagList(tags) };
    }),
  };
};

export const elbv2Operations: Record<string, OperationHandler> = {
  DescribeLoadBalancers: describeLoadBalancers,
  DescribeTargetGroups: describeTargetGroups,
  DescribeTargetHealth: describeTargetHealth,
  DescribeTags: describeTags,
};
