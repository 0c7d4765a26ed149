// `pnpm load-test`: the API under concurrent status and report requests while two scans run, on loopback only.
// Bounded by a request count and a time limit; prints throughput, errors and latency percentiles per route.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiService } from '@finops/api';
import { startRedisServer } from '@finops/core';
import { bootstrap, startRoleWorkers, startScan, waitForScan, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import { stringify } from 'yaml';

export interface ApiLoadOptions {
  /** Requests in flight at once (default 32). */
  connections?: number;
  /** Requests in all, then the load stops (default 5000). */
  requests?: number;
  /** The load stops after this long even if requests remain (default 60 s). */
  maxDurationMs?: number;
  /** Resources per simulated account and region of each scan (default 200). */
  resourcesPerRegion?: number;
  /** Redis to use; default: a private redis-server started and removed here. */
  redisUrl?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface RouteFigures {
  route: string;
  requests: number;
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ApiLoadResult {
  requests: number;
  errors: number;
  /** Error lines, the first 20: status and route, or the network error. */
  errorSamples: string[];
  durationMs: number;
  requestsPerSecond: number;
  /** Whether both scans were still running when the load stopped (else part of it ran beside one or none). */
  scansRunningThroughout: boolean;
  scansCompleted: number;
  overall: RouteFigures;
  routes: RouteFigures[];
}

const TOKEN = 'load-test-token-0123456789abcdef';

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function figures(route: string, latencies: number[], errors: number): RouteFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    route,
    requests: latencies.length,
    errors,
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/** A table of the figures, one route per line. */
export function formatLoadResult(result: ApiLoadResult): string {
  const header = `${'route'.padEnd(34)} ${'requests'.padStart(8)} ${'errors'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`;
  const line = (f: RouteFigures) =>
    `${f.route.padEnd(34)} ${String(f.requests).padStart(8)} ${String(f.errors).padStart(6)} ${f.p50Ms.toFixed(1).padStart(8)} ${f.p90Ms.toFixed(1).padStart(8)} ${f.p99Ms.toFixed(1).padStart(8)} ${f.maxMs.toFixed(1).padStart(8)}`;
  return [
    `api load: ${result.requests} requests in ${(result.durationMs / 1000).toFixed(1)} s (${result.requestsPerSecond.toFixed(0)}/s), ${result.errors} errors; ` +
      `two scans ${result.scansRunningThroughout ? 'running throughout' : `running for part of it (${result.scansCompleted} completed during the load)`}`,
    header,
    ...result.routes.map(line),
    line(result.overall),
    ...result.errorSamples.map((e) => `  error: ${e}`),
  ].join('\n');
}

/**
 * Starts the api service and in-process workers on a simulated account, completes one scan (so there is a report to
 * serve), starts two more, and sends `requests` requests over `connections` concurrent loops to 127.0.0.1: scan
 * status (the running scans), the scan list, the operator status, and the completed report as JSON and CSV.
 */
export async function runApiLoad(options: ApiLoadOptions = {}): Promise<ApiLoadResult> {
  const { connections = 32, requests = 5000, maxDurationMs = 60_000, resourcesPerRegion = 200, log = () => undefined } = options;
  const dir = mkdtempSync(join(tmpdir(), 'finops-api-load-'));
  const redis = options.redisUrl ? undefined : await startRedisServer({ dir, appendonly: false });
  const redisUrl = options.redisUrl ?? (redis?.url as string);
  const configFile = join(dir, 'config.yaml');
  writeFileSync(
    configFile,
    stringify({
      aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1'] },
      simulation: { seed: 47, accounts: ['111111111111', '222222222222'], resourcesPerRegion, latencyMs: { min: 20, max: 60 } },
      redis: { prefix: `{load-${process.pid}}`, managed: { enabled: false, useLocalDefault: false } },
      reporting: { outputDir: join(dir, 'reports') },
      api: { port: 0, host: '127.0.0.1', auth: { type: 'bearer', token: TOKEN } },
      logging: { level: 'silent' },
    }),
  );
  const ctx: ServiceContext = await bootstrap({ service: 'api', argv: ['--config', configFile], env: { ...process.env, REDIS_URL: redisUrl }, logOutput: { write: () => true } });
  const api = await startApiService(ctx, { exitOnSignal: false, scheduler: false });
  const workers: RoleWorkers[] = [];
  try {
    for (const role of ['discovery', 'analysis', 'optimizer', 'reporter'] as const) workers.push(await startRoleWorkers(ctx, role));
    log('load: first scan (for a report to serve)…');
    const first = await startScan(ctx, { trigger: 'load-test' });
    await waitForScan(ctx.queues, ctx.store, first.scanId, { pollMs: 200 });
    const running = await Promise.all([startScan(ctx, { trigger: 'load-test' }), startScan(ctx, { trigger: 'load-test' })]);
    log(`load: scans ${running.map((p) => p.scanId).join(', ')} running; ${connections} connections, up to ${requests} requests or ${maxDurationMs / 1000} s`);

    const routes = [
      ...running.map((p) => ({ name: 'GET /api/scans/:running', path: `/api/scans/${p.scanId}` })),
      { name: 'GET /api/scans', path: '/api/scans' },
      { name: 'GET /api/status', path: '/api/status' },
      { name: 'GET /api/scans/:done/report', path: `/api/scans/${first.scanId}/report` },
      { name: 'GET /api/scans/:done/report.csv', path: `/api/scans/${first.scanId}/report.csv` },
    ];
    const latencies = new Map<string, number[]>();
    const errorCounts = new Map<string, number>();
    const errorSamples: string[] = [];
    let sent = 0;
    const started = performance.now();
    const deadline = started + maxDurationMs;
    const loop = async () => {
      while (sent < requests && performance.now() < deadline) {
        const route = routes[sent % routes.length] as (typeof routes)[number];
        sent += 1;
        const t0 = performance.now();
        let ok = false;
        let problem = '';
        try {
          const res = await fetch(`${api.url}${route.path}`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(30_000) });
          await res.arrayBuffer();
          ok = res.status === 200;
          problem = `${res.status} ${route.name}`;
        } catch (error) {
          problem = `${route.name}: ${(error as Error).message}`;
        }
        const elapsed = performance.now() - t0;
        let list = latencies.get(route.name);
        if (!list) latencies.set(route.name, (list = []));
        list.push(elapsed);
        if (!ok) {
          errorCounts.set(route.name, (errorCounts.get(route.name) ?? 0) + 1);
          if (errorSamples.length < 20) errorSamples.push(problem);
        }
      }
    };
    await Promise.all(Array.from({ length: connections }, loop));
    const durationMs = performance.now() - started;
    const states = await Promise.all(running.map(async (p) => (await ctx.store.getScan(p.scanId))?.status));
    const all = [...latencies.values()].flat();
    const errors = [...errorCounts.values()].reduce((a, b) => a + b, 0);
    return {
      requests: all.length,
      errors,
      errorSamples,
      durationMs,
      requestsPerSecond: all.length / (durationMs / 1000),
      scansRunningThroughout: states.every((s) => s === 'running'),
      scansCompleted: states.filter((s) => s === 'completed').length,
      overall: figures('all routes', all, errors),
      routes: [...new Set(routes.map((r) => r.name))].map((name) => figures(name, latencies.get(name) ?? [], errorCounts.get(name) ?? 0)),
    };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await api.shutdown();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `pnpm load-test [--connections N] [--requests N] [--seconds N] [--resources N]`; exits 1 when any request failed. */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    const value = at >= 0 ? Number(args[at + 1]) : fallback;
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: expected a positive number`);
    return value;
  };
  const result = await runApiLoad({
    connections: flag('connections', 32),
    requests: flag('requests', 5000),
    maxDurationMs: flag('seconds', 60) * 1000,
    resourcesPerRegion: flag('resources', 200),
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${formatLoadResult(result)}\n`);
  return result.errors === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`load-test: ${(error as Error).message}\n`);
      process.exit(2);
    },
  );
}
