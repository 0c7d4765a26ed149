// Runs every enabled check over the resources of its kind and turns findings into recommendations.
import { describeError } from '@finops/core';
import type { Config, Ec2Instance, Recommendation, Resource, ResourceMetrics } from '@finops/core';
import type { PriceTable } from '@finops/pricing';
import { z } from 'zod';
import { evaluateCheck } from './check.js';
import type { AnyCheck, CheckContext, Finding } from './check.js';
import { recommendationId } from './fingerprint.js';
import { CHECKS } from './registry.js';

export interface RunChecksInput {
  resources: readonly Resource[];
  metrics: readonly ResourceMetrics[];
  prices: PriceTable;
  config: Config;
  now: Date;
  /** Checks to run (default: the registry); `config.checks[id].enabled: false` still disables one. */
  checks?: readonly AnyCheck[];
}

/** A check that failed on one resource (`resourceId` `*` when its options were invalid and it did not run). */
export interface CheckRunError {
  checkId: string;
  resourceId: string;
  message: string;
}

export interface RunChecksResult {
  recommendations: Recommendation[];
  errors: CheckRunError[];
}

/**
 * Evaluates the checks. A check that throws on one resource is recorded in `errors` and the run goes on.
 * Recommendations below optimization.minMonthlySavingsUsd or outside optimization.riskLevels are dropped;
 * resources tagged with one of optimization.suppressTagKeys come back with status `suppressed`.
 */
export function runChecks(input: RunChecksInput): RunChecksResult {
  const { resources, prices, config, now } = input;
  const { optimization } = config;
  const metricsByResource = new Map(input.metrics.map((entry) => [metricsKey(entry.kind, entry.resourceId), entry]));
  const context: CheckContext = {
    instancesById: new Map(
      resources.filter((r): r is Ec2Instance => r.kind === 'ec2-instance').map((instance) => [instance.id, instance]),
    ),
    lookbackDays: optimization.lookbackDays,
    unusedLookbackDays: optimization.unusedLookbackDays,
  };
  const riskLevels = new Set<string>(optimization.riskLevels);
  const recommendations: Recommendation[] = [];
  const errors: CheckRunError[] = [];

  for (const check of input.checks ?? CHECKS) {
    const { enabled, ...entry } = config.checks[check.id] ?? {};
    if (enabled === false) continue;
    const options = check.options.safeParse(entry);
    if (!options.success) {
      errors.push({ checkId: check.id, resourceId: '*', message: `invalid options: ${z.prettifyError(options.error)}` });
      continue;
    }
    for (const resource of resources) {
      if (resource.kind !== check.resourceKind) continue;
      let finding: Finding | null | undefined;
      try {
        finding = evaluateCheck(check, {
          resource,
          metrics: metricsByResource.get(metricsKey(resource.kind, resource.id)),
          options: options.data,
          prices,
          now,
          context,
        });
        if (finding) assertValidFinding(finding);
      } catch (error) {
        errors.push({ checkId: check.id, resourceId: resource.id, message: describeError(error) });
        continue;
      }
      if (!finding) continue;
      const recommendation = toRecommendation(check, resource, finding, optimization.suppressTagKeys);
      if (recommendation.monthlySavingsUsd < optimization.minMonthlySavingsUsd) continue;
      if (!riskLevels.has(recommendation.risk)) continue;
      recommendations.push(recommendation);
    }
  }
  return { recommendations, errors };
}

function metricsKey(kind: string, resourceId: string): string {
  return `${kind}/${resourceId}`;
}

/** Guards the report against a check bug: NaN or negative money must fail loudly, on that resource only. */
function assertValidFinding(finding: Finding): void {
  if (!Number.isFinite(finding.monthlySavingsUsd) || finding.monthlySavingsUsd < 0) {
    throw new Error(`check returned invalid monthlySavingsUsd ${finding.monthlySavingsUsd}`);
  }
  if (!(finding.confidence >= 0 && finding.confidence <= 1)) {
    throw new Error(`check returned confidence ${finding.confidence}, expected 0..1`);
  }
}

function roundCents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

function toRecommendation(
  check: AnyCheck,
  resource: Resource,
  finding: Finding,
  suppressTagKeys: readonly string[],
): Recommendation {
  const suppressed = suppressTagKeys.some((key) => Object.hasOwn(resource.tags, key));
  return {
    id: recommendationId({
      accountId: resource.accountId,
      region: resource.region,
      resourceId: resource.id,
      checkId: check.id,
    }),
    checkId: check.id,
    resourceId: resource.id,
    resourceKind: resource.kind,
    ...(resource.name !== undefined ? { resourceName: resource.name } : {}),
    tags: resource.tags,
    accountId: resource.accountId,
    region: resource.region,
    monthlySavingsUsd: roundCents(finding.monthlySavingsUsd),
    risk: finding.risk,
    confidence: Math.round(finding.confidence * 100) / 100,
    action: finding.action,
    status: suppressed ? 'suppressed' : 'open',
    reason: finding.reason,
    evidence: finding.evidence,
    priceConfidence: finding.priceConfidence,
  };
}
