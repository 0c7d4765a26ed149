// Which CloudWatch metrics describe each resource kind's utilization, and how they map to normalized metric names.
import type { LoadBalancer, MetricName, MetricSummary, Resource, ResourceKind } from '@finops/core';

export interface MetricDefinition {
  metric: MetricName;
  namespace: string;
  /** The CloudWatch metric name. */
  metricName: string;
  stat: MetricSummary['stat'];
  /**
   * `daily`: its checks read only per-day totals (and the window's sum), so it is fetched at 86,400 s over the
   * utilization window too: one datapoint per UTC day instead of 24 hourly ones, so a GetMetricData call holds 500
   * such queries where it holds 300 hourly ones. Only for `Sum` metrics, whose daily datapoint is the total of the
   * day's hourly ones. Default: the utilization window's period (`optimization.metricPeriodSec`).
   */
  period?: 'daily';
}

export interface KindMetrics {
  /** The CloudWatch dimension that identifies one resource; its value is the resource id. */
  dimension: string;
  metrics: readonly MetricDefinition[];
}

/**
 * Metrics per kind whose resources are identified by their id. Snapshots and Elastic IPs publish no utilization
 * metrics, so they have no entry; load balancers vary by type (see {@link LOAD_BALANCER_METRICS}).
 * RDS DatabaseConnections uses Maximum: a database that had one connection during an hour was not idle that hour,
 * and an hourly Sum of per-minute samples would count the same connection sixty times.
 */
