// Instance and DB instance families: the sizes each offers, one size down, and the family moves checks recommend.
import { parseInstanceType, sizeFactor, type PriceTable } from '@finops/pricing';
import { z } from 'zod';

/** One size of a family, with its AWS normalization factor (large = 4, each step doubles). */
export interface SizeOption {
  type: string;
  family: string;
  size: string;
  factor: number;
}

type Catalog = 'ec2' | 'rds';

/** familySizes by price table, catalog and family: checks ask for the same few families once per instance. */
const sizesByTable = new WeakMap<PriceTable, Map<string, readonly SizeOption[]>>();

/**
 * The sizes a family offers, smallest first, as the price table lists them (it lists every size that exists, so
 * a size it lacks is not recommended). Empty for a family the table does not know. Computed once per table.
 */
export function familySizes(prices: PriceTable, catalog: Catalog, family: string): readonly SizeOption[] {
  const cache = sizesByTable.get(prices) ?? new Map<string, readonly SizeOption[]>();
  sizesByTable.set(prices, cache);
  const key = `${catalog}:${family}`;
  let sizes = cache.get(key);
  if (!sizes) {
    const listed = prices.data[catalog].families[family];
    const factors = prices.data.sizeFactors.factors;
    sizes = Object.freeze(
      (listed ? Object.keys(listed.prices) : [])
        .flatMap((size) => {
          const factor = sizeFactor(size, factors);
          return factor === undefined ? [] : [Object.freeze({ type: `${family}.${size}`, family, size, factor })];
        })
        .sort((a, b) => a.factor - b.factor),
    );
    cache.set(key, sizes);
  }
  return sizes;
}

/** The size of `type` with its factor, or undefined when the type does not parse or its size is unknown. */
export function sizeOf(prices: PriceTable, type: string): SizeOption | undefined {
  const parts = parseInstanceType(type);
  if (!parts) return undefined;
  const factor = sizeFactor(parts.size, prices.data.sizeFactors.factors);
  return factor === undefined ? undefined : { type, family: parts.family, size: parts.size, factor };
}

/** The largest size of `family` smaller than `factor`: one size down. */
export function oneSizeDown(prices: PriceTable, catalog: Catalog, family: string, factor: number): SizeOption | undefined {
  return familySizes(prices, catalog, family)
    .filter((option) => option.factor < factor)
    .at(-1);
}

/** The same size in `family`, when the family offers it. */
export function sameSizeIn(prices: PriceTable, catalog: Catalog, family: string, size: string): SizeOption | undefined {
  return familySizes(prices, catalog, family).find((option) => option.size === size);
}

/** A check option mapping one family to another: `{ m5: m7g }`. */
export function familyMapOption(defaults: Record<string, string>, description: string) {
  return z.record(z.string().min(1), z.string().min(1)).default(defaults).describe(description);
}

/** x86 EC2 families and their Graviton (arm64) equivalent of the newest generation AWS lists for the same role. */
export const EC2_GRAVITON_FAMILIES: Record<string, string> = {
  t2: 't4g',
  t3: 't4g',
  t3a: 't4g',
  m4: 'm7g',
  m5: 'm7g',
  m5a: 'm7g',
  m6i: 'm7g',
  m6a: 'm7g',
  m7i: 'm7g',
  c4: 'c7g',
  c5: 'c7g',
  c5a: 'c7g',
  c6i: 'c7g',
  c6a: 'c7g',
  c7i: 'c7g',
  r4: 'r7g',
  r5: 'r7g',
  r5a: 'r7g',
  r6i: 'r7g',
  r6a: 'r7g',
  r7i: 'r7g',
};

/** Previous-generation EC2 families and the current-generation x86 family that replaces each. */
export const EC2_PREVIOUS_GENERATION: Record<string, string> = {
  t1: 't3',
  t2: 't3',
  m1: 'm5',
  m2: 'r5',
  m3: 'm5',
  m4: 'm5',
  c1: 'c5',
  c3: 'c5',
  c4: 'c5',
  r3: 'r5',
  r4: 'r5',
};

/** x86 RDS classes and their Graviton equivalent. */
export const RDS_GRAVITON_FAMILIES: Record<string, string> = {
  'db.t2': 'db.t4g',
  'db.t3': 'db.t4g',
  'db.m4': 'db.m7g',
  'db.m5': 'db.m7g',
  'db.m6i': 'db.m7g',
  'db.r4': 'db.r7g',
  'db.r5': 'db.r7g',
  'db.r6i': 'db.r7g',
};

/** Previous-generation RDS classes and the current-generation class that replaces each. */
export const RDS_PREVIOUS_GENERATION: Record<string, string> = {
  'db.t2': 'db.t3',
  'db.m1': 'db.m5',
  'db.m2': 'db.r5',
  'db.m3': 'db.m5',
  'db.m4': 'db.m5',
  'db.r3': 'db.r5',
  'db.r4': 'db.r5',
};

/** RDS engines that run on Graviton classes (RDS for Oracle, SQL Server and Db2 do not). */
export const GRAVITON_RDS_ENGINES = ['postgres', 'mysql', 'mariadb', 'aurora-postgresql', 'aurora-mysql'];
