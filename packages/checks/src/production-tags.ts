// Production detection by tags, shared by checks that raise their risk for production resources.
import type { Tags } from '@finops/core';
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
