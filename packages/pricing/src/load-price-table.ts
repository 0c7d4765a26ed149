// Loads the bundled price table, merges an optional override over it and validates the result once.
import { ConfigError } from '@finops/core';
import type { ConfigIssue } from '@finops/core';
import bundled from './price-table.json' with { type: 'json' };
import { PriceTable } from './price-table.js';
import { priceTableSchema } from './price-table-schema.js';
import type { PriceTableData } from './price-table-schema.js';

/** Any part of a price table. Objects merge key by key over the bundled table; arrays and numbers replace. */
export type PriceTableOverride = DeepPartial<PriceTableData>;

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Shown as the source of override issues (the caller may know a file name; this package does not). */
const OVERRIDE_SOURCE = 'price table override';

let bundledTable: PriceTable | undefined;

/**
 * The price table: the bundled figures, or the bundled figures with `override` merged over them.
 * Throws a ConfigError naming each invalid field of the merged table (`source` names the override in it).
 * @example loadPriceTable({ regions: { overrides: { 'eu-west-1': { ec2Linux: { 'm5.large': 0.107 } } } } })
 */
export function loadPriceTable(override?: PriceTableOverride, options: { source?: string } = {}): PriceTable {
  if (override === undefined) {
    bundledTable ??= new PriceTable(validate(bundled, 'bundled price-table.json'));
    return bundledTable;
  }
  return new PriceTable(validate(mergeDeep(bundled, override), options.source ?? OVERRIDE_SOURCE));
}

/** The bundled table as data, for tools that derive an override from it. */
export function bundledPriceTableData(): PriceTableData {
  return loadPriceTable().data;
}

function validate(input: unknown, source: string): PriceTableData {
  const parsed = priceTableSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: ConfigIssue[] = parsed.error.issues.map((issue) => ({
    source,
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new ConfigError(issues, { hint: 'fix the price table override; every price must be a positive number' });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeDeep(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeDeep(base[key], value);
  return merged;
}
