// The events the pipeline raises itself, end to end to a webhook: a stalled scan, new high-savings recommendations
// (not again for a re-run or a later scan), and the weekly summary (once per week).
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isoWeek } from '@finops/notifications';
import { notifyOnScanFailures, publishReport, sendWeeklySummary } from '@finops/pipeline';
import { JOBS, JOB_NAMES, RoleWorkers, newScanId, type ScanPlan } from '@finops/queues';
import { buildReport, writeReportFiles, type Report } from '@finops/reports';
import { afterEach, describe, expect, it } from 'vitest';
import { recommendation, reportInput } from '../../packages/reports/src/test-fixtures.js';
import { createHarness, eventually, silentLogger, startEndpoint, type Endpoint, type Harness } from './support.js';

describe('events raised by the pipeline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-events-'));
  let harness: Harness | undefined;
  let endpoint: Endpoint | undefined;
  afterEach(async () => {
    await harness?.close();
    await endpoint?.close();
  });

  async function setUp(extra: Record<string, unknown> = {}) {
    endpoint = await startEndpoint();
    harness = await createHarness('events', {
      notifications: {
        enabled: true,
        backoffMs: 50,
        highSavingsThresholdUsd: 50,
        reportBaseUrl: 'https://finops.example.com/',
        channels: [{ id: 'all', type: 'webhook', url: endpoint.url, events: ['scan-failure', 'high-savings', 'weekly-summary'] }],
        ...extra,
      },
    });
    await harness.startReplica();
    return { endpoint, harness };
  }

  const bodies = (e: Endpoint) => e.received.map((r) => JSON.parse(r.body) as { event: string; dedupKey: string; title: string; text: string; link?: string; data: Record<string, unknown> });

  /** A completed scan in the store with its report on disk, as the report job leaves it. */
  async function completedScan(h: Harness, report: Report): Promise<string> {
    const plan: ScanPlan = { scanId: report.scanId, startedAt: report.startedAt, provider: 'simulated', dryRun: true, accounts: report.accounts, regions: report.regions, kinds: ['ebs-volume'], trigger: 'test' };
    const reportDir = join(dir, report.scanId);
    await writeReportFiles(report, reportDir, ['json']);
    await h.store.createScan(plan);
    await h.store.completeScan(report.scanId, { finishedAt: report.finishedAt, reportDir });
    return reportDir;
  }

  it('raises one scan-failure per scan when its jobs fail for good', async () => {
    const { endpoint: e, harness: h } = await setUp();
    const optimizer = new RoleWorkers({
      role: 'optimizer',
      // Every job of the role fails (only optimize jobs are queued). BullMQ treats an error named
      // UnrecoverableError as final, as it does its own class.
      handlers: Object.fromEntries(
        JOB_NAMES.filter((name) => JOBS[name].role === 'optimizer').map((name) => [
          name,
          async ({ region }: { region?: string }) => {
            if (region === 'eu-west-1') throw Object.assign(new Error('price table has no entry for m9.huge'), { name: 'UnrecoverableError' });
            throw new Error('still failing');
          },
        ]),
      ),
      connection: h.redis,
      prefix: h.config.redis.prefix,
      concurrency: 2,
      regions: [],
      logger: silentLogger,
      shutdownTimeoutMs: 5000,
    });
    for (const worker of optimizer.workers) notifyOnScanFailures(h.deps, worker, silentLogger);
    try {
      const scanId = newScanId();
      const queue = h.queues.get('optimizer');
      await queue.add('optimize', { scanId, accountId: '111111111111', region: 'eu-west-1' }, { jobId: `${scanId}.optimize.a`, attempts: 3 });
      await queue.add('optimize', { scanId, accountId: '111111111111', region: 'us-east-1' }, { jobId: `${scanId}.optimize.b`, attempts: 2, backoff: { type: 'fixed', delay: 20 } });
      await eventually(async () => expect(await queue.getJobCounts('failed')).toEqual({ failed: 2 }));
      await eventually(() => expect(e.received).toHaveLength(1));
      await new Promise((r) => setTimeout(r, 300));
      expect(e.received).toHaveLength(1);
      const [body] = bodies(e);
      expect(body).toMatchObject({ event: 'scan-failure', dedupKey: `scan-failure:${scanId}`, link: 'https://finops.example.com/admin/queues' });
      expect(body.title).toBe(`Scan ${scanId} is stalled: a optimize job failed`);
      expect(body.text).toMatch(/retry the job in Bull Board/);
    } finally {
      await optimizer.close();
    }
  });

  it('raises high-savings for new recommendations above the threshold, once, and not again on the next scan', async () => {
    const { endpoint: e, harness: h } = await setUp();
    const big = recommendation({ monthlySavingsUsd: 120, resourceName: 'big' });
    const small = recommendation({ monthlySavingsUsd: 10 });
    const first = buildReport(reportInput({ scanId: 'scan-hs-1', startedAt: '2026-11-20T12:00:00.000Z', recommendations: [big, small] }));
    const firstDir = await completedScan(h, first);
    await publishReport(h.deps, first, firstDir, silentLogger);
    await publishReport(h.deps, first, firstDir, silentLogger); // the report job ran twice
    await eventually(() => expect(e.received).toHaveLength(1));
    const [body] = bodies(e);
    expect(body).toMatchObject({ event: 'high-savings', link: 'https://finops.example.com/api/scans/scan-hs-1/report.html' });
    expect(body.title).toBe('1 new recommendation(s) could save $120.00/month');
    expect((body.data.recommendations as { id: string }[]).map((r) => r.id)).toEqual([big.id]);

    // The next scan finds the same waste plus one more: only the new one is announced.
    const bigger = recommendation({ monthlySavingsUsd: 300, resourceName: 'bigger' });
    const second = buildReport(reportInput({ scanId: 'scan-hs-2', startedAt: '2026-11-27T12:00:00.000Z', recommendations: [big, small, bigger] }));
    await publishReport(h.deps, second, await completedScan(h, second), silentLogger);
    await eventually(() => expect(e.received).toHaveLength(2));
    expect((bodies(e)[1].data.recommendations as { id: string }[]).map((r) => r.id)).toEqual([bigger.id]);
    const third = buildReport(reportInput({ scanId: 'scan-hs-3', startedAt: '2026-11-28T12:00:00.000Z', recommendations: [big, small, bigger] }));
    await publishReport(h.deps, third, await completedScan(h, third), silentLogger);
    await new Promise((r) => setTimeout(r, 300));
    expect(e.received).toHaveLength(2);
  });

  it('sends the weekly summary with the changes since a week before, once per ISO week', async () => {
    const { endpoint: e, harness: h } = await setUp();
    const kept = recommendation({ monthlySavingsUsd: 40 });
    const fixed = recommendation({ monthlySavingsUsd: 25 });
    const added = recommendation({ monthlySavingsUsd: 60 });
    const weekAgo = buildReport(reportInput({ scanId: 'scan-w-1', startedAt: '2026-11-16T06:00:00.000Z', recommendations: [kept, fixed] }));
    const dayAgo = buildReport(reportInput({ scanId: 'scan-w-2', startedAt: '2026-11-22T06:00:00.000Z', recommendations: [kept] }));
    const latest = buildReport(reportInput({ scanId: 'scan-w-3', startedAt: '2026-11-23T06:00:00.000Z', recommendations: [kept, added] }));
    for (const report of [weekAgo, dayAgo, latest]) await completedScan(h, report);
    const now = new Date('2026-11-23T08:00:00.000Z');
    const deps = { ...h.deps, now: () => now };
    const result = await sendWeeklySummary(deps);
    expect(result).toEqual({ status: 'queued', dedupKey: `weekly-summary:${isoWeek(now)}`, channels: ['all'] });
    expect(await sendWeeklySummary(deps)).toMatchObject({ status: 'queued' }); // a second replica's schedule fired too
    await eventually(() => expect(e.received).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 300));
    expect(e.received).toHaveLength(1);
    const [body] = bodies(e);
    expect(body.dedupKey).toBe('weekly-summary:2026-W48');
    expect(body.title).toBe('FinOps weekly summary 2026-W48: $100.00/month to save');
    expect(body.text).toContain('Since scan scan-w-1: 1 new, 1 resolved, 0 changed (+$35.00/month).');
  });

  it('skips the weekly summary when no scan has completed', async () => {
    const { harness: h } = await setUp();
    expect(await sendWeeklySummary(h.deps)).toEqual({ status: 'skipped', reason: 'no completed scan to summarize' });
    rmSync(dir, { recursive: true, force: true });
  });
});
