// Validates reports against the JSON Schema published in docs/report-schema.json (ajv, draft 2020-12).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export const PUBLISHED_SCHEMA_PATH = fileURLToPath(new URL('../../docs/report-schema.json', import.meta.url));

// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

let validator: ReturnType<Ajv2020['compile']> | undefined;

/** Errors of `value` against the published schema, one line each; empty when it is valid. */
export function publishedSchemaErrors(value: unknown): string[] {
  if (!validator) {
    const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }));
    validator = ajv.compile(JSON.parse(readFileSync(PUBLISHED_SCHEMA_PATH, 'utf8')) as object);
  }
  return validator(value) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
