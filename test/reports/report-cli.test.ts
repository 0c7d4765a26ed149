// `finops report --format/--diff` with a selection: renderForCli on a real store with two completed scans.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanPlan, ScanRecord } from '@finops/queues';
import { buildReport, writeReportFiles, type Report, type ReportDiff } from '@finops/reports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderForCli, wantsRendering } from '../../packages/cli/src/commands/report-render.js';
import { recommendation, reportInput } from '../../packages/reports/src/test-fixtures.js';
import { createHarness, type Harness } from '../notifications/support.js';

describe('finops report --format / --diff', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-report-cli-'));
  let harness: Harness;
  const kept = recommendation({ monthlySavingsUsd: 12, region: 'eu-west-1' });
  const before = buildReport(reportInput({ scanId: 'scan-cli-1', startedAt: '2026-11-20T00:00:00.000Z', recommendations: [kept] }));
  const after = buildReport(reportInput({ scanId: 'scan-cli-2', startedAt: '2026-11-21T00:00:00.000Z', recommendations: [kept, recommendation({ monthlySavingsUsd: 99 })] }));
  let record: ScanRecord;

  async function complete(report: Report): Promise<ScanRecord> {
    const plan: ScanPlan = { scanId: report.scanId, startedAt: report.startedAt, provider: 'simulated', dryRun: true, accounts: report.accounts, regions: report.regions, kinds: ['ebs-volume'], trigger: 'test' };
    await harness.store.createScan(plan);
    await writeReportFiles(report, join(dir, report.scanId), ['json']);
    await harness.store.completeScan(report.scanId, { finishedAt: report.finishedAt, reportDir: join(dir, report.scanId) });
    return (await harness.store.getScan(report.scanId))!;
  }

  beforeAll(async () => {
    harness = await createHarness('report-cli');
    await complete(before);
    record = await complete(after);
  });
  afterAll(async () => {
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the text summary unless a format, a diff or a selection is asked for', () => {
    expect(wantsRendering({ type: 'all' })).toBe(false);
    expect(wantsRendering({ type: 'all', format: 'csv' })).toBe(true);
    expect(wantsRendering({ type: 'all', regions: 'eu-west-1' })).toBe(true);
  });

  it('prints any format for a type and a selection', async () => {
    const html = await renderForCli(harness.store, record, after, { type: 'optimization', format: 'html' });
    expect(html).toContain('data-report-type="optimization"');
    expect(html).toContain('Changes since scan scan-cli-1');
    const csv = await renderForCli(harness.store, record, after, { type: 'all', format: 'csv', regions: 'eu-west-1' });
    expect(csv.trim().split('\r\n').slice(1).every((line) => line.includes(',eu-west-1,'))).toBe(true);
    const json = JSON.parse(await renderForCli(harness.store, record, after, { type: 'all', format: 'json', services: 'ec2' })) as Report;
    expect(json.totals.recommendations).toBe(after.totals.recommendations);
    await expect(renderForCli(harness.store, record, after, { type: 'all', format: 'pdf' })).rejects.toThrow(/unknown format "pdf"/);
    await expect(renderForCli(harness.store, record, after, { type: 'all', services: 's3' })).rejects.toThrow(/unknown service s3/);
  });

  it('prints the changes since the previous scan', async () => {
    const diff = JSON.parse(await renderForCli(harness.store, record, after, { type: 'all', diff: true, format: 'json' })) as ReportDiff;
    expect(diff.previous.scanId).toBe('scan-cli-1');
    expect(diff.savings.deltaUsd).toBeCloseTo(after.totals.monthlySavingsUsd - before.totals.monthlySavingsUsd, 2);
    expect(await renderForCli(harness.store, record, after, { type: 'all', diff: true })).toContain('# Changes since scan scan-cli-1');
  });
});
