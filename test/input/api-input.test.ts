// Bad input: the HTTP API given malformed JSON, wrong types, oversized bodies, unknown ids and path tricks. Each is
// a 4xx with a JSON `{ error }` body, no stack trace and no internal path, and nothing is written outside the
// reports folder.
import { mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startApiService, type ApiService } from '@finops/api';
import type { ServiceContext } from '@finops/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { closeContext, openContext, writeConfig } from '../reliability/harness.js';
import { STACK_LINE } from './cli-capture.js';

const AUTH = { authorization: `Basic ${Buffer.from('admin:correct-horse-battery').toString('base64')}` };
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };

interface BadRequest {
  name: string;
  method?: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  status: number;
}

const CASES: BadRequest[] = [
  { name: 'malformed JSON', method: 'POST', path: '/api/scans', body: '{"services": [', status: 400 },
  { name: 'JSON that is not an object', method: 'POST', path: '/api/scans', body: '"scan everything"', status: 400 },
  { name: 'a wrong type', method: 'POST', path: '/api/scans', body: JSON.stringify({ services: 'ec2' }), status: 400 },
  { name: 'an unknown service', method: 'POST', path: '/api/scans', body: JSON.stringify({ services: ['azure'] }), status: 400 },
  { name: 'an unknown field', method: 'POST', path: '/api/scans', body: JSON.stringify({ services: ['ec2'], everything: true }), status: 400 },
  { name: 'a prototype-polluting field', method: 'POST', path: '/api/scans', body: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}', status: 400 },
  { name: 'a bad region', method: 'POST', path: '/api/scans', body: JSON.stringify({ regions: ['../../etc'] }), status: 400 },
  { name: 'a bad account id', method: 'POST', path: '/api/scans', body: JSON.stringify({ accounts: ['1234'] }), status: 400 },
  { name: 'a body over the size limit', method: 'POST', path: '/api/scans', body: JSON.stringify({ services: ['ec2'], pad: 'x'.repeat(4096) }), status: 413 },
  { name: 'a body over the size limit on another route', method: 'POST', path: '/api/remediation/runs', body: JSON.stringify({ recommendationIds: Array.from({ length: 400 }, () => 'rec_0123456789abcdef') }), status: 413 },
  { name: 'an unknown scan id', path: '/api/scans/scan-20990101T000000Z-none', status: 404 },
  { name: 'an unknown scan id, report', path: '/api/scans/scan-20990101T000000Z-none/report', status: 404 },
  { name: 'an unknown scan id, report.csv', path: '/api/scans/scan-20990101T000000Z-none/report.csv', status: 404 },
  { name: 'an encoded path in the scan id', path: '/api/scans/..%2F..%2F..%2Fetc%2Fpasswd/report', status: 400 },
  { name: 'a dotted scan id', path: '/api/scans/../../etc/passwd', status: 404 },
  { name: 'a traversal in the report name', path: '/api/scans/scan-1/report.json%2F..%2F..%2Fpasswd', status: 404 },
  { name: 'an unknown report format', path: '/api/scans/scan-1/report.exe', status: 404 },
  { name: 'a bad report query', path: '/api/reports/latest?type=everything', status: 400 },
  { name: 'an unknown query key', path: '/api/reports/latest?file=/etc/passwd', status: 400 },
  { name: 'an over-long scan id', path: `/api/scans/${'a'.repeat(500)}`, status: 400 },
  { name: 'a bad recommendation id', path: '/api/recommendations/..%2Fsecret', status: 400 },
  { name: 'a dismissal without a reason', method: 'POST', path: '/api/recommendations/rec_0123456789abcdef/dismiss', body: '{}', status: 400 },
  { name: 'a bad remediation run id', path: '/api/remediation/runs/..%2F..', status: 400 },
  { name: 'a remediation run with a wrong type', method: 'POST', path: '/api/remediation/runs', body: JSON.stringify({ live: 'yes' }), status: 400 },
  { name: 'an approval of malformed ids', method: 'POST', path: '/api/remediation/approvals', body: JSON.stringify({ recommendationIds: ['x; DROP TABLE'] }), status: 400 },
  { name: 'an unknown rollback action', method: 'POST', path: '/api/remediation/actions/act_nothex/rollback', body: '{}', status: 400 },
  { name: 'an audit query with a bad date', path: '/api/remediation/audit?since=yesterday', status: 400 },
  { name: 'a bad schedule id', method: 'POST', path: '/api/schedules/..%2Fetc/run', status: 400 },
  { name: 'an unknown route', path: '/api/nothing-here', status: 404 },
  { name: 'an unknown method', method: 'DELETE', path: '/api/scans', status: 404 },
];

/** Every file under `root`, as paths relative to it. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

describe('bad API requests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-bad-api-'));
  const reportsDir = join(dir, 'reports');
  let ctx: ServiceContext;
  let api: ApiService;
  let before: string[];

  beforeAll(async () => {
    mkdirSync(reportsDir, { recursive: true });
    const configFile = writeConfig(dir, {
      aws: { provider: 'simulated', regions: ['us-east-1'] },
      simulation: { accounts: ['111111111111'], resourcesPerRegion: 5 },
      redis: { prefix: uniquePrefix('bad-api'), managed: { enabled: false, useLocalDefault: false } },
      reporting: { outputDir: reportsDir },
      api: { port: 0, auth: { type: 'basic', username: 'admin', password: 'correct-horse-battery' }, bodyLimit: '1kb' },
      logging: { level: 'silent' },
    });
    ctx = await openContext(configFile, testRedisUrl(), 'api');
    api = await startApiService(ctx, { exitOnSignal: false, scheduler: false });
    before = filesUnder(dir);
  }, 60_000);

  afterAll(async () => {
    await api?.shutdown();
    await closeContext(ctx);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: 4xx with a JSON error and no stack trace', async (_name, bad) => {
    const res = await fetch(`${api.url}${bad.path}`, {
      method: bad.method ?? 'GET',
      headers: bad.body === undefined ? AUTH : JSON_HEADERS,
      ...(bad.body === undefined ? {} : { body: bad.body }),
    });
    const text = await res.text();
    expect(res.status, text).toBe(bad.status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = JSON.parse(text) as { error?: unknown };
    expect(typeof body.error).toBe('string');
    expect(text).not.toMatch(STACK_LINE);
    expect(text).not.toMatch(/node_modules|\/work\/|\.ts:\d+|ZodError|SyntaxError: /);
  });

  it('wrote nothing outside the reports folder, and nothing in it', () => {
    expect(filesUnder(dir)).toEqual(before);
  });

  it('still serves good requests after the bad ones', async () => {
    const ok = await fetch(`${api.url}/api/scans`, { headers: AUTH });
    expect(ok.status).toBe(200);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  });
});
