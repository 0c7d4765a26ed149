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

/** Whether any of `keys` carries one of `values` in `tags`, ignoring case. */
export function isProduction(tags: Tags, keys: readonly string[], values: readonly string[]): boolean {
  const wantedKeys = new Set(keys.map((key) => key.toLowerCase()));
  const wantedValues = new Set(values.map((value) => value.toLowerCase()));
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
