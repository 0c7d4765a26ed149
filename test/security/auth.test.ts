// Security: Bull Board, every API route that reads or changes state, and /metrics (with api.metrics.auth) require
// the configured credentials — 401 with none, 403 with wrong ones, through with the right ones — for basic and
// bearer alike; the comparison is constant-time (SHA-256 digests of equal length through timingSafeEqual); and no
// credential, right or wrong, reaches the logs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as crypto from 'node:crypto';
import { startApiService, type ApiService } from '@finops/api';
import type { ConfigInput } from '@finops/core';
import { bootstrap, type ServiceContext } from '@finops/pipeline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { closeContext, writeConfig } from '../reliability/harness.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const PASSWORD = 'correct-horse-battery-staple';
const TOKEN = 'a-bearer-token-of-forty-characters-0123456';
const WRONG = 'wrong-horse-battery-staple';

/** Routes behind api.auth: Bull Board (UI and its API) and the API, reads and writes. */
const GUARDED: { method: string; path: string; body?: string }[] = [
  { method: 'GET', path: '/admin/queues' },
  { method: 'GET', path: '/admin/queues/api/queues' },
  { method: 'PUT', path: '/admin/queues/api/queues/pause' },
  { method: 'PUT', path: '/admin/queues/api/queues/reporter/retry/failed' },
  { method: 'GET', path: '/api/scans' },
  { method: 'POST', path: '/api/scans', body: '{}' },
  { method: 'GET', path: '/api/status' },
  { method: 'GET', path: '/api/schedules' },
  { method: 'POST', path: '/api/schedules/monitoring/run' },
  { method: 'POST', path: '/api/config/reload' },
  { method: 'GET', path: '/api/reports/latest' },
  { method: 'GET', path: '/api/recommendations' },
  { method: 'POST', path: '/api/recommendations/rec_0123456789abcdef/dismiss', body: '{"reason": "x"}' },
  { method: 'POST', path: '/api/remediation/runs', body: '{"live": true}' },
  { method: 'POST', path: '/api/remediation/approvals', body: '{"recommendationIds": ["rec_0123456789abcdef"]}' },
  { method: 'GET', path: '/api/remediation/audit' },
  { method: 'GET', path: '/metrics' },
];

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

async function startApi(name: string, auth: NonNullable<ConfigInput['api']>['auth'], logs: string[]): Promise<{ ctx: ServiceContext; api: ApiService }> {
  const dir = mkdtempSync(join(tmpdir(), `finops-auth-${name}-`));
  const configFile = writeConfig(dir, {
    aws: { provider: 'simulated', regions: ['us-east-1'] },
    simulation: { accounts: ['111111111111'], resourcesPerRegion: 5 },
    redis: { prefix: uniquePrefix(`auth-${name}`), managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports') },
    api: { port: 0, auth, metrics: { enabled: true, auth: true } },
    logging: { level: 'debug' },
  });
  const ctx = await bootstrap({
    service: 'api',
    argv: ['--config', configFile],
    env: { ...process.env, REDIS_URL: testRedisUrl() },
    logOutput: { write: (line: string) => logs.push(line) },
  });
  return { ctx, api: await startApiService(ctx, { exitOnSignal: false, scheduler: false }) };
}

describe.each([
  { scheme: 'basic', auth: { type: 'basic', username: 'admin', password: PASSWORD }, right: basic('admin', PASSWORD), wrong: [basic('admin', WRONG), basic('root', PASSWORD), basic('admin', ''), `Bearer ${PASSWORD}`, 'Basic !!!not-base64'] },
  { scheme: 'bearer', auth: { type: 'bearer', token: TOKEN }, right: `Bearer ${TOKEN}`, wrong: [`Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, 'Bearer ', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, `bearer${TOKEN}`] },
] as const)('$scheme credentials', ({ scheme, auth, right, wrong }) => {
  const logs: string[] = [];
  let ctx: ServiceContext;
  let api: ApiService;

  beforeAll(async () => {
    ({ ctx, api } = await startApi(scheme, auth, logs));
  }, 60_000);
  afterAll(async () => {
    await api?.shutdown();
    await closeContext(ctx);
  });

  const call = (route: (typeof GUARDED)[number], authorization?: string) =>
    fetch(`${api.url}${route.path}`, {
      method: route.method,
      headers: { ...(authorization === undefined ? {} : { authorization }), ...(route.body ? { 'content-type': 'application/json' } : {}) },
      ...(route.body ? { body: route.body } : {}),
    });

  it.each(GUARDED.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: 401 without, 403 with wrong, through with right', async (_name, route) => {
    const none = await call(route);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: expect.stringMatching(/credentials required/) });
    if (scheme === 'basic') expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    for (const credential of wrong) {
      const res = await call(route, credential);
      expect(res.status, credential).toBe(403);
      expect(await res.json()).toMatchObject({ error: expect.stringMatching(/not accepted/) });
    }
    const ok = await call(route, right);
    expect([401, 403]).not.toContain(ok.status);
    expect(ok.status).toBeLessThan(500);
  });

  it('leaves health checks open: orchestrators probe without credentials', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  });

  it('compares in constant time: equal-length digests through timingSafeEqual, whatever the length given', async () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    for (const credential of [right, ...wrong.filter((w) => w.toLowerCase().startsWith(scheme))]) await call(GUARDED[4]!, credential);
    expect(spy).toHaveBeenCalled();
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('never writes a credential to the logs', () => {
    const text = logs.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, TOKEN, WRONG, Buffer.from(`admin:${PASSWORD}`).toString('base64')]) expect(text).not.toContain(secret);
  });
});
