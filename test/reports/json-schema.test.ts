// docs/report-schema.json: generated from the zod contract, current, and every report of these tests validates against it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_SCHEMA_VERSION, buildReport, reportJsonSchemaText, writeReportFiles } from '@finops/reports';
import { afterAll, describe, expect, it } from 'vitest';
import { reportInput } from '../../packages/reports/src/test-fixtures.js';
import { richReport } from './fixtures.js';
import { PUBLISHED_SCHEMA_PATH, publishedSchemaErrors } from './published-schema.js';

describe('the published report.json schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is current: docs/report-schema.json equals the schema generated from report-schema.ts', () => {
    const published = readFileSync(PUBLISHED_SCHEMA_PATH, 'utf8');
    expect(published, 'docs/report-schema.json is stale: run `pnpm report-schema`').toBe(reportJsonSchemaText());
    expect(JSON.parse(published).properties.schemaVersion.const).toBe(REPORT_SCHEMA_VERSION);
  });

  it('accepts every report these tests build: plain, empty, and with costs, anomalies and budgets', () => {
    const reports = [buildReport(reportInput()), buildReport(reportInput({ recommendations: [], errors: [], inventoryCounts: [] })), richReport()];
    for (const report of reports) expect(publishedSchemaErrors(report), report.scanId).toEqual([]);
  });

  it('accepts report.json as written to disk', async () => {
    const [jsonFile] = await writeReportFiles(richReport(), dir, ['json']);
    expect(publishedSchemaErrors(JSON.parse(readFileSync(jsonFile, 'utf8')))).toEqual([]);
  });

  it('rejects what the contract rejects: unknown keys, another version, a negative saving', () => {
    const report = richReport();
    expect(publishedSchemaErrors({ ...report, extra: 1 }).join()).toMatch(/additional properties/);
    expect(publishedSchemaErrors({ ...report, schemaVersion: '0.9.0' }).join()).toMatch(/constant/);
    const negative = { ...report, recommendations: [{ ...report.recommendations[0], monthlySavingsUsd: -1 }, ...report.recommendations.slice(1)] };
    expect(publishedSchemaErrors(negative).join()).toMatch(/recommendations\/0\/monthlySavingsUsd/);
  });
});
