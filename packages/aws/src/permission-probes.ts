// One cheap AWS call per IAM action the scan needs: what `finops test-connection` runs to prove each permission.
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import {
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeRegionsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import { DescribeInstanceHealthCommand } from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import type { AwsAccessError } from '@finops/core';
import type { ServiceClient, ServiceId } from './clients.js';
import { costExplorerError } from './costs/cost-explorer-error.js';
import { organizationError } from './organization-accounts.js';
import type { AwsScope } from './types.js';

/** Where a probe runs and what it may name: the scope, its partition, and the time of the run. */
export interface ProbeContext {
  scope: AwsScope;
  /** `aws`, `aws-cn`, `aws-us-gov`: for the ARNs of made-up resources. */
  partition: string;
  now: Date;
}

export interface PermissionProbe<S extends ServiceId = ServiceId> {
  service: S;
  /**
   * Whether the scan fails without the permission. Tag look-ups are optional: without them the inventory is
   * listed untagged, with a warning.
   */
  required: boolean;
  /**
   * Error codes that prove the permission although the call failed: IAM authorizes before the service looks the
   * resource up, so "not found" for a made-up resource means "allowed".
   */
  allowedErrors?: readonly string[];
  /** Turns a failure into an AwsAccessError with a fix fitting the API (default: toAwsAccessError). */
  explain?: (error: unknown, scope: AwsScope) => AwsAccessError;
  /** The call, as small as the API allows (5 items, a made-up resource, one metric over one hour). */
  call(client: ServiceClient<S>, context: ProbeContext): Promise<unknown>;
}

function probe<S extends ServiceId>(definition: PermissionProbe<S>): PermissionProbe {
  return definition as unknown as PermissionProbe;
}

/** Names of the made-up resources probes ask about. */
const PROBE_NAME = 'finops-permission-probe';
const elbArn = ({ scope, partition }: ProbeContext, resource: string) =>
  `arn:${partition}:elasticloadbalancing:${scope.region}:${scope.accountId}:${resource}/${PROBE_NAME}/0000000000000000`;

/**
 * The probe of each action, keyed by IAM action. A contract test holds it to the discovery and account permissions,
 * so a collector calling a new action cannot ship without a probe for it.
 */
export const PERMISSION_PROBES: Readonly<Record<string, PermissionProbe>> = {
  'ec2:DescribeInstances': probe({ service: 'ec2', required: true, call: (ec2) => ec2.send(new DescribeInstancesCommand({ MaxResults: 5 })) }),
  'ec2:DescribeVolumes': probe({ service: 'ec2', required: true, call: (ec2) => ec2.send(new DescribeVolumesCommand({ MaxResults: 5 })) }),
  'ec2:DescribeSnapshots': probe({
    service: 'ec2',
    required: true,
    call: (ec2) => ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5 })),
  }),
  'ec2:DescribeImages': probe({ service: 'ec2', required: true, call: (ec2) => ec2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5 })) }),
  'ec2:DescribeAddresses': probe({
    service: 'ec2',
    required: true,
    // Not paginated: a filter no address matches keeps the answer empty.
    call: (ec2) => ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'allocation-id', Values: ['eipalloc-00000000000000000'] }] })),
  }),
  'ec2:DescribeNatGateways': probe({ service: 'ec2', required: true, call: (ec2) => ec2.send(new DescribeNatGatewaysCommand({ MaxResults: 5 })) }),
  'ec2:DescribeRegions': probe({ service: 'ec2', required: true, call: (ec2) => ec2.send(new DescribeRegionsCommand({})) }),
  'rds:DescribeDBInstances': probe({ service: 'rds', required: true, call: (rds) => rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20 })) }),
  'rds:DescribeDBSnapshots': probe({
    service: 'rds',
    required: true,
    call: (rds) => rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 20 })),
  }),
  'lambda:ListFunctions': probe({ service: 'lambda', required: true, call: (lambda) => lambda.send(new ListFunctionsCommand({ MaxItems: 5 })) }),
  'lambda:ListTags': probe({
    service: 'lambda',
    required: false,
    allowedErrors: ['ResourceNotFoundException'],
    call: (lambda, { scope, partition }) =>
      lambda.send(new ListTagsCommand({ Resource: `arn:${partition}:lambda:${scope.region}:${scope.accountId}:function:${PROBE_NAME}` })),
  }),
  'elasticloadbalancing:DescribeLoadBalancers': probe({
    service: 'elbv2',
    required: true,
    call: (elbv2) => elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 5 })),
  }),
  'elasticloadbalancing:DescribeTargetGroups': probe({
    service: 'elbv2',
    required: true,
    call: (elbv2) => elbv2.send(new DescribeTargetGroupsCommand({ PageSize: 5 })),
  }),
  'elasticloadbalancing:DescribeTargetHealth': probe({
    service: 'elbv2',
    required: true,
    allowedErrors: ['TargetGroupNotFoundException', 'TargetGroupNotFound'],
    call: (elbv2, context) => elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: elbArn(context, 'targetgroup') })),
  }),
  'elasticloadbalancing:DescribeTags': probe({
    service: 'elbv2',
    required: false,
    allowedErrors: ['LoadBalancerNotFoundException', 'LoadBalancerNotFound'],
    call: (elbv2, context) => elbv2.send(new DescribeTagsCommand({ ResourceArns: [elbArn(context, 'loadbalancer/app')] })),
  }),
  'elasticloadbalancing:DescribeInstanceHealth': probe({
    service: 'elb',
    required: true,
    allowedErrors: ['AccessPointNotFoundException', 'LoadBalancerNotFound'],
    call: (elb) => elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: PROBE_NAME })),
  }),
  'cloudwatch:GetMetricData': probe({
    service: 'cloudwatch',
    required: true,
    // One metric over one hour: $0.00001.
    call: (cloudwatch, { now }) => {
      const end = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
      return cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(end.getTime() - 3_600_000),
          EndTime: end,
          MetricDataQueries: [
            {
              Id: 'probe',
              MetricStat: {
                Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-00000000000000000' }] },
                Period: 3600,
                Stat: 'Average',
              },
            },
          ],
        }),
      );
    },
  }),
  'organizations:ListAccounts': probe({
    service: 'organizations',
    required: true,
    explain: organizationError,
    call: (organizations) => organizations.send(new ListAccountsCommand({ MaxResults: 1 })),
  }),
  'ce:GetCostAndUsage': probe({
    service: 'ce',
    required: true,
    explain: (error, scope) => costExplorerError(error, scope, 'ce:GetCostAndUsage'),
    // One day, one metric, no grouping: one request, $0.01.
    call: (ce, { now }) => {
      const today = now.toISOString().slice(0, 10);
      const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
      return ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: yesterday, End: today }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] }));
    },
  }),
};
