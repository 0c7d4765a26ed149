// Security: secrets in the configuration — the API password, AWS credentials and external id, the Redis password,
// a Slack webhook URL (its path is the credential), a webhook signing secret, the SMTP password and the backend
// token — never appear in logs (debug level, including failed deliveries and a configuration reload), in report
// files, in Bull Board's job data, or in `finops config show`.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiService, type ApiService } from '@finops/api';
import type { ConfigInput } from '@finops/core';
import { bootstrap, startScan, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { startEndpoint, type Endpoint } from '../notifications/support.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { cli } from '../input/cli-capture.js';
import { SCAN_ROLES, awaitScan, closeContext, eventually, startReplicas, writeConfig } from '../reliability/harness.js';

const SECRETS = {
  apiPassword: 'api-Pa55word-7d1e',
  slackPath: 'T0SECRET/B0SECRET/xoxbSlackPathSecret91',
  webhookSecret: 'whsec-Signing-Secret-4a9c',
  smtpPassword: 'smtp-Pa55word-0b2f',
  backendToken: 'backend-Bearer-Token-55ad',
  externalId: 'ext-Id-Secret-8e3b',
  redisPassword: 'redis-Pa55word-6c0d',
  awsSecretKey: 'simulated-secret-access-key',
};

describe('secrets stay out of logs, reports, Bull Board and config show', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-secrets-'));
  const logs: string[] = [];
  let slack: Endpoint;
  let hook: Endpoint;
  let backend: Endpoint;
  let ctx: ServiceContext;
  let api: ApiService;
  const workers: RoleWorkers[] = [];
  let reportDir: string;
  let settings: ConfigInput;

  beforeAll(async () => {
    // Each endpoint fails its first request: failures are where URLs and headers tend to be logged.
    const flaky = () => {
      let n = 0;
      return () => (++n === 1 ? { status: 500, body: 'try again' } : { status: 200, body: 'ok' });
    };
    [slack, hook, backend] = await Promise.all([startEndpoint(flaky()), startEndpoint(flaky()), startEndpoint(flaky())]);
    settings = {
      aws: { provider: 'simulated', regions: ['us-east-1'], externalId: SECRETS.externalId },
      simulation: { seed: 37, accounts: ['111111111111'], resourcesPerRegion: 30 },
      redis: { prefix: uniquePrefix('secrets'), managed: { enabled: false, useLocalDefault: false } },
      reporting: { outputDir: join(dir, 'reports') },
      api: { port: 0, auth: { type: 'basic', username: 'admin', password: SECRETS.apiPassword } },
      notifications: {
        enabled: true,
        highSavingsThresholdUsd: 1,
        backoffMs: 100,
        channels: [
          { id: 'team-slack', type: 'slack', url: `${slack.url}/services/${SECRETS.slackPath}`, events: ['high-savings'] },
          { id: 'ops-hook', type: 'webhook', url: `${hook.url}/hook`, secret: SECRETS.webhookSecret, events: ['high-savings'] },
          { id: 'mail', type: 'email', to: ['finops@example.com'], events: ['weekly-summary'] },
        ],
        smtp: { host: '127.0.0.1', port: 2525, from: 'FinOps <finops@example.com>', username: 'finops', password: SECRETS.smtpPassword },
      },
      backend: { url: backend.url, token: SECRETS.backendToken, retryBaseMs: 100, retryMaxMs: 400 },
      logging: { level: 'debug' },
    };
    const configFile = writeConfig(dir, settings);
    ctx = await bootstrap({
      service: 'api',
      argv: ['--config', configFile],
      env: { ...process.env, REDIS_URL: testRedisUrl(), AWS_SECRET_ACCESS_KEY: SECRETS.awsSecretKey },
      logOutput: { write: (line: string) => logs.push(line) },
    });
    api = await startApiService(ctx, { exitOnSignal: false, scheduler: false });
    workers.push(...(await startReplicas(ctx, SCAN_ROLES)));
    const plan = await startScan(ctx, { trigger: 'test' });
    reportDir = (await awaitScan(ctx, plan.scanId)).progress.reportDir as string;
    // Both channels and the backend (its health check first) received, after one failed request each.
    await eventually(() => {
      for (const endpoint of [slack, hook, backend]) {
        expect(endpoint.received.length).toBeGreaterThanOrEqual(2);
        expect(endpoint.received.at(-1)?.method).toBe('POST');
      }
    }, 30_000);
    // A reload logs the reloaded configuration at debug level: redacted.
    const reload = await fetch(`${api.url}/api/config/reload`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`admin:${SECRETS.apiPassword}`).toString('base64')}` } });
    expect(reload.status).toBe(200);
  }, 120_000);

  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await api?.shutdown();
    await closeContext(ctx);
    await Promise.all([slack, hook, backend].map((e) => e?.close()));
  });

  const leaks = (text: string) => Object.entries(SECRETS).filter(([, secret]) => text.includes(secret)).map(([name]) => name);

  it('delivered for real (the secrets were in use)', () => {
    expect(slack.received.some((r) => r.path.includes(SECRETS.slackPath))).toBe(true);
    expect(backend.received.some((r) => r.headers.authorization === `Bearer ${SECRETS.backendToken}`)).toBe(true);
    expect(hook.received.some((r) => typeof r.headers['x-finops-signature'] === 'string')).toBe(true);
  });

  it('keeps them out of the logs, failed deliveries included', () => {
    const text = logs.join('');
    expect(text).toMatch(/notification (failed|sent)/);
    expect(text).toContain('reloaded configuration');
    expect(leaks(text)).toEqual([]);
  });

  it('keeps them out of every report file', () => {
    const files = readdirSync(reportDir);
    expect(files).toEqual(expect.arrayContaining(['report.json', 'report.md', 'recommendations.csv', 'report.html']));
    for (const file of files) expect(leaks(readFileSync(join(reportDir, file), 'utf8')), file).toEqual([]);
  });

  it('keeps them out of Bull Board\'s job data, and masks secret-named fields in any job', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`admin:${SECRETS.apiPassword}`).toString('base64')}` };
    await ctx.queues.get('deliveries').add('deliver', { scanId: 'scan-x', reportDir: '/tmp/x', token: SECRETS.backendToken, nested: { password: SECRETS.smtpPassword } }, { jobId: 'planted-secret-job' });
    const seen: string[] = [];
    for (const queue of ['notifications', 'deliveries', 'reporter']) {
      const list = await fetch(`${api.url}/admin/queues/api/queues?activeQueue=${queue}&status=completed&page=1`, { headers: auth });
      expect(list.status).toBe(200);
      seen.push(await list.text());
      for (const job of await ctx.queues.get(queue).getJobs(['completed', 'failed', 'waiting', 'delayed', 'active'])) {
        const res = await fetch(`${api.url}/admin/queues/api/queues/${queue}/${encodeURIComponent(job.id as string)}`, { headers: auth });
        expect(res.status, `${queue}/${job.id}`).toBe(200);
        seen.push(await res.text());
      }
    }
    const text = seen.join('\n');
    expect(text).toContain('planted-secret-job');
    expect(text).toContain('"token":"***"');
    expect(leaks(text)).toEqual([]);
  });

  it('keeps them out of `finops config show`, text and JSON', async () => {
    const file = join(dir, 'show.yaml');
    writeFileSync(
      file,
      stringify({
        ...settings,
        aws: { ...settings.aws, accounts: [{ id: '222222222222', externalId: SECRETS.externalId }] },
        redis: { ...settings.redis, url: `redis://app:${SECRETS.redisPassword}@cache.internal:6379/0` },
      }),
    );
    for (const argv of [['config', 'show', '--config', file], ['config', 'show', '--config', file, '--json']]) {
      const { code, stdout } = await cli(...argv);
      expect(code).toBe(0);
      expect(stdout).toContain('***');
      expect(stdout).toContain('cache.internal');
      expect(leaks(stdout), argv.join(' ')).toEqual([]);
    }
  });
});
