// The check contract: one declarative unit per cost check, with a pure evaluate() over plain data.
import type {
  EbsVolume,
  Ec2Instance,
  ElasticIp,
  Evidence,
  Resource,
  MetricName,
  RecommendedAction,
  ResourceKind,
  ResourceMetrics,
  ResourceOf,
  Risk,
} from '@finops/core';
import type { PriceTable } from '@finops/pricing';
import type { z } from 'zod';

/** A check's options schema: strict (unknown keys rejected), every field defaulted and described. */
export type CheckOptionsSchema = z.ZodObject<z.core.$ZodLooseShape, z.core.$strict>;

/**
 * Which lookback window a check's metrics cover: `utilization` = optimization.lookbackDays,
 * `unused` = optimization.unusedLookbackDays, `none` = the check reads resource state only.
 */
export type Lookback = 'utilization' | 'unused' | 'none';

/** Cross-resource lookups a check may need, built once per run from the resources being checked. */
export interface CheckContext {
  /** EC2 instances of the run by id, e.g. for the instance a volume is attached to. */
  instancesById: ReadonlyMap<string, Ec2Instance>;
  /** EBS volumes of the run by id, e.g. for the volumes of a stopped instance. */
  volumesById: ReadonlyMap<string, EbsVolume>;
  /** Elastic IPs of the run by the instance they are associated with. */
  addressesByInstanceId: ReadonlyMap<string, readonly ElasticIp[]>;
  /** optimization.lookbackDays */
  lookbackDays: number;
  /** optimization.unusedLookbackDays */
  unusedLookbackDays: number;
  /**
   * When the platform first saw check `checkId`'s timed condition ({@link Check.condition}) hold on `resource`: the
   * ISO start time of an earlier scan, or undefined when this scan is the first to see it. AWS time-stamps neither
   * "detached" nor every stop, so the platform's own history is the only clock for them.
   */
  firstSeen(resource: Resource, checkId: string): string | undefined;
}

/** What evaluate() receives. `R` is the check's resource type (ResourceOf<its kind>), `O` its parsed options. */
export interface CheckInput<R extends Resource, O> {
  resource: R;
  /** The resource's metric summaries; undefined when none were collected for it. */
  metrics: ResourceMetrics | undefined;
  options: O;
  prices: PriceTable;
  now: Date;
  context: CheckContext;
}

/** What a check found wrong with one resource; runChecks turns it into a Recommendation. */
export interface Finding {
  monthlySavingsUsd: number;
  priceConfidence: 'exact' | 'estimated';
  risk: Risk;
  /** 0..1: datapoints present / expected where metrics are used, 1 for state-only checks. */
  confidence: number;
  action: RecommendedAction;
  /** One plain sentence: `CPU p99 was 1.8% and network at most 0.4 MB/day over 14 days`. */
  reason: string;
  /** The numbers the decision used. */
  evidence: Evidence;
  /** Other resources the action changes or deletes (a terminated instance's volumes), for folding totals. */
  relatedResourceIds?: string[];
}

export interface Check<K extends ResourceKind = ResourceKind, S extends CheckOptionsSchema = CheckOptionsSchema> {
  /** kebab-case `<resource>-<condition>`, e.g. `ebs-unattached-volume`; the same id in YAML, logs and reports. */
  id: string;
  title: string;
  /** One line. */
  description: string;
  resourceKind: K;
  /**
   * Other kinds evaluate() reads through `context`: `ec2-instance` (instancesById), `ebs-volume` (volumesById),
   * `elastic-ip` (addressesByInstanceId). A check's context holds only its own kind's and these lookups (the others
   * are empty), and a scan runs it in one check job with the kinds it reads (checkGroups).
   */
  reads?: readonly ResourceKind[];
  /** Metrics evaluate() reads; the analysis stage collects them. */
  metrics: readonly MetricName[];
  lookback: Lookback;
  /** IAM actions needed to gather the check's data, `service:Action`. */
  permissions: readonly string[];
  options: S;
  /**
   * Informational checks report a risk, not a saving (monthlySavingsUsd 0): optimization.minMonthlySavingsUsd does
   * not hide them.
   */
  informational?: boolean;
  /**
   * The condition whose duration the check judges when AWS gives it no time stamp (a volume being unattached, an
   * instance being stopped). Wherever it holds, the platform remembers since when, scan after scan, and evaluate()
   * reads that through `context.firstSeen`. Pure, like evaluate().
   */
  condition?(resource: ResourceOf<K>): boolean;
  /** Pure: no I/O, no clock (use `now`), no randomness. Returns null when the resource is fine. */
  evaluate(input: CheckInput<ResourceOf<K>, z.output<S>>): Finding | null;
}

/** Declares a check with its resource and options types inferred from `resourceKind` and `options`. */
export function defineCheck<K extends ResourceKind, S extends CheckOptionsSchema>(check: Check<K, S>): Check<K, S> {
  return check;
}

/** A check of any kind, as the registry holds it. */
export type AnyCheck = { [K in ResourceKind]: Check<K, CheckOptionsSchema> }[ResourceKind];

/**
 * Evaluates `check` on `resource` when the kinds match; undefined when they do not.
 * @example evaluateCheck(ec2IdleInstance, { resource, metrics, options, prices, now, context })
 */
export function evaluateCheck(
  check: AnyCheck,
  input: CheckInput<Resource, Record<string, unknown>>,
): Finding | null | undefined {
  if (input.resource.kind !== check.resourceKind) return undefined;
  // TypeScript cannot correlate the check's kind with the resource's across the union; the guard above does, and
  // the caller parsed `options` with this check's schema.
  const erased = check as unknown as { evaluate(input: CheckInput<Resource, Record<string, unknown>>): Finding | null };
  return erased.evaluate(input);
}

/** Whether `check`'s timed condition holds on `resource` (false for other kinds and checks without one). */
export function conditionHolds(check: AnyCheck, resource: Resource): boolean {
  if (resource.kind !== check.resourceKind || !check.condition) return false;
  // Same correlation as evaluateCheck: the kind guard makes the erased call safe.
  const erased = check as unknown as { condition(resource: Resource): boolean };
  return erased.condition(resource);
}
