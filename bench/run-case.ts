// Runs one benchmark case: a private Redis, the four worker services as processes, full scans, and what they cost.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateApiCostUsd } from '@finops/aws';
import { startServiceProcess, stopServiceProcess, waitForHttp, type ServiceProcess } from '@finops/cli';
import { configSchema, findFreePort, startRedisServer, type Config, type ConfigInput, type ResourceKind } from '@finops/core';
import { bootstrap, startScan, waitForScan, type ServiceContext } from '@finops/pipeline';
import { jobId, partitions, queueName, scanJobs, type ScanPlan } from '@finops/queues';
import type { Report } from '@finops/reports';
import { stringify } from 'yaml';
import { build } from '../scripts/build.js';
import { effectiveBucket, MAX_PAGE_SIZE, type EffectiveBucket } from './aws-limits.js';
import { resourcesPerPartition, type BenchCase, type SimulatorPlacement } from './bench-case.js';
import { takeEstateCensus, type EstateCensus } from './estate-census.js';
import { scanLowerBound, type LowerBound, type PartitionBound } from './lower-bound.js';
import { metricQueries, minimumCalls, totalCalls, type CallCounts } from './minimum-calls.js';
import { cpuSeconds, MB, parseRedisMemory, peakRssBytes } from './process-memory.js';
import { partitionOfJobId, stageTimings, type JobTiming, type StageTimings } from './stage-timings.js';

export const WORKER_SERVICES = ['discovery', 'analysis', 'optimizer', 'reporter'] as const;


export interface RunCaseOptions {
  /** Default `endpoint`. */
  simulator?: SimulatorPlacement;
  /** Longest a scan may take before the case is recorded as unfinished. Default 15 minutes. */
  scanTimeoutMs?: number;
  /** Called with one line per step, for a terminal watching a long run. */
  progress?: (line: string) => void;
}

export interface OperationCalls {
  operation: string;
  measured: number;
  minimum: number;
}

export interface ScanMeasurement {
  scanId: string;
  /** 1 is cold (fresh worker processes, empty cost cache), later scans are warm. */
  index: number;
  status: string;
  /** From the call that queued the scan to the end of its report job. */
  wallSec: number;
  lowerBound: Omit<LowerBound, 'partitions'> & { slowestPartitions: PartitionBound[] };
  /** wallSec / lowerBound.seconds. */
  wallRatio: number;
  resources: number;
  resourcesPerSec: number;
  calls: {
    measured: number;
    minimum: number;
    /** measured / minimum. With injected throttling the minimum counts 1 / (1 − rate) attempts per call. */
    ratio: number;
    throttled: number;
    byOperation: OperationCalls[];
  };
  cloudwatch: {
    getMetricDataCalls: number;
    minimumCalls: number;
    metricsRequested: number;
    minimumMetrics: number;
    /** GetMetricData calls of the EC2 instances' own analysis jobs (analysis runs per kind). */
    ec2Calls: number;
    /** ec2Calls per 10,000 EC2 instances: the target's measure. */
    callsPer10kInstances: number;
    /** Every kind's calls per 10,000 resources of every kind. */
    callsPer10kResources: number;
    usd: number;
  };
  costExplorer: { requests: number; minimum: number; usd: number };
  estimatedCostUsd: number;
  stages: StageTimings;
  memory: { workerPeakRssMb: Record<string, number>; redisUsedMb: number; redisPeakMb: number };
  /** CPU seconds each worker process used during the scan: the work, apart from waiting on AWS or the machine. */
  workerCpuSec: Record<string, number>;
  /** The simulated-AWS process (placement `endpoint`): AWS's side of the scan, not the platform's. */
  simulatedAws?: { cpuSec: number; peakRssMb: number };
  /**
   * Every process of the scan on this machine: the workers, the simulated AWS, Redis (INFO's used_cpu_user and
   * used_cpu_sys) and the bench's own producer; `floorSec` is their total over the machine's cores, the shortest wall
   * time that CPU allows even with every core busy throughout.
   */
  machineCpu: { redisSec: number; benchSec: number; totalSec: number; cores: number; floorSec: number };
  /**
   * What one core of each role can keep up with: its CPU seconds per partition, and how many partitions of this
   * size one core serves while AWS's limits hold a scan to its lower bound (lower bound ÷ CPU per partition).
   */
  capacity: { cpuSecPerPartition: Record<string, number>; partitionsPerCoreAtBound: Record<string, number> };
  loadAverage: number[];
}

