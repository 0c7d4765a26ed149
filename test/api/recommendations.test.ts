// The recommendations API in-process on a real Redis: listing tracked ones, dismissing with a reason, restoring.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, listen } from '@finops/api';
import { recommendationId } from '@finops/checks';
import type { Recommendation } from '@finops/core';
import { bootstrap, getScanProgress, startScan, trackingStoreFor, type ServiceContext } from '@finops/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const AUTH = basic('admin', 'correct-horse-battery');

describe('recommendations API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-recs-'));
  const configFile = join(dir, 'config.yaml');
  const prefix = uniquePrefix('api-recs');
  let ctx: ServiceContext;
  let server: Awaited<ReturnType<typeof listen>>;
  const id = recommendationId({ accountId: '111111111111', region: 'us-east-1', resourceId: 'vol-1', checkId: 'ebs-unattached-volume' });

  beforeAll(async () => {
    writeFileSync(
      configFile,
      stringify({
        aws: { provider: 'simulated', regions: ['us-east-1'] },
        simulation: { accounts: ['111111111111'], resourcesPerRegion: 10 },
        redis: { prefix, managed: { enabled: false, useLocalDefault: false } },
        api: { auth: { type: 'basic', username: 'admin', password: 'correct-horse-battery' } },
        logging: { level: 'silent' },
      }),
    );
    ctx = await bootstrap({ service: 'api-test', argv: ['--config', configFile], env: { ...process.env, REDIS_URL: testRedisUrl() } });
    server = await listen(
      createApp({ ...ctx, startScan: (options) => startScan(ctx, options), scanProgress: (scanId) => getScanProgress(ctx.queues, ctx.store, scanId) }),
      0,
      '127.0.0.1',
    );
    const recommendation: Recommendation = {
      id,
      checkId: 'ebs-unattached-volume',
      resourceId: 'vol-1',
      resourceKind: 'ebs-volume',
      tags: {},
      accountId: '111111111111',
      region: 'us-east-1',
      monthlySavingsUsd: 5,
      risk: 'low',
      confidence: 1,
      action: { type: 'ebs.delete-volume', description: 'Delete it.', params: { volumeId: 'vol-1' } },
      status: 'open',
      reason: 'Volume is attached to nothing',
      evidence: { sizeGiB: 100 },
      priceConfidence: 'exact',
    };
    await trackingStoreFor(ctx).put([
      { id, status: 'open', firstSeenAt: '2026-11-01T00:00:00.000Z', lastSeenAt: new Date().toISOString(), seenCount: 3, lastScanId: 'scan-3', recommendation },
    ]);
  });

  afterAll(async () => {
    await server?.close();
    for (const q of ctx?.queues.all() ?? []) await q.obliterate({ force: true });
    await cleanupPrefix(ctx.redis, prefix);
    await ctx?.close();
  });

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/recommendations${path}`, { ...init, headers: { authorization: AUTH, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  it('needs credentials', async () => {
    expect((await fetch(`${server.url}/api/recommendations`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/recommendations/${id}/dismiss`, { method: 'POST' })).status).toBe(401);
  });

  it('lists tracked recommendations with their history', async () => {
    const res = await call('');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { recommendations: Recommendation[] };
    expect(body.recommendations).toEqual([expect.objectContaining({ id, status: 'open', tracking: expect.objectContaining({ seenCount: 3, firstSeenAt: '2026-11-01T00:00:00.000Z' }) })]);
    expect(((await (await call('?status=resolved')).json()) as { recommendations: unknown[] }).recommendations).toEqual([]);
    expect((await call('?status=gone')).status).toBe(400);
  });

  it('dismisses one with a reason and an end, shows it, and restores it', async () => {
    const res = await call(`/${id}/dismiss`, { method: 'POST', body: JSON.stringify({ reason: 'kept for the migration', until: '2099-01-31' }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id, dismissal: { reason: 'kept for the migration', until: '2099-02-01T00:00:00.000Z', by: 'admin' } });
    const shown = (await (await call(`/${id}`)).json()) as { dismissal?: { reason: string } };
    expect(shown.dismissal?.reason).toBe('kept for the migration');
    expect((await call(`/${id}/dismiss`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/${id}/dismiss`, { method: 'DELETE' })).status).toBe(404);
    expect(((await (await call(`/${id}`)).json()) as { dismissal?: unknown }).dismissal).toBeUndefined();
  });

  it('answers bad input with what to fix', async () => {
    const noReason = await call(`/${id}/dismiss`, { method: 'POST', body: JSON.stringify({}) });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { hint: string }).hint).toContain('reason');
    expect((await call(`/${id}/dismiss`, { method: 'POST', body: JSON.stringify({ reason: 'x', until: '2001-01-01' }) })).status).toBe(400);
    expect((await call(`/${id}/dismiss`, { method: 'POST', body: JSON.stringify({ reason: 'x', extra: 1 }) })).status).toBe(400);
    expect((await call('/rec_0000000000000000/dismiss', { method: 'POST', body: JSON.stringify({ reason: 'x' }) })).status).toBe(404);
    expect((await call('/rec_0000000000000000')).status).toBe(404);
    expect((await call('/not-an-id')).status).toBe(400);
  });
});
