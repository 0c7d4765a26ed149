// The bench's arithmetic on hand-made estates: minimum calls, the lower bound, the critical path, growth and arguments.
import { configSchema, type Resource } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, parseLatency, parseRegions } from '../../bench/bench-args.js';
import { effectiveBucket } from '../../bench/aws-limits.js';
import { metricQueryGroups, type EstateCensus, type PartitionCensus } from '../../bench/estate-census.js';
import { bucketSeconds, partitionBound, scanLowerBound } from '../../bench/lower-bound.js';
import { listingPages, metricCalls, minimumCalls, partitionMinimumCalls } from '../../bench/minimum-calls.js';
import { parseRedisMemory } from '../../bench/process-memory.js';
import { stageTimings, type JobTiming } from '../../bench/stage-timings.js';
import type { CaseResult } from '../../bench/run-case.js';
import { growthExponent, growthTargets } from '../../bench/targets.js';
import { availableDatabase, runningInstance } from '../../packages/aws/src/__fixtures__/test-access.js';

const config = configSchema.parse({ aws: { provider: 'simulated' } });

/** A partition with 1,750 instances, 120 Lambda functions, 30 target groups in use and 300 hourly metric queries. */
function partition(overrides: Partial<PartitionCensus> = {}): PartitionCensus {
  return {
    accountId: '222222222222',
    region: 'eu-west-1',
    resources: { 'ec2-instance': 1750, 'lambda-function': 120 },
    listings: [
      { operation: 'ec2.DescribeInstances', items: 1750, pages: 3, emptyPages: 1 },
      { operation: 'ec2.DescribeAddresses', items: 70, pages: 1, emptyPages: 0 },
      { operation: 'lambda.ListFunctions', items: 120, pages: 3, emptyPages: 0 },
      { operation: 'elbv2.DescribeTargetGroups', items: 45, pages: 1, emptyPages: 0 },
      { operation: 'elbv2.DescribeLoadBalancers', items: 41, pages: 1, emptyPages: 0 },
    ],
    perResource: { lambdaFunctions: 120, elbv2LoadBalancers: 41, attachedTargetGroups: 30, classicLoadBalancers: 0, classicWithInstances: 0 },
    metricGroups: [{ periodSec: 3600, spanDays: 14, queries: 300, pointsPerQuery: 336 }],
    ...overrides,
  };
}