export interface CaseResult {
  case: BenchCase;
  settings: {
    resourcesPerRegion: number;
    partitions: number;
    latencyMs: { min: number; max: number };
    throttleRate: number;
    pageSizes: Record<string, number | 'unpaginated'>;
    rateLimits: EffectiveBucket[];
    concurrency: Config['workers']['concurrency'];
    /** Where the simulated AWS ran (see SimulatorPlacement). */
    simulator: SimulatorPlacement;
  };
  estate: { total: number; byKind: Partial<Record<ResourceKind, number>>; accounts: number; regions: number };
  censusMs: number;
  /** Peak RSS of each worker once started and connected, before any scan: the floor the scans add to. */
  workerIdleRssMb: Record<string, number>;
  /** Peak RSS of the simulated-AWS process (placement `endpoint`) once it served the census-free start-up. */
  simulatedAwsIdleRssMb?: number;
  scans: ScanMeasurement[];
  loadAverage: { start: number[]; end: number[] };
  /** Set when the case could not finish: what happened and the workers' last log lines. */
  error?: string;
  /** Peak RSS per worker as last sampled before the case stopped (a worker that died keeps its last figure). */
  workerPeakRssMbAtError?: Record<string, number>;
  /** Redis used_memory peak when the case stopped. */
  redisPeakMbAtError?: number;
  /** What the scan that did not finish got done: its finished stages, and discovery against its own bound. */
  unfinishedScan?: UnfinishedScan;
}

export interface UnfinishedScan {
  index: number;
  status: string;
  waitedSec: number;
  stages: StageTimings;
  /** When the last discovery job ended, against the discovery part of the lower bound (every listing done). */
  discovery?: {
    wallSec: number;
    lowerBoundSec: number;
    ratio: number;
    /** Discovery calls (STS, CloudWatch and Cost Explorer left out) against their minimum. */
    calls: { measured: number; minimum: number; ratio: number };
  };
  /** CPU seconds each worker used until the scan stopped (a worker that died: until its last sample). */
  workerCpuSec: Record<string, number>;
  failedJobs: { id: string; queue: string; reason: string }[];
}

const DISCOVERY_ONLY = (operation: string) => !/^(cloudwatch|ce|sts)\./.test(operation);

