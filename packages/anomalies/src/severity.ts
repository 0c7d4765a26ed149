// Anomaly severity from dollar impact and relative deviation, both, so a big percentage on a small bill stays low.
import type { Config } from '@finops/core';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The `anomalyDetection` section of the configuration. */
export type AnomalySettings = Config['anomalyDetection'];

/** Positive when `a` is more severe than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/**
 * The highest level (`anomalyDetection.severity`) whose impact per day and deviation the anomaly both reach;
 * `low` otherwise. A deviation of `null` (no baseline: spend on a series that had none) reaches every level.
 *
 * @example
 * // defaults: medium ≥ $100/day and 30%, high ≥ $250/day and 50%, critical ≥ $1,000/day and 100%
 * severityOf(412, 80, settings.severity); // 'high'
 */
export function severityOf(impactUsdPerDay: number, deviationPercent: number | null, levels: AnomalySettings['severity']): Severity {
  const reaches = (level: { impactUsdPerDay: number; deviationPercent: number }) =>
    impactUsdPerDay >= level.impactUsdPerDay && (deviationPercent === null || deviationPercent >= level.deviationPercent);
  if (reaches(levels.critical)) return 'critical';
  if (reaches(levels.high)) return 'high';
  if (reaches(levels.medium)) return 'medium';
  return 'low';
}
