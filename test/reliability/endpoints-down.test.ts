// Fault: the backend sink and the notification endpoint are down for a while around a scan's end.
// Injects: a webhook channel and the backend sink point at local HTTP servers that answer 503 to everything
//   (the backend's health check included) while two scans finish on two reporter replicas; after three seconds
//   both come back.
// Asserts: nothing is given up while they are down (no job failed); once they are back, each scan's results reach
//   the backend exactly once and each notification is accepted exactly once (repeats, if any, carry the same
//   idempotency key and arrive only while the endpoint was refusing).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '@finops/core';
import { startScan, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type Endpoint, type ReceivedRequest } from '../notifications/support.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { SCAN_ROLES, awaitScan, closeContext, eventually, openContext, sleep, startReplicas, writeConfig } from './harness.js';

const OUTAGE_MS = 3000;

describe('backend sink and notification endpoint down for a while', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-endpoints-down-'));
  let down = true;
  let upSince = 0;
  const answer = () => (down ? { status: 503, body: 'maintenance' } : { status: 200, body: 'ok' });
  let hook: Endpoint;
  let backend: Endpoint;
  let ctx: ServiceContext;
  const workers: RoleWorkers[] = [];
  let scanIds: string[] = [];

  beforeAll(async () => {
    hook = await startEndpoint(answer);
    backend = await startEndpoint(answer);
    const settings: ConfigInput = {
      aws: { provider: 'simulated', regions: ['us-east-1'] },
      simulation: { seed: 29, accounts: ['111111111111', '222222222222'], resourcesPerRegion: 40 },
      redis: { prefix: uniquePrefix('endpoints-down'), managed: { enabled: false, useLocalDefault: false } },
      reporting: { outputDir: join(dir, 'reports') },
      workers: { backoffMs: 200 },
      notifications: {
        enabled: true,
        highSavingsThresholdUsd: 1,
        backoffMs: 250,
        attempts: 10,
        timeoutMs: 2000,
        channels: [{ id: 'ops-hook', type: 'webhook', url: `${hook.url}/hook`, secret: 'another-secret-of-16', events: ['high-savings'] }],
      },
      backend: { url: backend.url, token: 'backend-token-xyz', retryBaseMs: 250, retryMaxMs: 1000, timeoutMs: 2000 },
      logging: { level: 'silent' },
    };
    ctx = await openContext(writeConfig(dir, settings), testRedisUrl());
    // Two reporter replicas: a delivery must not be made once by each.
    workers.push(...(await startReplicas(ctx, SCAN_ROLES)), ...(await startReplicas(ctx, ['reporter'])));
    // Different accounts: each scan's recommendations are new, so each raises its own high-savings notification.
    const plans = await Promise.all(['111111111111', '222222222222'].map((account) => startScan(ctx, { trigger: 'test', accounts: [account] })));
    scanIds = plans.map((p) => p.scanId);
    const started = Date.now();
    for (const id of scanIds) await awaitScan(ctx, id);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - started)));
    down = false;
    upSince = Date.now();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await closeContext(ctx);
    await hook?.close();
    await backend?.close();
  });

  const accepted = (requests: ReceivedRequest[]) => requests.filter((r) => r.method === 'POST' && r.at >= upSince);
  const key = (r: ReceivedRequest) => String(r.headers['idempotency-key']);

  it('was refused while down, and gave up on nothing', async () => {
    expect(hook.received.filter((r) => r.at < upSince).length + backend.received.filter((r) => r.at < upSince).length).toBeGreaterThan(0);
    for (const name of ['notifications', 'deliveries']) {
      expect(await ctx.queues.get(name).getFailedCount(), name).toBe(0);
    }
  });

  it('delivers each scan to the backend exactly once when it returns', async () => {
    const posts = await eventually(() => {
      const p = accepted(backend.received);
      expect(p.map((r) => (JSON.parse(r.body) as { scanId: string }).scanId).sort()).toEqual([...scanIds].sort());
      return p;
    }, 30_000);
    await sleep(1500);
    expect(accepted(backend.received)).toHaveLength(posts.length);
    expect(new Set(posts.map(key)).size).toBe(scanIds.length);
    // Earlier attempts, refused, carried the same keys: a backend storing by key keeps one of each.
    for (const r of backend.received.filter((x) => x.method === 'POST' && x.at < upSince)) expect(posts.map(key)).toContain(key(r));
  });

  it('sends each notification exactly once when the endpoint returns', async () => {
    const posts = await eventually(() => {
      const p = accepted(hook.received);
      // One high-savings notification per scan.
      expect(p).toHaveLength(scanIds.length);
      return p;
    }, 30_000);
    await sleep(1500);
    expect(accepted(hook.received)).toHaveLength(posts.length);
    const bodies = posts.map((r) => JSON.parse(r.body) as { dedupKey: string; scanId: string; event: string });
    expect(new Set(bodies.map((b) => b.dedupKey)).size).toBe(scanIds.length);
    expect(bodies.map((b) => b.scanId).sort()).toEqual([...scanIds].sort());
    for (const r of hook.received.filter((x) => x.at < upSince)) expect(posts.map(key)).toContain(key(r));
  });
});
