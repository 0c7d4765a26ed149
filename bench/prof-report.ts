// Profiles the report job and the optimize jobs of a realistic scan, in-process, on a private redis-server.
//
//   node --import tsx bench/prof-report.ts prepare [--dir D] [--size 100000] [--scans 2]
//   node --import tsx --expose-gc [--cpu-prof --cpu-prof-dir D/prof] bench/prof-report.ts report [--dir D]
//   node --import tsx --expose-gc [--cpu-prof ...] bench/prof-report.ts optimize [--dir D] [--partition N|all]
//
// `prepare` runs the bench's estate (2 accounts × 8 regions, the simulator with no latency or rate limits, so it is
// quick) through discovery, analysis and optimization with in-process workers: `--scans` − 1 whole scans first
// (tracking then has a previous scan to compare with, as on every scan after the first), then the last scan up to
// its report job, which is left waiting. Redis is saved to D/redis/dump.rdb. `report` and `optimize` restart Redis
// from that file, so every run measures the same input, and run the real handler on the stored job: wall time,
// CPU time, peak RSS and peak V8 heap of this process, and the CPU time Redis spent. `report` also times each step
// the job reports as progress; `optimize --partition all` runs every partition's job, as many at once as an
// optimizer process does. `--expose-gc` lets the heap start from a collection, so "before" figures are live data.
// Run `report` with the reporter's heap limit (`node --max-old-space-size=1024 …`, docker-compose.yml's
// REPORTER_HEAP_MB): V8 lets the heap grow further the higher its limit, so peak RSS and heap depend on it (the
// limit in effect is printed as heapLimitMb).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { startRedisServer, type ConfigInput } from '@finops/core';
import { bootstrap, handlersFor, startRoleWorkers, startScan, waitForScan, type ServiceContext } from '@finops/pipeline';
import { jobId, jobQueueName, partitions, type HandlerContext, type JobPayload, type JobProgress, type RoleWorkers } from '@finops/queues';
import { BENCH_ACCOUNTS, BENCH_REGIONS, benchCase, resourcesPerPartition } from './bench-case.js';

