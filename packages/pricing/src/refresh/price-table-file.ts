// Reading and writing the price table override file (pricing.overrideFile) that `finops pricing refresh` produces.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '@finops/core';
import { loadPriceTable, type PriceTableOverride } from '../load-price-table.js';
import type { PriceTable } from '../price-table.js';

/**
 * The price table: the bundled one merged with the override in `file` when the file exists, else the bundled one.
 * A file that is not JSON or holds an invalid price throws a ConfigError naming the file.
 *
 * @example loadPriceTableFile(config.pricing.overrideFile)
 */
export function loadPriceTableFile(file: string | undefined): { table: PriceTable; overrideFile?: string } {
  if (!file || !existsSync(file)) return { table: loadPriceTable() };
  let override: PriceTableOverride;
  try {
    override = JSON.parse(readFileSync(file, 'utf8')) as PriceTableOverride;
  } catch (error) {
    throw new ConfigError([{ source: file, path: '', message: `not a JSON price table: ${(error as Error).message}` }], {
      hint: 'write it again with `finops pricing refresh`, or delete it to use the bundled prices',
    });
  }
  return { table: loadPriceTable(override, { source: file }), overrideFile: file };
}

/** Validates `override` over the bundled table, then writes it atomically (a temporary file, then a rename). */
export function writePriceTableFile(file: string, override: PriceTableOverride): PriceTable {
  const table = loadPriceTable(override, { source: file });
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(override, null, 2)}\n`);
  renameSync(temporary, file);
  return table;
}
