// Runs every enabled check over the resources of its kind and turns findings into recommendations.
import { describeError, roundCents } from '@finops/core';
import type {
  Config,
  EbsVolume,
  Ec2Instance,
  ElasticIp,
  Recommendation,
  RecommendationSuppression,
  Resource,
  ResourceKind,
  ResourceMetrics,
} from '@finops/core';
import type { PriceTable } from '@finops/pricing';
import { z } from 'zod';
import { evaluateCheck } from './check.js';
import type { AnyCheck, CheckContext, Finding } from './check.js';
import { recommendationId } from './fingerprint.js';
import { CHECKS } from './registry.js';
import { matchSuppressRule } from './suppress-rules.js';

export interface RunChecksInput {
  resources: readonly Resource[];
  metrics: readonly ResourceMetrics[];
  prices: PriceTable;
  config: Config;
  now: Date;
  /** Checks to run (default: the registry); `config.checks[id].enabled: false` still disables one. */
  checks?: readonly AnyCheck[];
  /**
   * When the platform first saw each timed condition, by fingerprint (`recommendationId` of the resource and the
   * check; see observeConditions): what `context.firstSeen` answers. Missing: first seen in this scan.
   */
  firstSeen?: ReadonlyMap<string, string>;
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
 * Recommendations below optimization.minMonthlySavingsUsd (informational checks excepted) or outside
 * optimization.riskLevels are dropped; those on resources tagged with one of optimization.suppressTagKeys, or
 * matching an optimization.suppress rule, come back with status `suppressed` and the reason.
 */
export function runChecks(input: RunChecksInput): RunChecksResult {
  const { resources, prices, config, now } = input;
  const { optimization } = config;
  const checks = input.checks ?? CHECKS;
  const metricsByResource = new Map(input.metrics.map((entry) => [metricsKey(entry.kind, entry.resourceId), entry]));
  const firstSeen = input.firstSeen ?? new Map<string, string>();
  const lookups = resourceLookups(resources);
  const shared = {
    lookbackDays: optimization.lookbackDays,
    unusedLookbackDays: optimization.unusedLookbackDays,
    firstSeen: (resource: Resource, checkId: string) => firstSeen.get(fingerprintOf(resource, checkId)),
  };
  const riskLevels = new Set<string>(optimization.riskLevels);
  const recommendations: Recommendation[] = [];
  const errors: CheckRunError[] = [];

  for (const check of checks) {
    const { enabled, ...entry } = config.checks[check.id] ?? {};
    if (enabled === false) continue;
    const options = check.options.safeParse(entry);
    if (!options.success) {
      errors.push({ checkId: check.id, resourceId: '*', message: `invalid options: ${z.prettifyError(options.error)}` });
      continue;
    }
    const context: CheckContext = { ...lookupsFor(check, lookups), ...shared };
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
      const recommendation = toRecommendation(check, resource, finding, suppressionOf(check, resource, config));
      if (!check.informational && recommendation.monthlySavingsUsd < optimization.minMonthlySavingsUsd) continue;
      if (!riskLevels.has(recommendation.risk)) continue;
      recommendations.push(recommendation);
    }
  }
  return { recommendations, errors };
}

/** The lookups of CheckContext, built once per run. */
function resourceLookups(resources: readonly Resource[]): Pick<CheckContext, 'instancesById' | 'volumesById' | 'addressesByInstanceId'> {
  const instancesById = new Map<string, Ec2Instance>();
  const volumesById = new Map<string, EbsVolume>();
  const addressesByInstanceId = new Map<string, ElasticIp[]>();
  for (const resource of resources) {
    if (resource.kind === 'ec2-instance') instancesById.set(resource.id, resource);
    else if (resource.kind === 'ebs-volume') volumesById.set(resource.id, resource);
    else if (resource.kind === 'elastic-ip' && resource.instanceId) {
      const list = addressesByInstanceId.get(resource.instanceId) ?? [];
      list.push(resource);
      addressesByInstanceId.set(resource.instanceId, list);
    }
  }
  return { instancesById, volumesById, addressesByInstanceId };
}

const NO_RESOURCES: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * The lookups a check may read: those of its own kind and of the kinds it declares in `reads`, the others empty. A
 * check that reads a kind without declaring it finds nothing in its own tests, rather than only when a scan runs it
 * apart from that kind (checkGroups).
 */
function lookupsFor(check: AnyCheck, lookups: ReturnType<typeof resourceLookups>): ReturnType<typeof resourceLookups> {
  const kinds = new Set<ResourceKind>([check.resourceKind, ...(check.reads ?? [])]);
  return {
    instancesById: kinds.has('ec2-instance') ? lookups.instancesById : NO_RESOURCES,
    volumesById: kinds.has('ebs-volume') ? lookups.volumesById : NO_RESOURCES,
    addressesByInstanceId: kinds.has('elastic-ip') ? lookups.addressesByInstanceId : NO_RESOURCES,
  };
}

/** The tracking fingerprint of a (resource, check): the id its recommendation has. */
export function fingerprintOf(resource: Pick<Resource, 'accountId' | 'region' | 'id'>, checkId: string): string {
  return recommendationId({ accountId: resource.accountId, region: resource.region, resourceId: resource.id, checkId });
}

function metricsKey(kind: string, resourceId: string): string {
  return `${kind}/${resourceId}`;
}

/** Tag suppression first (the resource owner's word), then the first matching config rule. */
function suppressionOf(check: AnyCheck, resource: Resource, config: Config): RecommendationSuppression | undefined {
  const tagKey = config.optimization.suppressTagKeys.find((key) => Object.hasOwn(resource.tags, key));
  if (tagKey !== undefined) return { by: 'tag', reason: `tag ${tagKey}` };
  const rules = config.optimization.suppress;
  const index = rules.findIndex((rule) =>
    matchSuppressRule(rule, { checkId: check.id, accountId: resource.accountId, region: resource.region, resourceId: resource.id }),
  );
  if (index < 0) return undefined;
  return { by: 'config', reason: `optimization.suppress[${index}]: ${rules[index]?.reason}` };
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


function toRecommendation(
  check: AnyCheck,
  resource: Resource,
  finding: Finding,
  suppression: RecommendationSuppression | undefined,
): Recommendation {
  const related = [...new Set(finding.relatedResourceIds ?? [])].filter((id) => id !== resource.id);
  return {
    id: fingerprintOf(resource, check.id),
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
    status: suppression ? 'suppressed' : 'open',
    reason: finding.reason,
    evidence: finding.evidence,
    priceConfidence: finding.priceConfidence,
    ...(related.length > 0 ? { relatedResourceIds: related } : {}),
    ...(suppression ? { suppression } : {}),
  };
}
