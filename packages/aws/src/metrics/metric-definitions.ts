// Which CloudWatch metrics describe each resource kind's utilization, and how they map to normalized metric names.
import type { MetricName, MetricSummary, ResourceKind } from '@finops/core';

export interface MetricDefinition {
  metric: MetricName;
  namespace: string;
  /** The CloudWatch metric name. */
  metricName: string;
  stat: MetricSummary['stat'];
}

export interface KindMetrics {
  /** The CloudWatch dimension that identifies one resource; its value is the resource id. */
  dimension: string;
  metrics: readonly MetricDefinition[];
}

/**
 * Snapshots and Elastic IPs publish no utilization metrics, so they have no entry.
 * RDS DatabaseConnections uses Maximum: a database that had one connection during an hour was not idle that hour,
 * and an hourly Sum of per-minute samples would count the same connection sixty times.
 */
export const KIND_METRICS: Partial<Record<ResourceKind, KindMetrics>> = {
  'ec2-instance': {
    dimension: 'InstanceId',
    metrics: [
      { metric: 'cpuUtilization', namespace: 'AWS/EC2', metricName: 'CPUUtilization', stat: 'Average' },
      { metric: 'networkInBytes', namespace: 'AWS/EC2', metricName: 'NetworkIn', stat: 'Sum' },
      { metric: 'networkOutBytes', namespace: 'AWS/EC2', metricName: 'NetworkOut', stat: 'Sum' },
    ],
  },
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
  'lambda-function': {
    dimension: 'FunctionName',
    metrics: [
      { metric: 'lambdaInvocations', namespace: 'AWS/Lambda', metricName: 'Invocations', stat: 'Sum' },
      { metric: 'lambdaErrors', namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum' },
      { metric: 'lambdaDurationMs', namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'Average' },
    ],
  },
};

/** The IAM action fetching metrics needs. */
export const METRICS_PERMISSION = 'cloudwatch:GetMetricData';
