// The report.json contract as a JSON Schema (draft 2020-12), generated from the zod schema: published in docs/.
import { z } from 'zod';
import { REPORT_SCHEMA_VERSION, reportSchema } from './report-schema.js';

/**
 * The JSON Schema of report.json. Generated, never hand-edited: `pnpm report-schema` writes it to
 * docs/report-schema.json, and a test fails when that file is stale. Refinements zod cannot express in JSON Schema
 * (e.g. "status is open in recommendations") are stated in the descriptions.
 */
export function reportJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(reportSchema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: generated.$schema,
    title: `FinOps scan report (report.json) ${REPORT_SCHEMA_VERSION}`,
    description:
      'What one scan found: inventory counts, open and suppressed recommendations with totals, anomalies, budgets, errors and AWS API usage. ' +
      'Generated from packages/reports/src/report-schema.ts; see docs/reports.md.',
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  };
}

/** The schema as the text of docs/report-schema.json (2-space JSON, final newline). */
export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}
