// CloudWatch series computed on demand: each hour of each metric is a pure function of (seed, resource, metric, hour).
import { HOUR_MS } from './clock.js';
import type { Partition, SimDbInstance, SimFunction, SimInstance, SimLoadBalancer, SimNatGateway, SimVolume } from './estate-types.js';
import { hashString, unitAt } from './prng.js';

/** One hour of one metric, as CloudWatch would aggregate its raw samples. */
export interface HourStats {
  sum: number;
  count: number;
  min: number;
  max: number;
  /** Lambda and load balancers: calls in the hour, so every metric of the resource splits an hour the same way. */
  activity: number | undefined;
}

/** A scratch HourStats for `MetricSeries.hour` to write into; one serves any number of hours. */
export function newHourStats(): HourStats {
  return { sum: 0, count: 0, min: 0, max: 0, activity: undefined };
}

export interface MetricSeries {
  unit: 'Percent' | 'Bytes' | 'Count' | 'Milliseconds';
  /** gauge: a level (CPU, connections, duration); counter: an amount per period (bytes, ops, invocations). */
  kind: 'gauge' | 'counter';
  /** Counts are whole numbers. */
  integer: boolean;
  /** Lambda publishes nothing for a period without invocations. */
  sparse: boolean;
  /** Shared by every metric of a resource: how an hour splits into shorter periods. */
  splitKey: number;
  /**
   * Writes the hour starting at `hourIndex * 3600 s` (an integer) into `out` and returns true, or returns false when
   * the resource published nothing then. Nothing is allocated per hour: a scan reads tens of millions of them.
   *
   * @example
   * const out = newHourStats();
   * if (series.hour(hourIndex, out)) total += out.sum;
   */
  hour(hourIndex: number, out: HourStats): boolean;
}

const TAU = 2 * Math.PI;

/** The hour's statistics, in one place so every series fills all five fields. */
function fill(out: HourStats, sum: number, count: number, min: number, max: number, activity: number | undefined): true {
  out.sum = sum;
  out.count = count;
  out.min = min;
  out.max = max;
  out.activity = activity;
  return true;
}

/** Per-resource constants (levels, amplitudes): the k-th of the resource keyed `key`. */
function constant(key: number, k: number): number {
  return unitAt(key, 0x7f000000 + k);
}

/** Salts of the per-hour noise streams, hashed once per process rather than once per series or hour. */
const SALTS = new Map<string, number>();
/** The key of a per-hour noise stream; its j-th value in an hour is `unitAt(key, hourIndex * 8 + j)`. */
function noiseKey(key: number, salt: string): number {
  let hashed = SALTS.get(salt);
  if (hashed === undefined) {
    hashed = hashString(salt);
    SALTS.set(salt, hashed);
  }
  return (key ^ hashed) >>> 0;
}

/** Does the hour overlap [from, until)? */
function activeIn(hourIndex: number, from: number, until: number | undefined): boolean {
  const start = hourIndex * HOUR_MS;
  return start + HOUR_MS > from && (until === undefined || start < until);
}

function diurnal(hourIndex: number, phase: number): number {
  return Math.sin((TAU * ((hourIndex % 24) - phase)) / 24);
}

/**
 * `diurnal(h, phase)` for a fixed phase: the 24 values of a day computed once per series instead of a sine per hour
 * (the same expression, so the same bits).
 */
function diurnalCycle(phase: number): (hourIndex: number) => number {
  const day = new Float64Array(24);
  for (let m = 0; m < 24; m++) day[m] = diurnal(m, phase);
  // Before 1970 (a negative remainder) the table has no entry: compute it.
  return (hourIndex) => {
    const m = hourIndex % 24;
    return m >= 0 ? day[m] : diurnal(hourIndex, phase);
  };
}

function instanceCpu(instance: SimInstance): MetricSeries {
  const key = instance.metricKey;
  const u = noiseKey(key, 'cpu');
  const { launchTime, stoppedAt } = instance;
  const base = { unit: 'Percent', kind: 'gauge', integer: false, sparse: false, splitKey: key } as const;
  if (instance.profile === 'idle') {
    return {
      ...base,
      hour(h, out) {
        if (!activeIn(h, launchTime, stoppedAt)) return false;
        // 0.3–1.8% with a rare bump to 2.0–2.6%: p99 stays under 3% and the hourly peak under 3.2%.
        const at = h * 8;
        let avg = 0.3 + 1.5 * unitAt(u, at);
        if (unitAt(u, at + 1) < 0.01) avg = 2.0 + 0.6 * unitAt(u, at + 2);
        return fill(out, avg * 12, 12, avg * (0.6 + 0.3 * unitAt(u, at + 4)), Math.min(avg * (1.1 + 0.2 * unitAt(u, at + 3)), 3.2), undefined);
      },
    };
  }
  const level = 30 + 25 * constant(key, 0);
  const amplitude = 5 + 10 * constant(key, 1);
  const cycle = diurnalCycle(24 * constant(key, 2));
  return {
    ...base,
    hour(h, out) {
      if (!activeIn(h, launchTime, stoppedAt)) return false;
      const at = h * 8;
      const avg = Math.min(98, Math.max(3, level + amplitude * cycle(h) + 12 * (unitAt(u, at) - 0.5)));
      return fill(out, avg * 12, 12, avg * (0.5 + 0.3 * unitAt(u, at + 2)), Math.min(100, avg * (1.15 + 0.5 * unitAt(u, at + 1))), undefined);
    },
  };
}

