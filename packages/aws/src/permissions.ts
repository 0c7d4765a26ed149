// The IAM actions the scan needs, derived from the collector registry and the metric definitions.
import { RESOURCE_KINDS, type ResourceKind } from '@finops/core';
import { COLLECTORS } from './collectors/index.js';
import { kindHasMetrics, METRICS_PERMISSION } from './metrics/metric-definitions.js';

/** The IAM actions each resource kind's discovery and metrics need, e.g. `ebs-volume` → DescribeVolumes, GetMetricData. */
export const DISCOVERY_PERMISSIONS: Record<ResourceKind, string[]> = Object.fromEntries(
  RESOURCE_KINDS.map((kind) => [
    kind,
    [
      ...(COLLECTORS.find((collector) => collector.kind === kind)?.permissions ?? []),
      ...(kindHasMetrics(kind) ? [METRICS_PERMISSION] : []),
    ],
  ]),
) as Record<ResourceKind, string[]>;

/**
 * Actions used to find what to scan, whatever the resource kinds: the caller's identity, member-account roles,
 * the organization's accounts (aws.organization) and the enabled regions (aws.regions: all).
 */
export const ACCOUNT_PERMISSIONS: readonly string[] = [
  'sts:GetCallerIdentity',
  'sts:AssumeRole',
  'organizations:ListAccounts',
  'ec2:DescribeRegions',
];
