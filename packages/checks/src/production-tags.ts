// Production detection by tags, shared by checks that raise their risk for production resources.
import type { Risk, Tags } from '@finops/core';
import { z } from 'zod';

/** Options fragment: spread into a check's options schema. */
export const productionTagOptions = {
  productionTagKeys: z
    .array(z.string().min(1))
    .default(['env', 'environment', 'stage'])
    .describe('Tag keys that name an environment (compared case-insensitively).'),
  productionTagValues: z
    .array(z.string().min(1))
    .default(['prod', 'production'])
    .describe('Values of those keys that mark a production resource (compared case-insensitively).'),
};

/**
 * Lower-cased sets of option lists: a check's options are parsed once per run and asked about every resource. An
 * entry is reused only while its list still holds the same items (a caller may change an array it passed before).
 */
const lowerCaseSets = new WeakMap<readonly string[], { items: readonly string[]; set: ReadonlySet<string> }>();

function lowerCaseSet(list: readonly string[]): ReadonlySet<string> {
  const cached = lowerCaseSets.get(list);
  if (cached && cached.items.length === list.length && cached.items.every((item, i) => item === list[i])) return cached.set;
  const set = new Set(list.map((item) => item.toLowerCase()));
  lowerCaseSets.set(list, { items: [...list], set });
  return set;
}

/** Whether any of `keys` carries one of `values` in `tags`, ignoring case. */
export function isProduction(tags: Tags, keys: readonly string[], values: readonly string[]): boolean {
  const wantedKeys = lowerCaseSet(keys);
  const wantedValues = lowerCaseSet(values);
  return Object.entries(tags).some(
    ([key, value]) => wantedKeys.has(key.toLowerCase()) && wantedValues.has(value.trim().toLowerCase()),
  );
}

/** Options fragment for checks about non-production resources: which tags say "not production". */
export const nonProductionTagOptions = {
  nonProductionTagKeys: z
    .array(z.string().min(1))
    .default(['env', 'environment', 'stage'])
    .describe('Tag keys that name an environment (compared case-insensitively).'),
  nonProductionTagValues: z
    .array(z.string().min(1))
    .default(['dev', 'development', 'test', 'testing', 'qa', 'staging', 'sandbox', 'demo'])
    .describe('Values of those keys that mark a non-production resource (compared case-insensitively).'),
};

const RISK_STEPS: readonly Risk[] = ['low', 'medium', 'high'];

/** `base`, one level higher for a production resource (production tags raise risk). */
export function riskFor(base: Risk, production: boolean): Risk {
  if (!production) return base;
  return RISK_STEPS[Math.min(RISK_STEPS.length - 1, RISK_STEPS.indexOf(base) + 1)] as Risk;
}
