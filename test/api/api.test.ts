// The API in-process on a real Redis: health, credentials on Bull Board and the scan API, errors as JSON.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authMiddleware, createApp, listen } from '@finops/api';
import { ConfigError, SERVICE_KINDS } from '@finops/core';
import { bootstrap, getScanProgress, startScan, type ServiceContext } from '@finops/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('api', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-api-'));
  const configFile = join(dir, 'config.yaml');
  let ctx: ServiceContext;
  let server: Awaited<ReturnType<typeof listen>>;
  const good = basic('admin', 'correct-horse-battery');

  beforeAll(async () => {
    writeFileSync(
      configFile,
      stringify({
        aws: { provider: 'simulated', regions: ['us-east-1'] },
        simulation: { accounts: ['111111111111'], resourcesPerRegion: 10 },
        redis: { prefix: uniquePrefix('api'), managed: { enabled: false, useLocalDefault: false } },
        api: { auth: { type: 'basic', username: 'admin', password: 'correct-horse-battery' }, bodyLimit: '1kb' },
        reporting: { outputDir: join(dir, 'reports') },
        logging: { level: 'silent' },
      }),
    );
    ctx = await bootstrap({ service: 'api-test', argv: ['--config', configFile], env: { ...process.env, REDIS_URL: testRedisUrl() } });
    const app = createApp({
      ...ctx,
      startScan: (options) => startScan(ctx, options),
      scanProgress: (scanId) => getScanProgress(ctx.queues, ctx.store, scanId),
    });
    server = await listen(app, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await server?.close();
    for (const q of ctx?.queues.all() ?? []) await q.obliterate({ force: true });
    await ctx?.close();
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

  it('serves liveness and readiness without credentials', async () => {
    expect((await call('/healthz')).status).toBe(200);
    const ready = await call('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, redis: 'ok' });
  });

  it('guards Bull Board: 401 without credentials, 403 with wrong ones, 200 with the right ones', async () => {
    expect((await call('/admin/queues')).status).toBe(401);
    expect((await call('/admin/queues', { headers: { authorization: basic('admin', 'wrong-password') } })).status).toBe(403);
    expect((await call('/admin/queues', { headers: { authorization: basic('someone', 'correct-horse-battery') } })).status).toBe(403);
    expect((await call('/admin/queues', { headers: { authorization: good } })).status).toBe(200);
    const api = await call('/admin/queues/api/queues', { headers: { authorization: good } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    // Every queue of the platform is on the board, the scheduler's included.
    expect(names).toEqual(ctx.queues.all().map((q) => q.name).sort());
    expect(names).toEqual(expect.arrayContaining(['analysis-us-east-1', 'discovery-us-east-1', 'optimizer', 'reporter', 'scheduler']));
  });

  it('starts a scan and reports its progress', async () => {
    expect((await call('/api/scans', { method: 'POST' })).status).toBe(401);
    const res = await call('/api/scans', { method: 'POST', headers: { authorization: good, 'content-type': 'application/json' }, body: JSON.stringify({ services: ['ec2'] }) });
    expect(res.status).toBe(202);
    const { scanId } = (await res.json()) as { scanId: string };
    const status = await call(`/api/scans/${scanId}`, { headers: { authorization: good } });
    expect(status.status).toBe(200);
    const body = (await status.json()) as { status: string; stages: Record<string, { total: number }> };
    expect(body.status).toBe('running');
    expect(body.stages.discover.total).toBe(SERVICE_KINDS.ec2.length);
    const report = await call(`/api/scans/${scanId}/report`, { headers: { authorization: good } });
    expect(report.status).toBe(409);
  });

  it('answers bad requests with a JSON error and no stack trace', async () => {
    const headers = { authorization: good, 'content-type': 'application/json' };
    const malformed = await call('/api/scans', { method: 'POST', headers, body: '{"services": [' });
    expect(malformed.status).toBe(400);
    const wrongType = await call('/api/scans', { method: 'POST', headers, body: JSON.stringify({ services: ['azure'] }) });
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { error: string }).error).toMatch(/services/);
    const huge = await call('/api/scans', { method: 'POST', headers, body: JSON.stringify({ services: ['ec2'], pad: 'x'.repeat(4000) }) });
    expect(huge.status).toBe(413);
    const unknown = await call('/api/scans/scan-nope', { headers });
    expect(unknown.status).toBe(404);
    const tricky = await call('/api/scans/..%2F..%2Fetc%2Fpasswd/report', { headers });
    expect(tricky.status).toBe(400);
    for (const res of [malformed, huge, unknown, tricky]) {
      const text = await res.clone().text();
      expect(() => JSON.parse(text)).not.toThrow();
      expect(text).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('refuses to start without credentials unless api.auth is none', () => {
    expect(() => authMiddleware(undefined, 'config.yaml')).toThrow(ConfigError);
    expect(() => authMiddleware(undefined, 'config.yaml')).toThrow(/config\.yaml: api\.auth: not set/);
    expect(() => authMiddleware('none')).not.toThrow();
  });
});
