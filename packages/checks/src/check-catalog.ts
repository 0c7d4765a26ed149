// What `finops checks list` and the docs show: each check's defaults and documented options.
import { z } from 'zod';
import type { AnyCheck, Lookback } from './check.js';
import { describeSchema } from './describe-schema.js';
import { CHECKS } from './registry.js';

export interface CheckOptionDoc {
  name: string;
  /** `number ≥ 0`, `true or false`, … */
  type: string;
  description: string;
  default: unknown;
}

export interface CheckDoc {
  id: string;
  title: string;
  description: string;
  resourceKind: AnyCheck['resourceKind'];
  lookback: Lookback;
  metrics: readonly string[];
  permissions: readonly string[];
  /** Reports a risk, not a saving. */
  informational: boolean;
  /** Times a condition AWS does not time-stamp from the platform's own scan history. */
  timed: boolean;
  options: CheckOptionDoc[];
}

/** Every check's config entry with all defaults filled in: `{ 'ebs-unattached-volume': { enabled: true, … } }`. */
export function checkDefaults(registry: readonly AnyCheck[] = CHECKS): Record<string, Record<string, unknown>> {
  return Object.fromEntries(registry.map((check) => [check.id, { enabled: true, ...check.options.parse({}) }]));
}

/** Every check with its options documented (name, type, description, default). */
export function describeChecks(registry: readonly AnyCheck[] = CHECKS): CheckDoc[] {
  return registry.map((check) => {
    const defaults = check.options.parse({}) as Record<string, unknown>;
    const options = Object.entries(check.options.shape).map(([name, field]) => ({
      name,
      type: describeSchema(field as z.ZodType),
      description: (field as z.ZodType).description ?? '',
      default: defaults[name],
    }));
    return {
      id: check.id,
      title: check.title,
      description: check.description,
      resourceKind: check.resourceKind,
      lookback: check.lookback,
      metrics: check.metrics,
      permissions: check.permissions,
      informational: check.informational === true,
      timed: check.condition !== undefined,
      options,
    };
  });
}