function instanceNetwork(instance: SimInstance, direction: 'in' | 'out'): MetricSeries {
  const key = instance.metricKey;
  const u = noiseKey(key, `net-${direction}`);
  const { launchTime, stoppedAt } = instance;
  const idle = instance.profile === 'idle';
  const base = 20e6 * 30 ** constant(key, 3);
  const outRatio = 0.3 + 1.2 * constant(key, 4);
  const cycle = idle ? undefined : diurnalCycle(24 * constant(key, 2));
  return {
    unit: 'Bytes',
    kind: 'counter',
    integer: true,
    sparse: false,
    splitKey: key,
    hour(h, out) {
      if (!activeIn(h, launchTime, stoppedAt)) return false;
      const at = h * 8;
      let bytes: number;
      if (!cycle) {
        // In ≤ 18 KB and out ≤ 12 KB an hour: under 720 KB a day together.
        bytes = direction === 'in' ? 4000 + 14000 * unitAt(u, at) : 2000 + 10000 * unitAt(u, at);
      } else {
        // At least ~9.6 MB an hour in: well over 50 MB a day.
        const inBytes = base * (1 + 0.4 * cycle(h)) * (0.8 + 0.4 * unitAt(u, at));
        bytes = direction === 'in' ? inBytes : inBytes * outRatio * (0.9 + 0.2 * unitAt(u, at + 1));
      }
      bytes = Math.round(bytes);
      const perSample = bytes / 12;
      return fill(out, bytes, 12, perSample * 0.5, perSample * (1.5 + unitAt(u, at + 2)), undefined);
    },
  };
}

function volumeOps(volume: SimVolume, host: SimInstance | undefined, op: 'read' | 'write'): MetricSeries {
  const key = volume.metricKey;
  const u = noiseKey(key, `ops-${op}`);
  const rate = 500 * 200 ** constant(key, op === 'read' ? 0 : 1);
  // EBS publishes only while a volume is attached to a running instance.
  const attachTime = volume.attachment && host ? volume.attachment.attachTime : undefined;
  const stoppedAt = host?.stoppedAt;
  const idleHost = host?.profile === 'idle';
  return {
    unit: 'Count',
    kind: 'counter',
    integer: true,
    sparse: false,
    splitKey: key,
    hour(h, out) {
      if (attachTime === undefined || !activeIn(h, attachTime, stoppedAt)) return false;
      const at = h * 8;
      // Even under an idle instance a volume sees a few hundred operations an hour (logs, agents): it is not unused.
      const ops = Math.round(idleHost ? 150 + 450 * unitAt(u, at) : rate * (0.5 + unitAt(u, at)));
      return fill(out, ops, 12, (ops / 12) * 0.4, (ops / 12) * (1.5 + unitAt(u, at + 1)), undefined);
    },
  };
}

function dbCpu(db: SimDbInstance): MetricSeries {
  const key = db.metricKey;
  const u = noiseKey(key, 'cpu');
  const { createTime } = db;
  const idle = db.profile === 'idle';
  // Busy databases run at 30–65%: clear of the usual "underutilized RDS" thresholds (daily max CPU ≤ 25%).
  const level = 30 + 35 * constant(key, 0);
  const cycle = idle ? undefined : diurnalCycle(24 * constant(key, 1));
  return {
    unit: 'Percent',
    kind: 'gauge',
    integer: false,
    sparse: false,
    splitKey: key,
    hour(h, out) {
      if (!activeIn(h, createTime, undefined)) return false;
      const at = h * 8;
      const avg = !cycle ? 1.5 + 2 * unitAt(u, at) : Math.min(95, Math.max(5, level + 8 * cycle(h) + 10 * (unitAt(u, at) - 0.5)));
      return fill(out, avg * 60, 60, avg * 0.6, Math.min(100, avg * (1.3 + 0.4 * unitAt(u, at + 1))), undefined);
    },
  };
}