describe('minimum calls', () => {
  it('counts pages at AWS\'s maximum page size, plus the empty pages the service served', () => {
    expect(listingPages({ operation: 'ec2.DescribeInstances', items: 1750, pages: 9, emptyPages: 1 })).toBe(3);
    expect(listingPages({ operation: 'lambda.ListFunctions', items: 0, pages: 1, emptyPages: 0 })).toBe(1);
    expect(listingPages({ operation: 'ec2.DescribeAddresses', items: 5000, pages: 1, emptyPages: 0 })).toBe(1);
    // Cost Explorer pages by answer size: what it served is the minimum.
    expect(listingPages({ operation: 'ce.GetCostAndUsage', items: 90, pages: 2, emptyPages: 0 })).toBe(2);
  });

  it('packs GetMetricData under both the 500-query and the 100,800-datapoint cap', () => {
    expect(metricCalls([])).toBe(0);
    expect(metricCalls([{ periodSec: 3600, spanDays: 14, queries: 300, pointsPerQuery: 336 }])).toBe(1);
    expect(metricCalls([{ periodSec: 3600, spanDays: 14, queries: 301, pointsPerQuery: 336 }])).toBe(2);
    expect(metricCalls([{ periodSec: 86400, spanDays: 30, queries: 1000, pointsPerQuery: 30 }])).toBe(2);
    // 1,000 instances at 10:30, network daily and CPU hourly over one window from the midnight before: 1,000 CPU
    // queries × 346 + 2,000 network queries × 15 = 376,000 points (3.7 calls' worth), but 3,000 queries need 6 calls
    // of 500. All hourly, 3,000 × 336 = 1,008,000 points needed 10.
    const daily = [
      { periodSec: 3600, spanDays: 14, queries: 1000, pointsPerQuery: 346 },
      { periodSec: 86400, spanDays: 14, queries: 2000, pointsPerQuery: 15 },
    ];
    expect(metricCalls(daily)).toBe(6);
    expect(metricCalls([{ periodSec: 3600, spanDays: 14, queries: 3000, pointsPerQuery: 336 }])).toBe(10);
    // At 5 minutes the points cap binds: 1,000 × 4,158 (346.5 hours × 12) + 2,000 × 15 = 4,188,000 points, 41.5 calls'
    // worth: 42, as the platform's 24 instances a call (24 × 4,188 = 100,512 points) take.
    const fiveMinutes = [
      { periodSec: 300, spanDays: 14, queries: 1000, pointsPerQuery: 4158 },
      { periodSec: 86400, spanDays: 14, queries: 2000, pointsPerQuery: 15 },
    ];
    expect(metricCalls(fiveMinutes)).toBe(42);
  });

  it('counts an instance\'s queries over the window from the midnight before the hourly one, as fetched', () => {
    const instance = runningInstance('i-1');
    // One window, 2024-06-01 00:00 to 2024-06-15 10:00: CPU 14 × 24 + 10 = 346 hourly points (the 10 hours before
    // the hourly window are returned too), network in and out 15 daily points each.
    expect(metricQueryGroups(config, [instance], new Date('2024-06-15T10:30:00Z'))).toEqual([
      { periodSec: 3600, spanDays: 14, queries: 1, pointsPerQuery: 346 },
      { periodSec: 86400, spanDays: 14, queries: 2, pointsPerQuery: 15 },
    ]);
    // In the first hour of a day the hourly window starts at midnight: 336 and 14.
    expect(metricQueryGroups(config, [instance], new Date('2024-06-15T00:30:00Z'))).toEqual([
      { periodSec: 3600, spanDays: 14, queries: 1, pointsPerQuery: 336 },
      { periodSec: 86400, spanDays: 14, queries: 2, pointsPerQuery: 14 },
    ]);
  });

  it('moves only the kinds with a daily utilization query: each kind is its own fetch', () => {
    const database = availableDatabase('orders', { accountId: '222222222222' });
    // The instance's CPU from midnight (346 points), the database's hourly queries over their own 14 days (336).
    expect(metricQueryGroups(config, [runningInstance('i-1'), database], new Date('2024-06-15T10:30:00Z'))).toEqual([
      { periodSec: 3600, spanDays: 14, queries: 1, pointsPerQuery: 346 },
      { periodSec: 86400, spanDays: 14, queries: 2, pointsPerQuery: 15 },
      { periodSec: 3600, spanDays: 14, queries: 2, pointsPerQuery: 336 },
    ]);
  });

  it('adds the per-resource calls the listings demand', () => {
    expect(partitionMinimumCalls(partition())).toEqual({
      'ec2.DescribeInstances': 3,
      'ec2.DescribeAddresses': 1,
      'lambda.ListFunctions': 3,
      'lambda.ListTags': 120,
      'elbv2.DescribeTargetGroups': 1,
      'elbv2.DescribeLoadBalancers': 1,
      'elbv2.DescribeTargetHealth': 30,
      'elbv2.DescribeTags': 3,
      'cloudwatch.GetMetricData': 1,
    });
  });

  it('needs no Cost Explorer or STS call on a warm scan, and counts usage-type lookups as made', () => {
    const census: EstateCensus = {
      partitions: [partition()],
      costListings: [
        { operation: 'ce.GetCostAndUsage', items: 90, pages: 2, emptyPages: 0 },
        { operation: 'ce.GetCostForecast', items: 1, pages: 1, emptyPages: 0 },
      ],
      durationMs: 1,
    };
    const cold = minimumCalls(census, { accounts: 2, costsCached: false, credentialsCached: false, usageTypeLookups: 3 });
    expect(cold).toMatchObject({ 'ce.GetCostAndUsage': 5, 'ce.GetCostForecast': 1, 'sts.GetCallerIdentity': 1, 'sts.AssumeRole': 1 });
    const warm = minimumCalls(census, { accounts: 2, costsCached: true, credentialsCached: true });
    expect(Object.keys(warm).filter((op) => op.startsWith('ce.') || op.startsWith('sts.'))).toEqual([]);
  });
});

