// The report API in-process on a real Redis: every format of a scan's report, selections, the diff with the scan
// before, the latest report, and the notification status.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, listen } from '@finops/api';
import type { ScanPlan } from '@finops/queues';
import { buildReport, writeReportFiles, type Report, type ReportDiff } from '@finops/reports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommendation, reportInput } from '../../packages/reports/src/test-fixtures.js';
import { createHarness, silentLogger, type Harness } from '../notifications/support.js';
import { richReport } from './fixtures.js';
import { publishedSchemaErrors } from './published-schema.js';

describe('report API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-report-api-'));
  let harness: Harness;
  let server: Awaited<ReturnType<typeof listen>>;
  const shared = recommendation({ monthlySavingsUsd: 42 });
  const previous = buildReport(reportInput({ scanId: 'scan-api-1', startedAt: '2026-11-25T12:00:00.000Z', finishedAt: '2026-11-25T12:03:00.000Z', recommendations: [shared, recommendation({ monthlySavingsUsd: 7 })] }));
  const latest = richReport({ scanId: 'scan-api-2', recommendations: [shared, ...richReport().recommendations] });
  const fixed = { ...latest, totals: buildReport(reportInput({ recommendations: latest.recommendations })).totals };

  async function completed(report: Report, status: 'completed' | 'running' = 'completed') {
    const plan: ScanPlan = { scanId: report.scanId, startedAt: report.startedAt, provider: 'simulated', dryRun: true, accounts: report.accounts, regions: report.regions, kinds: ['ebs-volume'], trigger: 'test' };
    await harness.store.createScan(plan);
    if (status === 'running') return;
    const reportDir = join(dir, report.scanId);
    await writeReportFiles(report, reportDir, ['json']);
    await harness.store.completeScan(report.scanId, { finishedAt: report.finishedAt, reportDir });
  }

  beforeAll(async () => {
    harness = await createHarness('report-api', {
      api: { auth: 'none' },
      notifications: { enabled: true, channels: [{ id: 'ops', type: 'webhook', url: 'http://127.0.0.1:9/hook', events: ['weekly-summary'] }] },
    });
    const app = createApp({
      config: harness.config,
      configSource: 'test',
      queues: harness.queues,
      store: harness.store,
      redis: harness.redis,
      logger: silentLogger,
      startScan: () => Promise.reject(new Error('not in this test')),
      scanProgress: async () => undefined,
    });
    server = await listen(app, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await server?.close();
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${server.url}${path}`);

  it('has no latest report before a scan completes', async () => {
    const res = await get('/api/reports/latest');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'no scan has completed yet', hint: 'POST /api/scans starts one' });
  });

  it('serves a report as json, csv, md and html', async () => {
    await completed(previous);
    await completed(fixed);
    const json = await get(`/api/scans/${fixed.scanId}/report.json`);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await json.json()) as Report;
    expect(body).toEqual(fixed);
    expect(publishedSchemaErrors(body)).toEqual([]);

    const csv = await (await get(`/api/scans/${fixed.scanId}/report.csv`)).text();
    expect(csv.split('\r\n')[0]).toMatch(/^id,status,checkId,/);
    expect(csv.split('\r\n')).toHaveLength(1 + fixed.recommendations.length + fixed.suppressed.length + 1);

    const md = await (await get(`/api/scans/${fixed.scanId}/report.md`)).text();
    expect(md).toContain(`# FinOps report: scan ${fixed.scanId}`);
    expect(md).toContain('# Changes since scan scan-api-1');

    const html = await get(`/api/scans/${fixed.scanId}/report.html`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    const page = await html.text();
    expect(page).toContain('data-chart="cost-trend-chart"');
    expect(page).toContain('Changes since scan scan-api-1');
  });

  it('narrows a report to a type and a selection', async () => {
    const res = await get(`/api/scans/${fixed.scanId}/report.json?regions=eu-west-1&services=ec2`);
    const body = (await res.json()) as Report;
    expect(body.regions).toEqual(['eu-west-1']);
    expect(body.recommendations.every((r) => r.region === 'eu-west-1')).toBe(true);
    const budget = await (await get(`/api/scans/${fixed.scanId}/report.html?type=budget&diff=false`)).text();
    expect(budget).toContain('id="budgets"');
    expect(budget).not.toContain('id="recommendations"');
    expect(budget).not.toContain('Changes since');
  });

  it('answers bad requests with the problem and the fix', async () => {
    const bad = await get(`/api/scans/${fixed.scanId}/report.html?type=everything`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: expect.stringContaining('type'), hint: expect.stringContaining('?type=optimization') });
    expect((await get(`/api/scans/${fixed.scanId}/report.pdf`)).status).toBe(404);
    expect((await get('/api/scans/scan-nope/report.json')).status).toBe(404);
    await completed(buildReport(reportInput({ scanId: 'scan-api-running' })), 'running');
    const running = await get('/api/scans/scan-api-running/report.md');
    expect(running.status).toBe(409);
  });

  it('serves the diff with the scan before, as JSON or Markdown', async () => {
    const diff = (await (await get(`/api/scans/${fixed.scanId}/diff`)).json()) as ReportDiff;
    expect(diff.previous.scanId).toBe('scan-api-1');
    expect(diff.resolved).toHaveLength(1);
    expect(diff.new.map((r) => r.id)).not.toContain(shared.id);
    expect(await (await get(`/api/scans/${fixed.scanId}/diff?format=md`)).text()).toContain('## New recommendations');
    expect((await get('/api/scans/scan-api-1/diff')).status).toBe(404);
  });

  it('serves the latest report, in any format', async () => {
    expect(((await (await get('/api/reports/latest')).json()) as Report).scanId).toBe(fixed.scanId);
    expect(await (await get('/api/reports/latest?format=md')).text()).toContain(`scan ${fixed.scanId}`);
  });

  it('shows the notification channels with their last success and failure', async () => {
    const status = await (await get('/api/notifications/status')).json();
    expect(status).toEqual({ enabled: true, channels: [{ channelId: 'ops', failedCount: 0, type: 'webhook', events: ['weekly-summary'] }] });
  });
});