function dbConnections(db: SimDbInstance): MetricSeries {
  const key = db.metricKey;
  const u = noiseKey(key, 'connections');
  const { createTime } = db;
  const idle = db.profile === 'idle';
  const level = 3 + 100 * constant(key, 2);
  return {
    unit: 'Count',
    kind: 'gauge',
    integer: false,
    sparse: false,
    splitKey: key,
    hour(h, out) {
      if (!activeIn(h, createTime, undefined)) return false;
      // RDS publishes connections every minute, zero included: an idle database shows a flat 0.
      if (idle) return fill(out, 0, 60, 0, 0, undefined);
      const avg = level * (0.6 + 0.8 * unitAt(u, h * 8));
      return fill(out, avg * 60, 60, Math.max(1, Math.floor(avg * 0.5)), Math.ceil(avg * 1.5 + 1), undefined);
    },
  };
}

/** Invocations of a function per hour: the driver of all its metrics. */
function invocations(fn: SimFunction): (hourIndex: number) => number {
  const { createdAt } = fn;
  if (fn.profile === 'unused') return () => 0;
  const key = fn.metricKey;
  const u = noiseKey(key, 'invocations');
  if (fn.profile === 'sparse') {
    return (h) => {
      if (!activeIn(h, createdAt, undefined)) return 0;
      return unitAt(u, h * 8) < 0.25 ? 1 + Math.floor(20 * unitAt(u, h * 8 + 1)) : 0;
    };
  }
  const rate = 20 * 100 ** constant(key, 0);
  const cycle = diurnalCycle(24 * constant(key, 3));
  return (h) => {
    if (!activeIn(h, createdAt, undefined)) return 0;
    return Math.max(1, Math.round(rate * (1 + 0.5 * cycle(h)) * (0.8 + 0.4 * unitAt(u, h * 8))));
  };
}

function lambdaSeries(fn: SimFunction, metric: 'Invocations' | 'Errors' | 'Duration'): MetricSeries {
  const key = fn.metricKey;
  const u = noiseKey(key, metric);
  const callsIn = invocations(fn);
  const errorRate = 0.002 + 0.013 * constant(key, 1);
  const timeoutMs = fn.timeoutSec * 1000;
  const typicalMs = 20 + Math.min(timeoutMs * 0.3, 3000) * constant(key, 2) ** 2;
  const base = { unit: metric === 'Duration' ? 'Milliseconds' : 'Count', kind: metric === 'Duration' ? 'gauge' : 'counter', integer: metric !== 'Duration', sparse: true, splitKey: key } as const;
  if (metric === 'Invocations') {
    return {
      ...base,
      hour(h, out) {
        const calls = callsIn(h);
        return calls !== 0 && fill(out, calls, calls, 1, 1, calls);
      },
    };
  }
  if (metric === 'Errors') {
    return {
      ...base,
      hour(h, out) {
        const calls = callsIn(h);
        if (calls === 0) return false;
        const errors = Math.min(calls, Math.round(calls * errorRate * 2 * unitAt(u, h * 8)));
        return fill(out, errors, calls, 0, errors > 0 ? 1 : 0, calls);
      },
    };
  }
  return {
    ...base,
    hour(h, out) {
      const calls = callsIn(h);
      if (calls === 0) return false;
      const at = h * 8;
      const avg = typicalMs * (0.8 + 0.4 * unitAt(u, at));
      return fill(out, avg * calls, calls, avg * 0.3, Math.min(timeoutMs, avg * (1.5 + 1.5 * unitAt(u, at + 1))), calls);
    },
  };
}

/**
 * Bytes a NAT gateway sent one way in an hour. A busy gateway moves 20 MB to 2 GB an hour towards the internet and
 * about a third as much back; an idle one publishes zeros every minute.
 */
function natBytes(gateway: SimNatGateway, direction: 'destination' | 'source'): MetricSeries {
  const key = gateway.metricKey;
  const u = noiseKey(key, `nat-${direction}`);
  const { createTime } = gateway;
  const idle = gateway.profile === 'idle';
  const base = 20e6 * 100 ** constant(key, 0);
  const cycle = idle ? undefined : diurnalCycle(24 * constant(key, 1));
  const backRatio = 0.2 + 0.3 * constant(key, 2);
  return {
    unit: 'Bytes',
    kind: 'counter',
    integer: true,
    sparse: false,
    splitKey: key,
    hour(h, out) {
      if (!activeIn(h, createTime, undefined)) return false;
      if (!cycle) return fill(out, 0, 60, 0, 0, undefined);
      const at = h * 8;
      const sent = base * (1 + 0.5 * cycle(h)) * (0.7 + 0.6 * unitAt(u, at));
      const bytes = Math.round(direction === 'destination' ? sent : sent * backRatio);
      return fill(out, bytes, 60, (bytes / 60) * 0.3, (bytes / 60) * (1.5 + unitAt(u, at + 1)), undefined);
    },
  };
}