export const KIND_METRICS: Partial<Record<ResourceKind, KindMetrics>> = {
  'ec2-instance': {
    dimension: 'InstanceId',
    metrics: [
      { metric: 'cpuUtilization', namespace: 'AWS/EC2', metricName: 'CPUUtilization', stat: 'Average' },
      // ec2-idle-instance judges every day's network in + out, never an hour of it.
      { metric: 'networkInBytes', namespace: 'AWS/EC2', metricName: 'NetworkIn', stat: 'Sum', period: 'daily' },
      { metric: 'networkOutBytes', namespace: 'AWS/EC2', metricName: 'NetworkOut', stat: 'Sum', period: 'daily' },
    ],
  },
  // Hourly here; per volume, metricPlanFor asks daily totals of volumes without provisioned IOPS (EBS_DAILY_OPS).
  'ebs-volume': {
    dimension: 'VolumeId',
    metrics: [
      { metric: 'ebsReadOps', namespace: 'AWS/EBS', metricName: 'VolumeReadOps', stat: 'Sum' },
      { metric: 'ebsWriteOps', namespace: 'AWS/EBS', metricName: 'VolumeWriteOps', stat: 'Sum' },
    ],
  },
  'rds-instance': {
    dimension: 'DBInstanceIdentifier',
    metrics: [
      { metric: 'cpuUtilization', namespace: 'AWS/RDS', metricName: 'CPUUtilization', stat: 'Average' },
      { metric: 'databaseConnections', namespace: 'AWS/RDS', metricName: 'DatabaseConnections', stat: 'Maximum' },
    ],
  },
  // NAT gateways publish at 1-minute intervals; for an idle gateway, datapoints of 0 and no datapoints both mean no traffic.
  'nat-gateway': {
    dimension: 'NatGatewayId',
    metrics: [
      { metric: 'natBytesOutToDestination', namespace: 'AWS/NATGateway', metricName: 'BytesOutToDestination', stat: 'Sum' },
      { metric: 'natBytesOutToSource', namespace: 'AWS/NATGateway', metricName: 'BytesOutToSource', stat: 'Sum' },
    ],
  },
  'lambda-function': {
    dimension: 'FunctionName',
    metrics: [
      { metric: 'lambdaInvocations', namespace: 'AWS/Lambda', metricName: 'Invocations', stat: 'Sum' },
      { metric: 'lambdaErrors', namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum' },
      { metric: 'lambdaDurationMs', namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'Average' },
    ],
  },
};

/**
 * Load balancers publish under one namespace per type, and identify themselves by the `app/<name>/<id>` tail of
 * their ARN (elbv2) or by name (classic). ELB publishes nothing for a period without traffic, so a missing
 * datapoint here means no requests, not missing data. Fetched daily: elb-idle-load-balancer reads requests and new
 * flows only per day.
 */
export const LOAD_BALANCER_METRICS: Record<LoadBalancer['type'], KindMetrics> = {
  application: {
    dimension: 'LoadBalancer',
    metrics: [{ metric: 'lbRequestCount', namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', stat: 'Sum', period: 'daily' }],
  },
  network: {
    dimension: 'LoadBalancer',
    metrics: [{ metric: 'lbNewFlowCount', namespace: 'AWS/NetworkELB', metricName: 'NewFlowCount', stat: 'Sum', period: 'daily' }],
  },
  gateway: {
    dimension: 'LoadBalancer',
    metrics: [{ metric: 'lbNewFlowCount', namespace: 'AWS/GatewayELB', metricName: 'NewFlowCount', stat: 'Sum', period: 'daily' }],
  },
  classic: {
    dimension: 'LoadBalancerName',
    metrics: [{ metric: 'lbRequestCount', namespace: 'AWS/ELB', metricName: 'RequestCount', stat: 'Sum', period: 'daily' }],
  },
};

/**
 * A volume's operations as daily totals: ebs-idle-volume reads them only per day. Only an io1/io2 volume's busiest
 * hour is read (ebs-overprovisioned-iops-volume weighs it against the IOPS it provisions), so only those are asked
 * hourly: a gp2/gp3/st1/sc1 volume then costs 2 × 15 datapoints instead of 2 × 336.
 */
export const EBS_DAILY_OPS: readonly MetricDefinition[] = (KIND_METRICS['ebs-volume'] as KindMetrics).metrics.map((m) => ({ ...m, period: 'daily' as const }));

/** Volume types with provisioned IOPS, whose hourly peak a check reads. */
const PROVISIONED_IOPS_TYPES: ReadonlySet<string> = new Set(['io1', 'io2']);

/** What to ask CloudWatch for one resource: its dimension and its metrics. */
export interface ResourceMetricPlan {
  dimension: { name: string; value: string };
  metrics: readonly MetricDefinition[];
}

/**
 * The metrics of one resource, or undefined when its kind publishes none (snapshots, Elastic IPs) or it cannot be
 * identified in CloudWatch (an elbv2 load balancer without an ARN).
 *
 * @example metricPlanFor(alb) // { dimension: { name: 'LoadBalancer', value: 'app/web/50dc6c495c0c9188' }, metrics: [RequestCount] }
 */
export function metricPlanFor(resource: Resource): ResourceMetricPlan | undefined {
  if (resource.kind === 'load-balancer') {
    const { dimension, metrics } = LOAD_BALANCER_METRICS[resource.type];
    const value = resource.type === 'classic' ? resource.id : loadBalancerDimension(resource.arn ?? resource.id);
    return value ? { dimension: { name: dimension, value }, metrics } : undefined;
  }
  const kindMetrics = KIND_METRICS[resource.kind];
  if (!kindMetrics) return undefined;
  const daily = resource.kind === 'ebs-volume' && !PROVISIONED_IOPS_TYPES.has(resource.volumeType);
  return { dimension: { name: kindMetrics.dimension, value: resource.id }, metrics: daily ? EBS_DAILY_OPS : kindMetrics.metrics };
}

/** Whether resources of a kind have utilization metrics (and so need cloudwatch:GetMetricData). */
export function kindHasMetrics(kind: ResourceKind): boolean {
  return kind === 'load-balancer' || KIND_METRICS[kind] !== undefined;
}

/**
 * `arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188` →
 * `app/web/50dc6c495c0c9188`: the value of the `LoadBalancer` dimension. Undefined for anything else.
 */
export function loadBalancerDimension(arn: string): string | undefined {
  const match = /:loadbalancer\/((?:app|net|gwy)\/[^/]+\/[^/]+)$/.exec(arn);
  return match?.[1];
}

/** The IAM action fetching metrics needs. */
export const METRICS_PERMISSION = 'cloudwatch:GetMetricData';