describe('lower bound', () => {
  const options = { config, latencyMs: { min: 50, max: 100 }, throttleRate: 0, costsCached: true, credentialsCached: true };

  it('charges AWS\'s bucket per attempt; the platform\'s own headroom is not part of the bound', () => {
    const lambda = effectiveBucket(config, '1', 'eu-west-1', 'lambda.ListTags');
    expect(lambda.name).toBe('lambda.control-plane');
    expect(bucketSeconds(15, lambda, 1)).toBe(0);
    expect(bucketSeconds(165, lambda, 1)).toBe(10);
    // A quarter more attempts against AWS's 15/s: (165 × 1.25 − 15) / 15.
    expect(bucketSeconds(165, lambda, 1.25)).toBeCloseTo(12.75, 6);
  });

  it('is set by the Lambda control plane when a partition has more functions than the bucket passes in its pages\' time', () => {
    const bound = partitionBound(partition(), '111111111111', options);
    // (3 ListFunctions + 120 ListTags − 15 burst) / 15 per s + one 75 ms call.
    expect(bound.totalSec).toBeCloseTo(108 / 15 + 0.075, 6);
    expect(bound.binding).toBe('lambda.control-plane: 123 calls at 15/s');
  });

  it('follows pages in sequence and starts metrics once the listings of metered kinds are done', () => {
    const small = partition({
      listings: [{ operation: 'ec2.DescribeInstances', items: 5000, pages: 5, emptyPages: 0 }],
      perResource: { lambdaFunctions: 0, elbv2LoadBalancers: 0, attachedTargetGroups: 0, classicLoadBalancers: 0, classicWithInstances: 0 },
      metricGroups: [{ periodSec: 3600, spanDays: 14, queries: 15_000, pointsPerQuery: 336 }],
    });
    const bound = partitionBound(small, '111111111111', { ...options, credentialsCached: false });
    // AssumeRole after GetCallerIdentity, 5 pages, then 50 GetMetricData calls (50 burst, one round of latency).
    expect(bound.idsKnownSec).toBeCloseTo(0.15 + 0.375, 6);
    expect(bound.totalSec).toBeCloseTo(0.15 + 0.375 + 0.075, 6);
    expect(bound.binding).toBe('listings, then 50 GetMetricData calls');
  });

  it('takes the slowest partition, and Cost Explorer only when the scan asks it', () => {
    const census: EstateCensus = {
      partitions: [partition(), partition({ accountId: '111111111111', perResource: { ...partition().perResource, lambdaFunctions: 10 } })],
      costListings: [{ operation: 'ce.GetCostAndUsage', items: 90, pages: 2, emptyPages: 0 }],
      durationMs: 1,
    };
    const bound = scanLowerBound(census, '111111111111', options);
    expect(bound.boundBy).toBe('222222222222/eu-west-1');
    expect(bound.costsSec).toBe(0);
    expect(scanLowerBound(census, '111111111111', { ...options, costsCached: false }).costsSec).toBeGreaterThan(0);
  });
});