/**
 * Requests (ALB, classic) or new flows (NLB) of a load balancer in an hour: the driver of its metric, which ELB
 * publishes only for periods with traffic. Busy: ≥ 200 an hour. Quiet and target-less ones see a stray request
 * in some hours (health probes of a monitoring service, scanners): at most 72 a day.
 */
function loadBalancerTraffic(balancer: SimLoadBalancer): MetricSeries {
  const key = balancer.metricKey;
  const u = noiseKey(key, 'traffic');
  const { createTime, profile } = balancer;
  const rate = 200 * 100 ** constant(key, 0);
  const cycle = profile === 'busy' ? diurnalCycle(24 * constant(key, 1)) : undefined;
  const strayChance = profile === 'quiet' ? 0.25 : 0.1;
  return {
    unit: 'Count',
    kind: 'counter',
    integer: true,
    sparse: true,
    splitKey: key,
    hour(h, out) {
      if (!activeIn(h, createTime, undefined)) return false;
      const at = h * 8;
      const calls = cycle
        ? Math.max(200, Math.round(rate * (1 + 0.5 * cycle(h)) * (0.8 + 0.4 * unitAt(u, at))))
        : unitAt(u, at) < strayChance
          ? 1 + Math.floor(3 * unitAt(u, at + 1))
          : 0;
      return calls !== 0 && fill(out, calls, calls, 1, 1, calls);
    },
  };
}

/** Namespace and dimension of each load balancer type's traffic metric. */
const LOAD_BALANCER_METRICS: Record<string, { type: SimLoadBalancer['type']; metricName: string }> = {
  'AWS/ApplicationELB|LoadBalancer': { type: 'application', metricName: 'RequestCount' },
  'AWS/NetworkELB|LoadBalancer': { type: 'network', metricName: 'NewFlowCount' },
  'AWS/ELB|LoadBalancerName': { type: 'classic', metricName: 'RequestCount' },
};

/**
 * The series of a metric, or undefined when CloudWatch holds no such metric (unknown namespace, name, dimension
 * set or resource): GetMetricData then answers an empty result, as AWS does.
 */
export function findSeries(partition: Partition, namespace: string, metricName: string, dimensions: { Name: string; Value: string }[]): MetricSeries | undefined {
  if (dimensions.length !== 1) return undefined;
  const [{ Name: dimension, Value: value }] = dimensions;
  switch (`${namespace}|${dimension}`) {
    case 'AWS/EC2|InstanceId': {
      const instance = partition.instanceById.get(value);
      if (!instance) return undefined;
      if (metricName === 'CPUUtilization') return instanceCpu(instance);
      if (metricName === 'NetworkIn') return instanceNetwork(instance, 'in');
      if (metricName === 'NetworkOut') return instanceNetwork(instance, 'out');
      return undefined;
    }
    case 'AWS/EBS|VolumeId': {
      const volume = partition.volumeById.get(value);
      if (!volume) return undefined;
      const host = volume.attachment ? partition.instanceById.get(volume.attachment.instanceId) : undefined;
      if (metricName === 'VolumeReadOps') return volumeOps(volume, host, 'read');
      if (metricName === 'VolumeWriteOps') return volumeOps(volume, host, 'write');
      return undefined;
    }
    case 'AWS/RDS|DBInstanceIdentifier': {
      const db = partition.dbInstanceById.get(value);
      if (!db) return undefined;
      if (metricName === 'CPUUtilization') return dbCpu(db);
      if (metricName === 'DatabaseConnections') return dbConnections(db);
      return undefined;
    }
    case 'AWS/Lambda|FunctionName': {
      const fn = partition.functionByName.get(value);
      if (!fn) return undefined;
      if (metricName === 'Invocations' || metricName === 'Errors' || metricName === 'Duration') return lambdaSeries(fn, metricName);
      return undefined;
    }
    case 'AWS/NATGateway|NatGatewayId': {
      const gateway = partition.natGatewayById.get(value);
      if (!gateway) return undefined;
      if (metricName === 'BytesOutToDestination') return natBytes(gateway, 'destination');
      if (metricName === 'BytesOutToSource') return natBytes(gateway, 'source');
      return undefined;
    }
    case 'AWS/ApplicationELB|LoadBalancer':
    case 'AWS/NetworkELB|LoadBalancer':
    case 'AWS/ELB|LoadBalancerName': {
      const expected = LOAD_BALANCER_METRICS[`${namespace}|${dimension}`];
      const balancer = partition.loadBalancerByDimension.get(value);
      if (!balancer || balancer.type !== expected.type || metricName !== expected.metricName) return undefined;
      return loadBalancerTraffic(balancer);
    }
    default:
      return undefined;
  }
}
