// A Lambda function's monthly usage, read from its utilization window: what its price is computed from.
import type { LambdaFunction, MetricSummary, ResourceMetrics } from '@finops/core';
import type { LambdaUsage } from '@finops/pricing';
import { coverage, perMonth } from './metric-window.js';

export interface ObservedLambdaUsage extends LambdaUsage {
  invocationsInWindow: number;
  lookbackDays: number;
  /** p99 of the period averages of Duration (ms). */
  p99DurationMs: number;
  invocations: MetricSummary;
  duration: MetricSummary;
}

/**
 * Invocations scaled from the window to a month, and the mean of the period averages of Duration. Undefined when
 * either metric has no datapoints: Lambda publishes nothing for a period without invocations, so such a function
 * has no usage to price.
 */
export function observedLambdaUsage(fn: LambdaFunction, metrics: ResourceMetrics | undefined): ObservedLambdaUsage | undefined {
  const invocations = metrics?.metrics.lambdaInvocations;
  const duration = metrics?.metrics.lambdaDurationMs;
  if (!metrics || !invocations || !duration || invocations.sum <= 0) return undefined;
  return {
    architecture: fn.architecture,
    memoryMb: fn.memoryMb,
    invocationsPerMonth: perMonth(invocations.sum, metrics.lookbackDays),
    avgDurationMs: duration.avg,
    invocationsInWindow: invocations.sum,
    lookbackDays: metrics.lookbackDays,
    p99DurationMs: duration.p99,
    invocations,
    duration,
  };
}

/** How much of the window the usage figures cover: the periods with invocations are the only ones published. */
export function usageConfidence(usage: ObservedLambdaUsage): number {
  return Math.max(coverage(usage.invocations), Math.min(1, usage.invocations.daily.length / usage.lookbackDays));
}