describe('stage timings', () => {
  const t0 = 1_000_000;
  const job = (name: string, id: string, start: number, end: number, attemptsMade = 1): JobTiming => ({
    job: name,
    id: `scan-x.${name}.${id}`,
    partition: id.includes('.') ? id.split('.').slice(0, 2).join('/') : undefined,
    processedOn: t0 + start,
    finishedOn: t0 + end,
    attemptsMade,
  });

  it('walks the critical path back from the report through the child that finished last', () => {
    const timings = stageTimings(
      [
        job('discover', '1.eu-west-1.ec2-instance', 10, 400),
        job('discover', '1.eu-west-1.lambda-function', 10, 900),
        job('discover', '2.eu-west-1.ec2-instance', 10, 300),
        job('analyze', '1.eu-west-1', 1000, 3000, 2),
        job('analyze', '2.eu-west-1', 350, 800),
        job('costs', '', 10, 2000),
        job('optimize', '1.eu-west-1', 3100, 3200),
        job('optimize', '2.eu-west-1', 900, 950),
        job('report', '', 3300, 4000),
      ],
      t0,
    );
    expect(timings.wallSec).toBe(4);
    expect(timings.criticalPath.map((s) => `${s.stage} ${s.seconds}`)).toEqual([
      'queue 0.01',
      'discovery 0.89',
      'retries 0.1',
      'metrics 2',
      'queue 0.1',
      'tracking 0.1',
      'queue 0.1',
      'report 0.7',
    ]);
    expect(timings.slowestStage).toBe('metrics');
    expect(timings.stages.find((s) => s.stage === 'metrics')).toMatchObject({ jobs: 2, busySec: 2.45, retried: 1, longestJobSec: 2 });
  });

  it('goes from an optimize job through its partition\'s last check job to the analysis of that group\'s kinds', () => {
    const timings = stageTimings(
      [
        job('discover', '1.eu-west-1.ec2-instance', 10, 400),
        job('discover', '1.eu-west-1.ebs-volume', 10, 500),
        job('discover', '1.eu-west-1.lambda-function', 10, 2000),
        job('analyze', '1.eu-west-1.ec2-instance', 400, 2600),
        job('analyze', '1.eu-west-1.ebs-volume', 500, 900),
        job('analyze', '1.eu-west-1.lambda-function', 2000, 2200),
        job('check', '1.eu-west-1.ec2-instance+ebs-volume', 2700, 3000),
        // The lambda group's check ends last, although the EC2 group's analysis ended later than Lambda's.
        job('check', '1.eu-west-1.lambda-function', 2300, 3100),
        job('optimize', '1.eu-west-1', 3150, 3300),
        job('report', '', 3300, 4000),
      ],
      t0,
    );
    expect(timings.criticalPath.map((s) => `${s.stage} ${s.seconds} ${s.job?.replace('scan-x.', '')}`)).toEqual([
      'queue 0.01 discover.1.eu-west-1.lambda-function',
      'discovery 1.99 discover.1.eu-west-1.lambda-function',
      'queue 0 analyze.1.eu-west-1.lambda-function',
      'metrics 0.2 analyze.1.eu-west-1.lambda-function',
      'queue 0.1 check.1.eu-west-1.lambda-function',
      'checks 0.8 check.1.eu-west-1.lambda-function',
      'queue 0.05 optimize.1.eu-west-1',
      'tracking 0.15 optimize.1.eu-west-1',
      'queue 0 report.',
      'report 0.7 report.',
    ]);
    expect(timings.wallSec).toBe(4);
    expect(timings.stages.map((s) => s.stage)).toEqual(['discovery', 'metrics', 'checks', 'tracking', 'report']);
  });

  it('follows a discovery that outlasts the analysis it queued on its listing, and cuts one that did not at the analysis\'s start', () => {
    const flow = (lambdaAnalysisEnd: number) =>
      stageTimings(
        [
          job('discover', '1.eu-west-1.ec2-instance', 10, 400),
          job('analyze', '1.eu-west-1.ec2-instance', 400, 900),
          // Listed at 600: the analysis starts on the listing while ListTags go on until 2000.
          job('discover', '1.eu-west-1.lambda-function', 10, 2000),
          job('analyze', '1.eu-west-1.lambda-function', 650, lambdaAnalysisEnd),
          job('check', '1.eu-west-1.ec2-instance', 950, 1000),
          job('check', '1.eu-west-1.lambda-function', Math.max(2000, lambdaAnalysisEnd) + 100, Math.max(2000, lambdaAnalysisEnd) + 300),
          job('optimize', '1.eu-west-1', 3000, 3200),
          job('report', '', 3300, 4000),
        ],
        t0,
      ).criticalPath.map((s) => `${s.stage} ${s.seconds} ${s.job?.replace('scan-x.', '').split('.')[0]}`);
    expect(flow(1200)).toEqual([
      'queue 0.01 discover',
      'discovery 1.99 discover',
      'queue 0.1 check',
      'checks 0.2 check',
      'queue 0.7 optimize',
      'tracking 0.2 optimize',
      'queue 0.1 report',
      'report 0.7 report',
    ]);
    expect(flow(2500).slice(0, 4)).toEqual(['queue 0.01 discover', 'discovery 0.64 discover', 'queue 0 analyze', 'metrics 1.85 analyze']);
  });
});

