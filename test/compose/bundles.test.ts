// The bundles the image runs: `pnpm build` into a temporary directory with no node_modules above it (as in the
// runtime stage, which holds dist/ alone), then the api bundle serves Bull Board, and the CLI bundle's demo starts
// the service bundles as processes and runs a scan of the simulated account through them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@finops/core';
import { bootstrap } from '@finops/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BUILD_ENTRIES, build, type BuildResult } from '../../scripts/build.js';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

const AUTH = { username: 'admin', password: 'bundle-test-password' };

interface Run {
  code: number | null;
  output: string;
}

/** `node <args>` to its end (or SIGKILL after `timeoutMs`), stdout and stderr together. */
function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the bundles of `pnpm build`', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-bundles-'));
  const configFile = join(dir, 'config.yaml');
  const prefix = uniquePrefix('bundles');
  const settings = {
    aws: { provider: 'simulated', regions: ['eu-west-1'] },
    simulation: { seed: 11, accounts: ['111111111111'], resourcesPerRegion: 30, latencyMs: { min: 1, max: 3 } },
    redis: { prefix, managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports') },
    api: { host: '127.0.0.1', auth: { type: 'basic', ...AUTH } },
    logging: { level: 'warn' },
  };
  let built: BuildResult;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    writeFileSync(configFile, stringify(settings));
    env = { ...process.env, FINOPS_CONFIG: configFile, REDIS_URL: testRedisUrl() };
    built = await build({ outDir: join(dir, 'dist'), logLevel: 'error' });
  }, 120_000);

  afterAll(async () => {
    const ctx = await bootstrap({ service: 'bundle-test', argv: ['--config', configFile], env });
    await cleanupPrefix(ctx.redis, prefix);
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every bundle of BUILD_ENTRIES with its source map', () => {
    for (const [bundle, file] of Object.entries(built.bundles)) {
      expect(file, bundle).toBe(join(dir, bundle));
      expect(existsSync(file), `${bundle} is missing`).toBe(true);
      expect(readFileSync(file, 'utf8'), bundle).toMatch(/\/\/# sourceMappingURL=\S+\.mjs\.map\s*$/);
      expect(existsSync(`${file}.map`), `${bundle}.map is missing`).toBe(true);
    }
    expect(Object.keys(built.bundles).sort()).toEqual(Object.keys(BUILD_ENTRIES).sort());
  });

  it('runs the api from its bundle: health, readiness, and Bull Board with its UI files', async () => {
    const port = await findFreePort();
    const api = spawn(process.execPath, [built.bundles['dist/services/api.mjs']], {
      env: { ...env, FINOPS_API_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    api.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    api.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => api.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    try {
      let ready: Response | undefined;
      for (let attempt = 0; attempt < 300 && api.exitCode === null && !ready?.ok; attempt++) {
        ready = await fetch(`${base}/readyz`).catch(() => undefined);
        if (!ready?.ok) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ready?.status, output).toBe(200);
      expect(await ready?.json()).toMatchObject({ ready: true, redis: 'ok' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      const authorization = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}`;
      const board = await fetch(`${base}/admin/queues`, { headers: { authorization } });
      expect(board.status, output).toBe(200);
      const page = await board.text();
      // index.ejs from @bull-board/ui, rendered, with links to its static bundle.
      const scripts = [...page.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((m) => m[1]);
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const src of scripts) {
        const asset = await fetch(new URL(src, `${base}/admin/queues/`), { headers: { authorization } });
        expect(asset.status, src).toBe(200);
        expect(asset.headers.get('content-type')).toMatch(/javascript/);
      }
      const queues = await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization } });
      expect(queues.status).toBe(200);
      expect(((await queues.json()) as { queues: unknown[] }).queues.length).toBeGreaterThan(0);
    } finally {
      api.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  });

  it('runs the demo from the CLI bundle through the service bundles, to a report', async () => {
    const run = await runNode([built.bundles['dist/cli.mjs'], 'demo', '--config', configFile, '--timeout', '120'], env, 180_000);
    expect(run.code, run.output).toBe(0);
    // The demo's processes are the bundles beside the CLI's, with their logs under the build's parent directory.
    for (const service of ['api', 'discovery', 'analysis', 'optimizer', 'reporter']) {
      expect(existsSync(join(dir, '.finops/logs', `${service}.log`)), `${service}.log`).toBe(true);
    }
    const reportDir = /^Report: (\S+?)\/? \(/m.exec(run.output)?.[1];
    expect(reportDir, run.output).toBeDefined();
    const report = JSON.parse(readFileSync(join(reportDir ?? '', 'report.json'), 'utf8')) as { accounts: string[]; errors: unknown[]; inventory: { total: number } };
    expect(report.accounts).toEqual(settings.simulation.accounts);
    expect(report.errors).toEqual([]);
    expect(report.inventory.total).toBeGreaterThan(0);
  }, 200_000);
});