/** The part of a scan that finished: stage timings, and how discovery fared when every discover job completed. */
async function measureUnfinished(input: {
  ctx: ServiceContext;
  plan: ScanPlan;
  started: number;
  index: number;
  status: string;
  failedJobs: UnfinishedScan['failedJobs'];
  census: EstateCensus;
  bench: BenchCase;
  config: Config;
  workerCpuSec: Record<string, number>;
}): Promise<UnfinishedScan> {
  const { ctx, plan, started, census, bench, config } = input;
  const stages = stageTimings(await jobTimings(ctx, plan), started);
  const discoveryStage = stages.stages.find((s) => s.stage === 'discovery');
  const discoverJobs = scanJobs(plan).filter((j) => j.stage === 'discover').length;
  const unfinished: UnfinishedScan = {
    index: input.index,
    status: input.status,
    waitedSec: round((Date.now() - started) / 1000, 1),
    stages,
    workerCpuSec: input.workerCpuSec,
    failedJobs: input.failedJobs,
  };
  if (!discoveryStage || discoveryStage.jobs < discoverJobs) return unfinished;
  const bound = scanLowerBound(census, bench.accounts[0] as string, {
    config,
    latencyMs: bench.latencyMs,
    throttleRate: bench.throttleRate,
    costsCached: true,
    credentialsCached: input.index > 1,
  });
  const lowerBoundSec = Math.max(...bound.partitions.map((p) => p.discoverySec));
  const usage = await ctx.store.usage(plan.scanId);
  const measured = totalCalls(Object.fromEntries(Object.entries(usage.calls).filter(([op]) => DISCOVERY_ONLY(op))));
  const minimum = totalCalls(
    Object.fromEntries(
      Object.entries(minimumCalls(census, { accounts: bench.accounts.length, costsCached: true, credentialsCached: true })).filter(([op]) => DISCOVERY_ONLY(op)),
    ),
  ) / (1 - bench.throttleRate);
  unfinished.discovery = {
    wallSec: discoveryStage.lastEndSec,
    lowerBoundSec: round(lowerBoundSec),
    ratio: round(discoveryStage.lastEndSec / lowerBoundSec),
    calls: { measured, minimum: round(minimum, 1), ratio: round(measured / minimum) },
  };
  return unfinished;
}

/**
 * GetMetricData calls the scan's EC2 instances needed: those of its ec2-instance analysis jobs (analysis runs per
 * account, region and kind, and each job's usage is stored under its id), every attempt included.
 */
async function ec2MetricCalls(ctx: ServiceContext, plan: ScanPlan): Promise<number> {
  const ids = new Set(partitions(plan).map((p) => jobId.analyze({ scanId: plan.scanId, accountId: p.accountId, region: p.region, kind: 'ec2-instance' })));
  let calls = 0;
  for (const [id, usage] of await ctx.store.usageByJob(plan.scanId)) if (ids.has(id)) calls += usage.calls['cloudwatch.GetMetricData'] ?? 0;
  return calls;
}

/** The config the workers and the producer read: the simulated account with AWS's limits, nothing else changed. */
export function benchConfig(bench: BenchCase, dir: string, simulationEndpoint?: string): ConfigInput {
  return {
    aws: { provider: 'simulated', regions: bench.regions, defaultRegion: 'us-east-1' },
    simulation: {
      seed: bench.seed,
      accounts: bench.accounts,
      resourcesPerRegion: resourcesPerPartition(bench),
      latencyMs: bench.latencyMs,
      throttleRate: bench.throttleRate,
      rateLimits: true,
      ...(simulationEndpoint ? { endpoint: simulationEndpoint } : {}),
    },
    redis: { prefix: '{bench}', managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports') },
    logging: { level: 'info' },
  };
}

/**
 * The environment of the worker processes: this one's, without FINOPS_* settings that would override the config,
 * and with the V8 heap limit docker-compose.yml gives each worker (WORKER_HEAP_MB): without one, V8 sizes the heap
 * from the machine's memory and lets garbage pile up to gigabytes before it collects, which is not what a worker in
 * a memory-limited container does. `BENCH_WORKER_HEAP_MB=0` runs them without a limit; `BENCH_HEAP_MB_<SERVICE>=N`
 * (e.g. BENCH_HEAP_MB_ANALYSIS=1024) sets one service's. The young generation's limit is docker-compose.yml's too
 * (WORKER_SEMI_SPACE_MB); `BENCH_SEMI_SPACE_MB_<SERVICE>=N` sets one service's, 0 leaves it to V8.
 */
function workerEnv(configFile: string, redisUrl: string, service: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('FINOPS_') && key !== 'REDIS_URL') env[key] = value;
  const own = (setting: string) => process.env[`${setting}_${service.toUpperCase().replace(/-/g, '_')}`];
  const ownHeap = own('BENCH_HEAP_MB');
  const heapMb = process.env.BENCH_WORKER_HEAP_MB === '0' ? 0 : ownHeap !== undefined ? Number(ownHeap) : (WORKER_HEAP_MB[service] ?? WORKER_HEAP_MB.default);
  const ownSemi = own('BENCH_SEMI_SPACE_MB');
  const semiMb = ownSemi !== undefined ? Number(ownSemi) : (WORKER_SEMI_SPACE_MB[service] ?? 0);
  const nodeOptions = [env.NODE_OPTIONS, heapMb > 0 ? `--max-old-space-size=${heapMb}` : undefined, semiMb > 0 ? `--max-semi-space-size=${semiMb}` : undefined]
    .filter(Boolean)
    .join(' ');
  return { ...env, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}), FINOPS_CONFIG: configFile, REDIS_URL: redisUrl };
}

