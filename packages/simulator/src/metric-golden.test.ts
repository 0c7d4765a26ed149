// Pins every datapoint GetMetricData serves for a fixed partition and clock: a faster series must stay bit-identical.
import { createHash, type Hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CallContext, EstateView } from './call-context.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './clock.js';
import { generatePartition } from './generate-partition.js';
import { classifyPartition } from './ground-truth.js';
import { cloudwatchOperations } from './services/cloudwatch.js';
import { MANAGEMENT } from './test-support.js';

/** A fixed day, so the digest does not move with the calendar. */
const EPOCH_MS = Date.UTC(2025, 2, 10);
/** Mid-hour: the hour in progress is incomplete and must not be served. */
const NOW_MS = EPOCH_MS + 13 * HOUR_MS + 27 * MINUTE_MS;
const REGION = 'eu-west-1';

/**
 * sha256 of every datapoint (timestamps and the IEEE-754 bits of each value), ids, status codes and tokens, computed
 * from the simulator before its metric generation was optimized. Any change to a generated value changes it.
 */
const GOLDEN_DIGEST = '0b5ff8157b6304256c610e2b8a153781deddbb9d5e58be475e5d0023c99e9272';

const partition = generatePartition({ seed: 42, accountId: MANAGEMENT, region: REGION, resourcesPerRegion: 240, epochMs: EPOCH_MS });
const estate: EstateView = { seed: 42, accounts: [MANAGEMENT], regions: [REGION], resourcesPerRegion: 240, epochMs: EPOCH_MS, partition: () => partition };

interface MetricRef {
  namespace: string;
  metricName: string;
  dimension: string;
  value: string;
}

/** Every metric the simulator publishes for the partition, plus two it does not (empty answers). */
function allMetrics(): MetricRef[] {
  const refs: MetricRef[] = [];
  const add = (namespace: string, dimension: string, value: string, names: string[]) => {
    for (const metricName of names) refs.push({ namespace, metricName, dimension, value });
  };
  for (const i of partition.instances) add('AWS/EC2', 'InstanceId', i.id, ['CPUUtilization', 'NetworkIn', 'NetworkOut']);
  for (const v of partition.volumes) add('AWS/EBS', 'VolumeId', v.id, ['VolumeReadOps', 'VolumeWriteOps']);
  for (const d of partition.dbInstances) add('AWS/RDS', 'DBInstanceIdentifier', d.id, ['CPUUtilization', 'DatabaseConnections']);
  for (const f of partition.functions) add('AWS/Lambda', 'FunctionName', f.name, ['Invocations', 'Errors', 'Duration']);
  for (const n of partition.natGateways) add('AWS/NATGateway', 'NatGatewayId', n.id, ['BytesOutToDestination', 'BytesOutToSource']);
  for (const b of partition.loadBalancers) {
    if (b.type === 'application') add('AWS/ApplicationELB', 'LoadBalancer', b.dimension, ['RequestCount']);
    if (b.type === 'network') add('AWS/NetworkELB', 'LoadBalancer', b.dimension, ['NewFlowCount']);
    if (b.type === 'classic') add('AWS/ELB', 'LoadBalancerName', b.dimension, ['RequestCount']);
  }
  add('AWS/EC2', 'InstanceId', 'i-0000000000000000a', ['CPUUtilization']);
  add('AWS/EC2', 'InstanceId', partition.instances[0].id, ['DiskReadOps']);
  return refs;
}

async function getMetricData(input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const call: CallContext = { service: 'cloudwatch', operation: 'GetMetricData', accountId: MANAGEMENT, region: REGION, input, requestId: 'golden', nowMs: NOW_MS, estate };
  return (await cloudwatchOperations.GetMetricData(call)) as Record<string, unknown>;
}

function digestAnswer(hash: Hash, answer: Record<string, unknown>): number {
  let points = 0;
  for (const result of answer.MetricDataResults as { Id: string; Label: string; StatusCode: string; Timestamps: Date[]; Values: number[] }[]) {
    hash.update(`${result.Id}|${result.Label}|${result.StatusCode}|${result.Timestamps.length}|${result.Values.length}\n`);
    // Timestamps then values, as raw float64 bits: the exact numbers, not their decimal printing.
    const bits = new Float64Array(result.Timestamps.length + result.Values.length);
    result.Timestamps.forEach((time, i) => (bits[i] = time.getTime()));
    bits.set(result.Values, result.Timestamps.length);
    hash.update(new Uint8Array(bits.buffer));
    points += result.Values.length;
  }
  hash.update(`next:${String(answer.NextToken)}\n`);
  return points;
}

/** Every query shape the simulator serves differently: hourly, daily, sub-hour periods, each statistic, both orders, paging. */
const SHAPES: { period: number; stats: string[]; days: number; startOffsetMs?: number; scanBy?: string; maxDatapoints?: number; metrics?: number }[] = [
  { period: 3600, stats: ['Average', 'Sum', 'Maximum', 'Minimum', 'SampleCount', 'p99', 'p50', 'p5'], days: 14, scanBy: 'TimestampAscending' },
  { period: 3600, stats: ['Average'], days: 3, startOffsetMs: 17 * MINUTE_MS },
  { period: 86400, stats: ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount', 'p90'], days: 60, scanBy: 'TimestampAscending' },
  { period: 21600, stats: ['Sum', 'Average'], days: 5, startOffsetMs: 5 * HOUR_MS + 3 * MINUTE_MS },
  { period: 300, stats: ['Average', 'Sum', 'Maximum', 'Minimum', 'SampleCount', 'p95'], days: 1 },
  { period: 60, stats: ['Sum', 'Average'], days: 0.25, startOffsetMs: 7 * MINUTE_MS },
  // Every page recomputes its request: a few metrics keep the pages cheap.
  { period: 3600, stats: ['Sum', 'Average'], days: 20, maxDatapoints: 997, metrics: 60 },
];

describe('metric determinism', () => {
  it('serves bit-identical datapoints for a fixed partition and clock', async () => {
    const every = allMetrics();
    const hash = createHash('sha256');
    let points = 0;
    for (const shape of SHAPES) {
      const metrics = every.slice(0, shape.metrics ?? every.length);
      const end = Math.floor(NOW_MS / HOUR_MS) * HOUR_MS + HOUR_MS;
      const start = end - shape.days * DAY_MS + (shape.startOffsetMs ?? 0);
      for (const stat of shape.stats) {
        for (let from = 0; from < metrics.length; from += 500) {
          const queries = metrics.slice(from, from + 500).map((m, n) => ({
            Id: `q${from + n}`,
            MetricStat: { Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: [{ Name: m.dimension, Value: m.value }] }, Period: shape.period, Stat: stat },
          }));
          let token: string | undefined;
          do {
            const answer = await getMetricData({
              StartTime: new Date(start),
              EndTime: new Date(end),
              MetricDataQueries: queries,
              ...(shape.scanBy ? { ScanBy: shape.scanBy } : {}),
              ...(shape.maxDatapoints ? { MaxDatapoints: shape.maxDatapoints } : {}),
              ...(token ? { NextToken: token } : {}),
            });
            points += digestAnswer(hash, answer);
            token = answer.NextToken as string | undefined;
          } while (token);
        }
      }
    }
    // Ground truth reads the same series (Lambda invocations).
    hash.update(JSON.stringify(classifyPartition(partition, EPOCH_MS)));
    expect(points).toBeGreaterThan(1_000_000);
    expect(hash.digest('hex')).toBe(GOLDEN_DIGEST);
  });
});
