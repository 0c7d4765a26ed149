// Which metrics the analysis stage must fetch, per window and resource kind: only what enabled checks read.
import type { Config, MetricName, ResourceKind } from '@finops/core';
import type { AnyCheck } from './check.js';
import { CHECKS } from './registry.js';

export interface MetricNeeds {
  /** Metrics read over the utilization window (optimization.lookbackDays at metricPeriodSec). */
  utilization: Partial<Record<ResourceKind, MetricName[]>>;
  /** Metrics read over the unused window (optimization.unusedLookbackDays, daily). */
  unused: Partial<Record<ResourceKind, MetricName[]>>;
}

/**
 * The union of the metrics of every enabled check, by the window its `lookback` names. A disabled check costs no
 * CloudWatch request; a metric two checks read in the same window is asked for once.
 * @example metricNeeds(config).unused['lambda-function'] // ['lambdaInvocations']
 */
export function metricNeeds(config: Pick<Config, 'checks'>, checks: readonly AnyCheck[] = CHECKS): MetricNeeds {
  const needs: MetricNeeds = { utilization: {}, unused: {} };
  for (const check of checks) {
    if (check.lookback === 'none' || config.checks[check.id]?.enabled === false) continue;
    const byKind = needs[check.lookback];
    const list = byKind[check.resourceKind] ?? [];
    for (const metric of check.metrics) if (!list.includes(metric)) list.push(metric);
    byKind[check.resourceKind] = list;
  }
  return needs;
}
