// CI smoke run of `pnpm bench`: a few hundred resources through the four worker processes, so the bench cannot rot.
import { benchCase } from '../../bench/bench-case.js';
import { formatCase } from '../../bench/format-results.js';
import { runBench, type BenchResults } from '../../bench/run-bench.js';
import { STAGES } from '../../bench/stage-timings.js';
import { beforeAll, describe, expect, it } from 'vitest';

describe('pnpm bench, smoke run', () => {
  let results: BenchResults;

  beforeAll(async () => {
    const smoke = benchCase({ name: 'smoke', size: 300, regions: ['us-east-1', 'eu-west-1'], latencyMs: { min: 1, max: 5 }, scans: 2 });
    results = await runBench([smoke], { scanTimeoutMs: 90_000 });
  }, 170_000);

  it('finishes both scans of the case', () => {
    const [result] = results.cases;
    expect(result?.error).toBeUndefined();
    expect(result?.scans.map((s) => s.status)).toEqual(['completed', 'completed']);
  });

  it('describes the estate and the simulation it ran against', () => {
    const result = results.cases[0]!;
    expect(result.estate).toMatchObject({ accounts: 2, regions: 2 });
    expect(result.estate.total).toBeGreaterThan(250);
    expect(result.settings.partitions).toBe(4);
    expect(result.settings.pageSizes['lambda.ListFunctions']).toBe(50);
    expect(result.settings.rateLimits.map((b) => b.name)).toEqual(expect.arrayContaining(['lambda.control-plane', 'cloudwatch.GetMetricData', 'ec2.DescribeInstances']));
    expect(results.machine.cpus).toBeGreaterThan(0);
    expect(results.machine.loadAverageStart).toHaveLength(3);
    for (const scan of result.scans) expect(scan.resources).toBe(result.estate.total);
  });

  it('computes every ratio from positive figures, with no call under its minimum', () => {
    const instances = results.cases[0]!.estate.byKind['ec2-instance'] ?? 0;
    expect(instances).toBeGreaterThan(0);
    for (const scan of results.cases[0]!.scans) {
      expect(scan.lowerBound.seconds).toBeGreaterThan(0);
      expect(scan.wallSec).toBeGreaterThan(scan.lowerBound.seconds);
      expect(scan.wallRatio).toBeCloseTo(scan.wallSec / scan.lowerBound.seconds, 2);
      expect(scan.calls.minimum).toBeGreaterThan(0);
      expect(scan.calls.ratio).toBeCloseTo(scan.calls.measured / scan.calls.minimum, 2);
      expect(scan.cloudwatch.minimumMetrics).toBe(scan.cloudwatch.metricsRequested);
      for (const operation of scan.calls.byOperation) expect(operation.measured, operation.operation).toBeGreaterThanOrEqual(operation.minimum);
      // The EC2 instances' own calls: some, and part of the scan's (the other kinds' analysis jobs make the rest).
      expect(scan.cloudwatch.ec2Calls).toBeGreaterThan(0);
      expect(scan.cloudwatch.ec2Calls).toBeLessThan(scan.cloudwatch.getMetricDataCalls);
      expect(scan.cloudwatch.callsPer10kInstances).toBeCloseTo((scan.cloudwatch.ec2Calls / instances) * 10_000, 0);
      expect(scan.resourcesPerSec).toBeGreaterThan(0);
    }
  });

  it('times each stage and splits the wall time along the critical path', () => {
    for (const scan of results.cases[0]!.scans) {
      expect(scan.stages.stages.map((s) => s.stage)).toEqual(['discovery', 'metrics', 'costs', 'checks', 'tracking', 'report']);
      const total = scan.stages.criticalPath.reduce((sum, segment) => sum + segment.seconds, 0);
      expect(total).toBeCloseTo(scan.wallSec, 1);
      expect([...STAGES, 'retries']).toContain(scan.stages.slowestStage);
    }
  });

  it('measures every worker\'s peak RSS, CPU time and Redis memory', () => {
    const result = results.cases[0]!;
    for (const scan of result.scans) {
      expect(scan.workerCpuSec.discovery).toBeGreaterThan(0);
      expect(scan.workerCpuSec.analysis).toBeGreaterThan(0);
      expect(Object.keys(scan.memory.workerPeakRssMb).sort()).toEqual(['analysis', 'discovery', 'optimizer', 'reporter']);
      for (const mb of Object.values(scan.memory.workerPeakRssMb)) expect(mb).toBeGreaterThan(10);
      expect(scan.memory.redisPeakMb).toBeGreaterThanOrEqual(scan.memory.redisUsedMb);
    }
    for (const mb of Object.values(result.workerIdleRssMb)) expect(mb).toBeGreaterThan(10);
  });

  it('runs the simulated AWS as its own process and measures it apart from the workers', () => {
    const result = results.cases[0]!;
    expect(result.settings.simulator).toBe('endpoint');
    expect(result.simulatedAwsIdleRssMb).toBeGreaterThan(10);
    for (const scan of result.scans) {
      // It answered every call of the scan: its CPU is AWS's side, not in any worker's figures.
      expect(scan.simulatedAws?.cpuSec).toBeGreaterThan(0);
      expect(scan.simulatedAws?.peakRssMb).toBeGreaterThanOrEqual(result.simulatedAwsIdleRssMb ?? Number.POSITIVE_INFINITY);
      expect(Object.keys(scan.workerCpuSec)).not.toContain('simulated-aws');
    }
  });

  it('adds up the CPU of every process of the scan, Redis and the bench included, and the wall time it alone needs', () => {
    for (const scan of results.cases[0]!.scans) {
      const m = scan.machineCpu;
      expect(m.redisSec).toBeGreaterThan(0);
      expect(m.benchSec).toBeGreaterThan(0);
      const parts = Object.values(scan.workerCpuSec).reduce((a, b) => a + b, 0) + (scan.simulatedAws?.cpuSec ?? 0) + m.redisSec + m.benchSec;
      expect(m.totalSec).toBeCloseTo(parts, 0);
      expect(m.cores).toBeGreaterThan(0);
      expect(m.floorSec).toBeCloseTo(m.totalSec / m.cores, 0);
    }
  });

  it('prices Cost Explorer on the cold scan and makes no request on the second', () => {
    const [cold, warm] = results.cases[0]!.scans;
    expect(cold?.costExplorer.requests).toBeGreaterThan(0);
    expect(cold?.costExplorer.usd).toBeCloseTo((cold?.costExplorer.requests ?? 0) * 0.01, 6);
    expect(warm?.costExplorer.requests).toBe(0);
    expect(results.cases[0]!.targets.find((t) => t.target.includes('Cost Explorer'))?.verdict).toBe('pass');
  });

  it('judges every target and prints the case', () => {
    const result = results.cases[0]!;
    expect(result.targets).toHaveLength(7);
    for (const target of result.targets) expect(['pass', 'miss']).toContain(target.verdict);
    const text = formatCase(result, result.targets);
    expect(text).toContain('== smoke: 2 accounts × 2 regions');
    expect(text).toContain('critical path');
  });
});