interface State {
  scanId: string;
  size: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const mode = process.argv[2];
const dir = resolve(arg('dir', '/tmp/finops-prof-report'));
const redisDir = join(dir, 'redis');
const MB = 1024 * 1024;

function settings(size: number): ConfigInput {
  const bench = benchCase({ size, accounts: BENCH_ACCOUNTS.slice(0, 2), regions: [...BENCH_REGIONS] });
  return {
    aws: { provider: 'simulated', regions: bench.regions, defaultRegion: 'us-east-1' },
    simulation: { seed: bench.seed, accounts: bench.accounts, resourcesPerRegion: resourcesPerPartition(bench), latencyMs: { min: 0, max: 0 }, rateLimits: false },
    redis: { prefix: '{prof}', managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports') },
    logging: { level: 'warn' },
  };
}

async function open(url: string, size: number): Promise<ServiceContext> {
  return bootstrap({ service: 'prof-report', argv: [], env: { REDIS_URL: url }, overrides: settings(size) });
}

async function prepare(): Promise<void> {
  const size = Number(arg('size', '100000'));
  const scans = Number(arg('scans', '2'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(redisDir, { recursive: true });
  const server = await startRedisServer({ dir: redisDir });
  const ctx = await open(server.url, size);
  const workers: RoleWorkers[] = [];
  try {
    for (const role of ['discovery', 'analysis', 'optimizer'] as const) workers.push(await startRoleWorkers(ctx, role));
    const reporter = await startRoleWorkers(ctx, 'reporter');
    workers.push(reporter);
    for (let i = 1; i < scans; i++) {
      const started = Date.now();
      const plan = await startScan(ctx, { trigger: 'test' });
      const progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, { pollMs: 500, signal: AbortSignal.timeout(30 * 60_000) });
      if (progress.status !== 'completed') throw new Error(`scan ${i} ended ${progress.status}: ${JSON.stringify(progress.failedJobs)}`);
      console.log(`scan ${i} (${plan.scanId}) completed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    await reporter.close();
    const started = Date.now();
    const plan = await startScan(ctx, { trigger: 'test' });
    const report = await ctx.queues.get(jobQueueName('report')).getJob(jobId.report({ scanId: plan.scanId }));
    for (;;) {
      const state = report ? await report.getState() : 'missing';
      if (state === 'waiting') break;
      if (state !== 'waiting-children') throw new Error(`the report job of ${plan.scanId} is ${state}`);
      const failed = await Promise.all(ctx.queues.all().map((q) => q.getFailedCount()));
      if (failed.some((n) => n > 0)) throw new Error(`a job of scan ${plan.scanId} failed: see Bull Board or the logs`);
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`scan ${scans} (${plan.scanId}) ready to report after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const w of workers) await w.close();
    await ctx.redis.save();
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ scanId: plan.scanId, size } satisfies State));
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await ctx.close();
    await server.stop();
  }
}

/** Peak V8 heap in use (before each collection) that a GC profiler saw, or `floor` when higher. */
function peakHeap(stats: ReturnType<GCProfiler['stop']>, floor: number): number {
  let peak = floor;
  for (const event of stats?.statistics ?? []) peak = Math.max(peak, event.beforeGC.heapStatistics.usedHeapSize);
  return peak;
}

/**
 * Times the steps a job reports through its progress: wall time, CPU time and peak heap from one report to the
 * next, so the figures say which step holds the time and the memory.
 */
function stepTimer(): { mark(label: string): void; lines: string[] } {
  const lines: string[] = [];
  let profiler = new GCProfiler();
  profiler.start();
  let started = performance.now();
  let cpu = process.cpuUsage();
  return {
    lines,
    mark(label) {
      const peak = peakHeap(profiler.stop(), process.memoryUsage().heapUsed);
      const used = process.cpuUsage(cpu);
      lines.push(`${label.padEnd(28)} wall ${((performance.now() - started) / 1000).toFixed(2).padStart(6)} s  cpu ${((used.user + used.system) / 1e6).toFixed(2).padStart(6)} s  peak heap ${String(Math.round(peak / MB)).padStart(5)} MB`);
      profiler = new GCProfiler();
      profiler.start();
      started = performance.now();
      cpu = process.cpuUsage();
    },
  };
}

/** CPU seconds a process has used so far (Linux: /proc/<pid>/stat, in clock ticks of 1/100 s). */
function processCpuSec(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Wall time, CPU time, peak RSS and peak V8 heap (used, before each collection, from the GC profiler) of this
 * process while `fn` runs, and the CPU time Redis spent meanwhile.
 */
async function measure<T>(redisPid: number, fn: () => Promise<T>): Promise<T> {
  global.gc?.();
  const profiler = new GCProfiler();
  profiler.start();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const redisCpu = processCpuSec(redisPid);
  const started = performance.now();
  const result = await fn();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const redisCpuSec = processCpuSec(redisPid) - redisCpu;
  const gc = profiler.stop();
  const heapPeak = peakHeap(gc, Math.max(heapBefore, process.memoryUsage().heapUsed));
  console.log(
    JSON.stringify({
      wallSec: +(wallMs / 1000).toFixed(2),
      cpuSec: +((used.user + used.system) / 1e6).toFixed(2),
      rssBeforeMb: Math.round(rssBefore / MB),
      peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
      heapBeforeMb: Math.round(heapBefore / MB),
      peakHeapMb: Math.round(heapPeak / MB),
      gcCount: gc?.statistics.length ?? 0,
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / MB),
      redisCpuSec: +redisCpuSec.toFixed(2),
    }),
  );
  return result;
}

async function runJob(which: 'report' | 'optimize'): Promise<void> {
  if (!existsSync(join(dir, 'state.json'))) throw new Error(`no prepared scan in ${dir}: run \`node --import tsx bench/prof-report.ts prepare --dir ${dir}\` first`);
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as State;
  // Restart Redis from the saved scan: a report run changes tracking state, the next run must start from the same.
  const server = await startRedisServer({ dir: redisDir });
  const ctx = await open(server.url, state.size);
  try {
    const scan = await ctx.store.getScan(state.scanId);
    if (!scan) throw new Error(`scan ${state.scanId} is not in the saved Redis: run prepare again`);
    const handlers = handlersFor(which === 'report' ? 'reporter' : 'optimizer', ctx.deps);
    const progress = async (_: JobProgress) => {};
    if (which === 'report') {
      const job = await ctx.queues.get(jobQueueName('report')).getJob(jobId.report({ scanId: state.scanId }));
      if (!job) throw new Error(`the report job of ${state.scanId} is not in the saved Redis: run prepare again`);
      let steps: ReturnType<typeof stepTimer> | undefined;
      const stepProgress = async (p: JobProgress) => steps?.mark(`until step ${p.done} of ${p.total}`);
      const result = await measure(server.pid, () => {
        steps = stepTimer();
        return handlers.report!({ scanId: state.scanId }, { job, logger: ctx.logger, progress: stepProgress });
      });
      steps?.mark('until the end');
      console.log(steps?.lines.join('\n'));
      const { status, reportDir, recommendations, monthlySavingsUsd } = result as Record<string, unknown>;
      console.log(JSON.stringify({ status, reportDir, recommendations, monthlySavingsUsd }));
    } else {
      // One partition, or `all` of them as one optimizer process runs them: workers.concurrency.optimizer at a time.
      const partition = arg('partition', '0');
      const all = partitions(scan.plan);
      const chosen = partition === 'all' ? all : [all[Number(partition)]];
      if (chosen.some((p) => !p)) throw new Error(`the scan has ${all.length} partitions; --partition ${partition} is not one of 0..${all.length - 1} or all`);
      const jobs: { payload: JobPayload<'optimize'>; job: HandlerContext['job'] }[] = [];
      for (const p of chosen as NonNullable<(typeof all)[number]>[]) {
        const payload = { scanId: state.scanId, accountId: p.accountId, region: p.region };
        const job = await ctx.queues.get(jobQueueName('optimize')).getJob(jobId.optimize(payload));
        if (!job) throw new Error(`the optimize job ${jobId.optimize(payload)} is not in the saved Redis: run prepare again`);
        jobs.push({ payload, job });
      }
      const results = await measure(server.pid, async () => {
        const out: unknown[] = [];
        const lane = async () => {
          for (let next = jobs.shift(); next; next = jobs.shift()) out.push(await handlers.optimize!(next.payload, { job: next.job, logger: ctx.logger, progress }));
        };
        await Promise.all(Array.from({ length: partition === 'all' ? ctx.config.workers.concurrency.optimizer : 1 }, lane));
        return out;
      });
      console.log(results.map((r) => JSON.stringify(r)).join('\n'));
    }
  } finally {
    await ctx.close();
    await server.stop();
  }
}

if (mode === 'prepare') await prepare();
else if (mode === 'report' || mode === 'optimize') await runJob(mode);
else {
  console.error('usage: node --import tsx --expose-gc bench/prof-report.ts prepare|report|optimize [--dir D] [--size N] [--scans N] [--partition N|all]');
  process.exitCode = 2;
}