let bundles: Promise<unknown> | undefined;
/** `pnpm build` into the repository's dist/, once per process. */
function bundlesBuilt(): Promise<unknown> {
  bundles ??= build();
  return bundles;
}

/**
 * The V8 old-space limits in docker-compose.yml (NODE_OPTIONS: WORKER_HEAP_MB, ANALYSIS_HEAP_MB, REPORTER_HEAP_MB,
 * SIMULATED_AWS_HEAP_MB), in MB.
 */
export const WORKER_HEAP_MB: Readonly<Record<string, number>> = { default: 384, analysis: 1024, reporter: 1024, 'simulated-aws': 2048 };

/**
 * The V8 semi-space limits in docker-compose.yml (NODE_OPTIONS: DISCOVERY_SEMI_SPACE_MB), in MB; V8's own (16 MB)
 * for the services not named.
 */
export const WORKER_SEMI_SPACE_MB: Readonly<Record<string, number>> = { discovery: 8 };

async function waitForWorkers(ctx: ServiceContext, signal: AbortSignal): Promise<void> {
  const names = [...ctx.regions.flatMap((r) => [queueName('discovery', r), queueName('analysis', r)]), queueName('optimizer'), queueName('reporter')];
  for (const name of names) {
    while ((await ctx.queues.get(name).getWorkersCount()) === 0) {
      if (signal.aborted) throw new Error(`no worker serves queue ${name} yet: the worker processes did not start (see their logs)`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function jobTimings(ctx: ServiceContext, plan: ScanPlan): Promise<JobTiming[]> {
  const timings: JobTiming[] = [];
  for (const { stage, queue, id } of scanJobs(plan)) {
    const job = await ctx.queues.get(queue).getJob(id);
    if (!job?.processedOn || !job.finishedOn) continue;
    timings.push({ job: stage, id, partition: partitionOfJobId(id), processedOn: job.processedOn, finishedOn: job.finishedOn, attemptsMade: job.attemptsMade });
  }
  return timings;
}

function byOperation(measured: CallCounts, minimum: CallCounts): OperationCalls[] {
  const operations = [...new Set([...Object.keys(measured), ...Object.keys(minimum)])].sort();
  return operations.map((operation) => ({ operation, measured: measured[operation] ?? 0, minimum: minimum[operation] ?? 0 }));
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** What the machine's cores spent on the scan, and the wall time that CPU alone needs with every core busy. */
function machineCpuOf(workerCpuSec: Record<string, number>, simulatedAwsSec: number, other: { redis: number; bench: number }): ScanMeasurement['machineCpu'] {
  const totalSec = Object.values(workerCpuSec).reduce((sum, sec) => sum + sec, 0) + simulatedAwsSec + other.redis + other.bench;
  const cores = availableParallelism();
  return { redisSec: round(other.redis, 2), benchSec: round(other.bench, 2), totalSec: round(totalSec, 1), cores, floorSec: round(totalSec / cores, 1) };
}

/** Redis's own CPU seconds so far (INFO cpu: used_cpu_user + used_cpu_sys). */
async function redisCpuSeconds(redis: ServiceContext['redis']): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** This process's CPU seconds so far. */
function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function capacityOf(cpuSec: Record<string, number>, partitions: number, boundSec: number): ScanMeasurement['capacity'] {
  const perPartition = Object.fromEntries(Object.entries(cpuSec).map(([role, sec]) => [role, round(sec / partitions)]));
  return {
    cpuSecPerPartition: perPartition,
    partitionsPerCoreAtBound: Object.fromEntries(Object.entries(perPartition).map(([role, sec]) => [role, sec > 0 ? round(boundSec / sec, 1) : Number.POSITIVE_INFINITY])),
  };
}

/** The numbers of one finished scan, against what the census says the estate needs. */
export function measureScan(input: {
  index: number;
  report: Report;
  status: string;
  wallSec: number;
  census: EstateCensus;
  bench: BenchCase;
  config: Config;
  stages: StageTimings;
  memory: ScanMeasurement['memory'];
  workerCpuSec: Record<string, number>;
  simulatedAws?: ScanMeasurement['simulatedAws'];
  /** Redis's and the bench process's CPU seconds during the scan: machineCpu adds the workers' and the simulated AWS's. */
  otherCpuSec: { redis: number; bench: number };
  /** GetMetricData calls of the scan's ec2-instance analysis jobs, every attempt (ec2MetricCalls). */
  ec2MetricCalls: number;
}): ScanMeasurement {
  const { report, census, bench, config } = input;
  const costsCached = report.apiUsage.costExplorerRequests === 0 && report.costs?.cached === true;
  const attempts = 1 / (1 - bench.throttleRate);
  const minimum = minimumCalls(census, {
    accounts: bench.accounts.length,
    costsCached,
    credentialsCached: input.index > 1,
    usageTypeLookups: report.anomalyDetection?.usageTypeRequests ?? 0,
  });
  const bound = scanLowerBound(census, bench.accounts[0] as string, {
    config,
    latencyMs: bench.latencyMs,
    throttleRate: bench.throttleRate,
    costsCached,
    credentialsCached: input.index > 1,
  });
  const measuredCalls = totalCalls(report.apiUsage.calls);
  const minimumTotal = totalCalls(minimum) * attempts;
  const instances = report.inventory.byKind['ec2-instance'] ?? 0;
  const gmd = report.apiUsage.calls['cloudwatch.GetMetricData'] ?? 0;
  const minimumMetrics = census.partitions.reduce((sum, p) => sum + metricQueries(p.metricGroups), 0);
  const ce = report.apiUsage.costExplorerRequests;
  const { partitions, ...summary } = bound;
  return {
    scanId: report.scanId,
    index: input.index,
    status: input.status,
    wallSec: input.wallSec,
    lowerBound: { ...summary, seconds: round(summary.seconds), costsSec: round(summary.costsSec), slowestPartitions: [...partitions].sort((a, b) => b.totalSec - a.totalSec).slice(0, 3) },
    wallRatio: round(input.wallSec / bound.seconds),
    resources: report.inventory.total,
    resourcesPerSec: round(report.inventory.total / input.wallSec, 1),
    calls: {
      measured: measuredCalls,
      minimum: round(minimumTotal, 1),
      ratio: round(measuredCalls / minimumTotal),
      throttled: report.apiUsage.throttled,
      byOperation: byOperation(report.apiUsage.calls, minimum),
    },
    cloudwatch: {
      getMetricDataCalls: gmd,
      minimumCalls: minimum['cloudwatch.GetMetricData'] ?? 0,
      metricsRequested: report.apiUsage.metricsRequested,
      minimumMetrics,
      ec2Calls: input.ec2MetricCalls,
      callsPer10kInstances: instances ? round((input.ec2MetricCalls / instances) * 10_000, 1) : 0,
      callsPer10kResources: report.inventory.total ? round((gmd / report.inventory.total) * 10_000, 1) : 0,
      usd: round(estimateApiCostUsd({ calls: {}, throttled: 0, metricsRequested: report.apiUsage.metricsRequested, costExplorerRequests: 0 }), 4),
    },
    costExplorer: {
      requests: ce,
      minimum: Object.entries(minimum).filter(([op]) => op.startsWith('ce.')).reduce((sum, [, n]) => sum + n, 0),
      usd: round(estimateApiCostUsd({ calls: {}, throttled: 0, metricsRequested: 0, costExplorerRequests: ce }), 4),
    },
    estimatedCostUsd: report.apiUsage.estimatedCostUsd,
    stages: input.stages,
    memory: input.memory,
    workerCpuSec: input.workerCpuSec,
    ...(input.simulatedAws ? { simulatedAws: input.simulatedAws } : {}),
    machineCpu: machineCpuOf(input.workerCpuSec, input.simulatedAws?.cpuSec ?? 0, input.otherCpuSec),
    capacity: capacityOf(input.workerCpuSec, census.partitions.length, bound.seconds),
    loadAverage: loadavg().map((l) => round(l, 2)),
  };
}

function logTails(processes: readonly ServiceProcess[]): string {
  return processes
    .map((p) => {
      let text = '';
      try {
        text = readFileSync(p.logFile, 'utf8').slice(-2000);
      } catch {
        text = '(no log)';
      }
      return `--- ${p.name} (${p.logFile})\n${text}`;
    })
    .join('\n');
}

/**
 * Runs `bench.scans` full scans of the simulated estate through the four worker services, each a separate process,
 * on a private redis-server, with the producer in this process. Everything it starts is stopped again.
 */
export async function runCase(bench: BenchCase, options: RunCaseOptions = {}): Promise<CaseResult> {
  const say = options.progress ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), `finops-bench-${bench.name}-`));
  const loadStart = loadavg().map((l) => round(l, 2));
  const configFile = join(dir, 'config.yaml');
  const placement = options.simulator ?? 'endpoint';
  const awsPort = placement === 'endpoint' ? await findFreePort() : undefined;
  const awsUrl = awsPort === undefined ? undefined : `http://127.0.0.1:${awsPort}`;
  const input = benchConfig(bench, dir, awsUrl);
  const config = configSchema.parse(input);
  writeFileSync(configFile, stringify(input));
  const redis = await startRedisServer({ dir });
  const processes: ServiceProcess[] = [];
  let awsProcess: ServiceProcess | undefined;
  let simulatedAwsIdleRssMb: number | undefined;
  let ctx: ServiceContext | undefined;
  const scans: ScanMeasurement[] = [];
  let census: EstateCensus | undefined;
  let error: string | undefined;
  let lastPeaks: Record<string, number> | undefined;
  const workerIdleRssMb: Record<string, number> = {};
  let unfinishedScan: UnfinishedScan | undefined;
  let redisPeakMbAtError: number | undefined;
  try {
    const env = workerEnv(configFile, redis.url, 'bench');
    // The workers run as the image runs them: the bundles of `pnpm build` (built once per bench run).
    await bundlesBuilt();
    if (awsPort !== undefined) {
      const awsEnv = { ...workerEnv(configFile, redis.url, 'simulated-aws'), FINOPS_SIMULATED_AWS_PORT: String(awsPort) };
      awsProcess = startServiceProcess('simulated-aws', { env: awsEnv, logDir: join(dir, 'logs'), source: 'bundle' });
    }
    for (const name of WORKER_SERVICES) {
      processes.push(startServiceProcess(name, { env: workerEnv(configFile, redis.url, name), logDir: join(dir, 'logs'), source: 'bundle' }));
    }
    say(`${bench.name}: workers starting; census of the estate (${bench.size} resources wanted)`);
    // The census runs while the workers boot: nothing is timed yet.
    census = await takeEstateCensus(config);
    ctx = await bootstrap({ service: 'bench', argv: ['--config', configFile], env, overrides: { logging: { level: 'warn' } } });
    if (awsProcess) {
      const aws = awsProcess;
      await waitForHttp(`${awsUrl}/healthz`, 120_000, () => aws.child.exitCode === null && aws.child.signalCode === null);
    }
    await waitForWorkers(ctx, AbortSignal.timeout(120_000));
    for (const p of processes) workerIdleRssMb[p.name] = round((peakRssBytes(p.child.pid ?? -1) ?? Number.NaN) / MB, 1);
    if (awsProcess) simulatedAwsIdleRssMb = round((peakRssBytes(awsProcess.child.pid ?? -1) ?? Number.NaN) / MB, 1);
    // Sampled like the workers; its figures are AWS's side and kept apart from theirs.
    const sampled = awsProcess ? [...processes, awsProcess] : processes;
    const peaks = new Map<string, number>();
    const cpuSeen = new Map<string, number>();
    const sample = () => {
      for (const p of sampled) {
        const peak = peakRssBytes(p.child.pid ?? -1);
        if (peak !== undefined) peaks.set(p.name, Math.max(peaks.get(p.name) ?? 0, peak));
        const cpu = cpuSeconds(p.child.pid ?? -1);
        if (cpu !== undefined) cpuSeen.set(p.name, cpu);
      }
    };
    // VmHWM is a high-water mark; sampling it keeps the last peak of a worker that dies (out of memory) mid-scan.
    const sampler = setInterval(sample, 1000);
    // A worker that exits mid-scan would leave the scan waiting for ever: stop waiting and say which one.
    const died = new AbortController();
    for (const p of sampled) {
      void p.exited.then(({ code, signal }) => died.abort(new Error(`${p === awsProcess ? 'the simulated AWS' : `worker ${p.name}`} exited (code ${code}, signal ${signal})`)));
    }
    try {
      for (let index = 1; index <= bench.scans; index += 1) {
        say(`${bench.name}: scan ${index} of ${bench.scans} running`);
        const started = Date.now();
        const cpuBefore = new Map(sampled.map((p) => [p.name, cpuSeconds(p.child.pid ?? -1) ?? Number.NaN]));
        const redisCpuBefore = await redisCpuSeconds(ctx.redis);
        const benchCpuBefore = ownCpuSeconds();
        /** CPU seconds `p` used since the scan started. */
        const cpuUsed = (p: ServiceProcess) => round((cpuSeconds(p.child.pid ?? -1) ?? Number.NaN) - (cpuBefore.get(p.name) ?? Number.NaN), 2);
        const plan = await startScan(ctx, { trigger: 'bench' });
        const signal = AbortSignal.any([died.signal, AbortSignal.timeout(options.scanTimeoutMs ?? 15 * 60_000)]);
        const progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, { pollMs: 250, signal });
        if (progress.status !== 'completed' || !progress.reportDir) {
          const waited = Math.round((Date.now() - started) / 1000);
          const why = died.signal.aborted ? `: ${(died.signal.reason as Error).message}` : signal.aborted ? ': timed out' : '';
          error = `scan ${index} ended ${progress.status} after ${waited} s${why}; stages ${JSON.stringify(progress.stages)}; failed jobs ${JSON.stringify(progress.failedJobs)}`;
          redisPeakMbAtError = round(parseRedisMemory(await ctx.redis.info('memory')).peakBytes / MB, 1);
          sample();
          const workerCpuSec = Object.fromEntries(processes.map((p) => [p.name, round((cpuSeen.get(p.name) ?? Number.NaN) - (cpuBefore.get(p.name) ?? Number.NaN), 2)]));
          unfinishedScan = await measureUnfinished({ ctx, plan, started, index, status: progress.status, failedJobs: progress.failedJobs, census, bench, config, workerCpuSec }).catch(
            () => undefined,
          );
          break;
        }
        const report = JSON.parse(readFileSync(join(progress.reportDir, 'report.json'), 'utf8')) as Report;
        const stages = stageTimings(await jobTimings(ctx, plan), started);
        const redisMemory = parseRedisMemory(await ctx.redis.info('memory'));
        sample();
        scans.push(
          measureScan({
            index,
            ec2MetricCalls: await ec2MetricCalls(ctx, plan),
            report,
            status: progress.status,
            wallSec: stages.wallSec,
            census,
            bench,
            config,
            stages,
            memory: {
              workerPeakRssMb: Object.fromEntries(processes.map((p) => [p.name, round((peaks.get(p.name) ?? Number.NaN) / MB, 1)])),
              redisUsedMb: round(redisMemory.usedBytes / MB, 1),
              redisPeakMb: round(redisMemory.peakBytes / MB, 1),
            },
            workerCpuSec: Object.fromEntries(processes.map((p) => [p.name, cpuUsed(p)])),
            otherCpuSec: { redis: (await redisCpuSeconds(ctx.redis)) - redisCpuBefore, bench: ownCpuSeconds() - benchCpuBefore },
            ...(awsProcess ? { simulatedAws: { cpuSec: cpuUsed(awsProcess), peakRssMb: round((peaks.get(awsProcess.name) ?? Number.NaN) / MB, 1) } } : {}),
          }),
        );
        say(`${bench.name}: scan ${index} done in ${stages.wallSec} s`);
      }
    } finally {
      clearInterval(sampler);
      // The workers' only: the simulated AWS's memory is AWS's side.
      if (error) lastPeaks = Object.fromEntries([...peaks].filter(([name]) => name !== awsProcess?.name).map(([name, bytes]) => [name, round(bytes / MB, 1)]));
    }
  } catch (caught) {
    error = (caught as Error).stack ?? String(caught);
  } finally {
    if (error) error = `${error}\n${logTails(awsProcess ? [...processes, awsProcess] : processes)}`;
    await Promise.all(processes.map((p) => stopServiceProcess(p)));
    if (awsProcess) await stopServiceProcess(awsProcess);
    await ctx?.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const settingsBuckets = new Map<string, EffectiveBucket>();
  const operations = census ? Object.keys(minimumCalls(census, { accounts: bench.accounts.length, costsCached: false, credentialsCached: false })) : [];
  for (const operation of operations) {
    const bucket = effectiveBucket(config, bench.accounts[0] as string, bench.regions[0] as string, operation);
    settingsBuckets.set(bucket.name, bucket);
  }
  const byKind: Partial<Record<ResourceKind, number>> = {};
  for (const partition of census?.partitions ?? []) {
    for (const [kind, n] of Object.entries(partition.resources) as [ResourceKind, number][]) byKind[kind] = (byKind[kind] ?? 0) + n;
  }
  return {
    case: bench,
    settings: {
      resourcesPerRegion: resourcesPerPartition(bench),
      partitions: bench.accounts.length * bench.regions.length,
      latencyMs: bench.latencyMs,
      throttleRate: bench.throttleRate,
      pageSizes: Object.fromEntries(Object.entries(MAX_PAGE_SIZE).map(([op, size]) => [op, Number.isFinite(size) ? size : 'unpaginated'])),
      rateLimits: [...settingsBuckets.values()].sort((a, b) => a.name.localeCompare(b.name)),
      concurrency: config.workers.concurrency,
      simulator: placement,
    },
    estate: {
      total: Object.values(byKind).reduce((sum, n) => sum + n, 0),
      byKind,
      accounts: bench.accounts.length,
      regions: bench.regions.length,
    },
    censusMs: census?.durationMs ?? 0,
    workerIdleRssMb,
    ...(simulatedAwsIdleRssMb !== undefined ? { simulatedAwsIdleRssMb } : {}),
    scans,
    loadAverage: { start: loadStart, end: loadavg().map((l) => round(l, 2)) },
    ...(error ? { error, ...(lastPeaks ? { workerPeakRssMbAtError: lastPeaks } : {}), ...(unfinishedScan ? { unfinishedScan } : {}), ...(redisPeakMbAtError !== undefined ? { redisPeakMbAtError } : {}) } : {}),
  };
}
