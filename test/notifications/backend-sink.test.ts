// The backend sink against a local HTTP server: down for a while (connections refused, then 5xx), then up — every
// scan's payload arrives exactly once, across two replicas and repeated enqueues; a 4xx rejection is reported.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@finops/core';
import { ChannelStatusStore, DELIVER_SCOPE, DeliveryLedger, type BackendPayload } from '@finops/notifications';
import { BACKEND_STATUS_ID, backendWaitMs, publishReport } from '@finops/pipeline';
import { buildReport, writeReportFiles, type Report } from '@finops/reports';
import { afterEach, describe, expect, it } from 'vitest';
import { reportInput } from '../../packages/reports/src/test-fixtures.js';
import { richReport } from '../reports/fixtures.js';
import { createHarness, eventually, silentLogger, startEndpoint, type Endpoint, type Harness, type ReceivedRequest } from './support.js';

const TOKEN = 'backend-token-123';

describe('backend sink', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-backend-'));
  let harness: Harness | undefined;
  let endpoint: Endpoint | undefined;
  afterEach(async () => {
    await harness?.close();
    await endpoint?.close();
    harness = undefined;
    endpoint = undefined;
  });

  async function writeReports(count: number): Promise<{ report: Report; dir: string }[]> {
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const report = i === 0 ? richReport({ scanId: `scan-backend-${i}` }) : buildReport(reportInput({ scanId: `scan-backend-${i}` }));
        const reportDir = join(dir, report.scanId);
        await writeReportFiles(report, reportDir, ['json']);
        return { report, dir: reportDir };
      }),
    );
  }

  it('keeps deliveries waiting while the backend is down and delivers each scan exactly once when it returns', async () => {
    const port = await findFreePort();
    harness = await createHarness('backend', {
      backend: { url: `http://127.0.0.1:${port}/finops/`, token: TOKEN, healthPath: '/health', timeoutMs: 1000, retryBaseMs: 100, retryMaxMs: 400 },
    });
    const h = harness;
    await Promise.all([h.startReplica(), h.startReplica()]);
    const scans = await writeReports(4);
    // Each report job may run more than once (a retry, a stalled job): the delivery is queued once per scan.
    for (const { report, dir: reportDir } of [...scans, scans[1], scans[2]]) {
      const started = Date.now();
      await publishReport(h.deps, report, reportDir, silentLogger);
      expect(Date.now() - started, 'queueing never waits for the backend').toBeLessThan(500);
    }
    const queue = h.queues.get('deliveries');
    expect(await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized')).toBe(4);

    // Down: nothing listens on the port. The jobs wait, delayed, without using attempts.
    await new Promise((r) => setTimeout(r, 1200));
    const waiting = await queue.getJobs(['delayed', 'waiting', 'active']);
    expect(waiting).toHaveLength(4);
    for (const job of await queue.getJobs(['delayed'])) expect(job.attemptsMade).toBe(0);
    expect((await new ChannelStatusStore(h.redis, h.config.redis.prefix).status(BACKEND_STATUS_ID)).lastFailure).toMatchObject({ kind: 'unavailable' });

    // Up again, but flaky at first: the health check passes and the first POST of scan 0 gets a 502.
    const accepted = new Map<string, ReceivedRequest[]>();
    const requests: ReceivedRequest[] = [];
    let flaked = false;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = { method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() };
        requests.push(request);
        if (req.url === '/finops/health') return void res.writeHead(200).end('ok');
        const key = String(req.headers['idempotency-key'] ?? '');
        if (key.endsWith('scan-backend-0') && !flaked) {
          flaked = true;
          return void res.writeHead(502).end('bad gateway');
        }
        accepted.set(key, [...(accepted.get(key) ?? []), request]);
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"stored":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await eventually(async () => expect(await queue.getJobCounts('completed')).toEqual({ completed: 4 }), 15_000);
      // Exactly once per scan at the backend: one accepted POST per idempotency key, four in all.
      expect([...accepted.keys()].sort()).toEqual(scans.map((s) => `finops-scan-${s.report.scanId}`).sort());
      for (const list of accepted.values()) expect(list).toHaveLength(1);
      const posts = requests.filter((r) => r.method === 'POST');
      expect(posts).toHaveLength(5);
      for (const post of posts) {
        expect(post.path).toBe('/finops/scans');
        expect(post.headers.authorization).toBe(`Bearer ${TOKEN}`);
      }
      const first = JSON.parse(accepted.get('finops-scan-scan-backend-0')![0].body) as BackendPayload;
      const report = scans[0].report;
      expect(first).toMatchObject({ kind: 'finops.scan-results', version: '1.0.0', idempotencyKey: 'finops-scan-scan-backend-0', scanId: report.scanId });
      expect(first.summary).toMatchObject({ monthlySavingsUsd: report.totals.monthlySavingsUsd, recommendations: report.totals.recommendations, anomalies: 2, budgets: 3 });
      expect(first.recommendations).toEqual(report.recommendations);
      expect(first.anomalies).toEqual(report.anomalies);
      expect(first.budgets).toEqual(report.budgets);
      expect((await new ChannelStatusStore(h.redis, h.config.redis.prefix).status(BACKEND_STATUS_ID)).lastSuccessAt).toBeDefined();

      // Queued again after the job was trimmed (retention): recorded as delivered, so nothing is posted.
      await queue.obliterate({ force: true });
      await publishReport(h.deps, scans[3].report, scans[3].dir, silentLogger);
      await eventually(async () => expect(await queue.getJobCounts('completed')).toEqual({ completed: 1 }));
      expect((await queue.getJobs(['completed']))[0].returnvalue).toMatchObject({ status: 'duplicate' });
      expect(requests.filter((r) => r.method === 'POST')).toHaveLength(5);
      expect(await new DeliveryLedger(h.redis, { prefix: h.config.redis.prefix, ttlSeconds: 60 }).sent(DELIVER_SCOPE, scans[3].report.scanId)).toBeDefined();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports a backend that rejects the payload (4xx) instead of retrying it', async () => {
    endpoint = await startEndpoint((r) => (r.path === '/health' ? { status: 200 } : { status: 422, body: 'schema mismatch' }));
    harness = await createHarness('backend-4xx', { backend: { url: endpoint.url, retryBaseMs: 100 } });
    const h = harness;
    await h.startReplica();
    const [scan] = await writeReports(1);
    await publishReport(h.deps, scan.report, scan.dir, silentLogger);
    const queue = h.queues.get('deliveries');
    await eventually(async () => expect(await queue.getJobCounts('failed')).toEqual({ failed: 1 }));
    const [job] = await queue.getJobs(['failed']);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/answered 422: schema mismatch — fix: check backend\.url and backend\.token/);
    expect(endpoint.received.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect((await new ChannelStatusStore(h.redis, h.config.redis.prefix).status(BACKEND_STATUS_ID)).lastFailure).toMatchObject({ kind: 'permanent', status: 422 });
  });

  it('queues nothing without backend.url, and waits longer after each failure up to the maximum', async () => {
    harness = await createHarness('backend-off');
    const [scan] = await writeReports(1);
    await publishReport(harness.deps, scan.report, scan.dir, silentLogger);
    expect(await harness.queues.get('deliveries').count()).toBe(0);
    expect([1, 2, 3, 4, 5, 9].map((n) => backendWaitMs(n, 100, 1000, () => 0))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backendWaitMs(1, 100, 1000, () => 1)).toBe(110);
    rmSync(dir, { recursive: true, force: true });
  });
});