describe('growth, memory figures and arguments', () => {
  it('reads a doubling of a doubled figure as linear', () => {
    expect(growthExponent(10_000, 100, 100_000, 1000)).toBeCloseTo(1, 6);
    expect(growthExponent(10_000, 100, 100_000, 100)).toBe(0);
    expect(growthExponent(10_000, 0, 100_000, 100)).toBeNaN();
  });

  it('judges discovery\'s growth on cases that stopped later, and the rest only on finished ones', () => {
    // Unfinished cases: discovery done, a worker died afterwards.
    const stopped = (size: number, discoverySec: number, discoveryMb: number) =>
      ({
        case: { name: `${size / 1000}k`, throttleRate: 0 },
        estate: { total: size },
        scans: [],
        error: 'worker analysis exited',
        workerPeakRssMbAtError: { discovery: discoveryMb, analysis: 4000 },
        unfinishedScan: { discovery: { wallSec: discoverySec } },
      }) as unknown as CaseResult;
    const verdicts = growthTargets([stopped(100_000, 60, 640), stopped(50_000, 25, 440), stopped(10_000, 5, 320)]);
    const byName = Object.fromEntries(verdicts.map((v) => [v.target, v]));
    expect(byName['wall time grows at most linearly']?.verdict).toBe('n/a');
    // 5 → 25 s over 10k → 50k is linear; 25 → 60 s over 50k → 100k is not (exponent 1.26).
    expect(byName['discovery time grows at most linearly']).toMatchObject({ verdict: 'miss', measured: '10k→50k: exponent 1.00, 50k→100k: exponent 1.26' });
    expect(byName['discovery worker peak RSS grows at most linearly']?.verdict).toBe('pass');
  });

  it('parses Redis INFO memory', () => {
    expect(parseRedisMemory('# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nused_memory_peak:2097152\r\n')).toEqual({
      usedBytes: 1_048_576,
      peakBytes: 2_097_152,
    });
  });

  it('runs the default suite without arguments, big cases last, and one case with them', () => {
    expect(parseBenchArgs([]).cases.map((c) => c.name)).toEqual(['10k', '50k', '100k', '100k-throttled']);
    const [one] = parseBenchArgs(['--size', '2000', '--regions', '3', '--latency', '20-40', '--throttle', '20%']).cases;
    expect(one).toMatchObject({ size: 2000, regions: ['us-east-1', 'eu-west-1', 'us-west-2'], latencyMs: { min: 20, max: 40 }, throttleRate: 0.2 });
    expect(parseLatency('75')).toEqual({ min: 75, max: 75 });
    expect(parseRegions('eu-west-1,us-east-2')).toEqual(['eu-west-1', 'us-east-2']);
    expect(() => parseBenchArgs(['--regions', '2'])).toThrow(/give its --size too/);
    expect(() => parseBenchArgs(['--size', '10', '--latency', '100-50'])).toThrow(/below its start/);
  });
});
