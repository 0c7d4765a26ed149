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
  /** Lambda: invocations in the hour, so every Lambda metric splits an hour the same way. */
  activity?: number;
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
  /** The hour starting at `hourIndex * 3600 s`, or undefined when the resource published nothing then. */
  hour(hourIndex: number): HourStats | undefined;
}

const TAU = 2 * Math.PI;

/** Per-resource constants (levels, amplitudes) and per-hour noise, each from its own salt. */
function constants(key: number): (k: number) => number {
  return (k) => unitAt(key, 0x7f000000 + k);
}
function noise(key: number, salt: string): (hourIndex: number, j: number) => number {
  const salted = (key ^ hashString(salt)) >>> 0;
  return (hourIndex, j) => unitAt(salted, hourIndex * 8 + j);
}

/** Does the hour overlap [from, until)? */
function activeIn(hourIndex: number, from: number, until: number | undefined): boolean {
  const start = hourIndex * HOUR_MS;
  return start + HOUR_MS > from && (until === undefined || start < until);
}

function diurnal(hourIndex: number, phase: number): number {
  return Math.sin((TAU * ((hourIndex % 24) - phase)) / 24);
}

function instanceCpu(instance: SimInstance): MetricSeries {
  const c = constants(instance.metricKey);
  const u = noise(instance.metricKey, 'cpu');
  const level = 30 + 25 * c(0);
  const amplitude = 5 + 10 * c(1);
  const phase = 24 * c(2);
  return {
    unit: 'Percent',
    kind: 'gauge',
    integer: false,
    sparse: false,
    splitKey: instance.metricKey,
    hour(h) {
      if (!activeIn(h, instance.launchTime, instance.stoppedAt)) return undefined;
      if (instance.profile === 'idle') {
        // 0.3–1.8% with a rare bump to 2.0–2.6%: p99 stays under 3% and the hourly peak under 3.2%.
        let avg = 0.3 + 1.5 * u(h, 0);
        if (u(h, 1) < 0.01) avg = 2.0 + 0.6 * u(h, 2);
        return { sum: avg * 12, count: 12, min: avg * (0.6 + 0.3 * u(h, 4)), max: Math.min(avg * (1.1 + 0.2 * u(h, 3)), 3.2) };
      }
      const avg = Math.min(98, Math.max(3, level + amplitude * diurnal(h, phase) + 12 * (u(h, 0) - 0.5)));
      return { sum: avg * 12, count: 12, min: avg * (0.5 + 0.3 * u(h, 2)), max: Math.min(100, avg * (1.15 + 0.5 * u(h, 1))) };
    },
  };
}

function instanceNetwork(instance: SimInstance, direction: 'in' | 'out'): MetricSeries {
  const c = constants(instance.metricKey);
  const u = noise(instance.metricKey, `net-${direction}`);
  const base = 20e6 * 30 ** c(3);
  const outRatio = 0.3 + 1.2 * c(4);
  const phase = 24 * c(2);
  return {
    unit: 'Bytes',
    kind: 'counter',
    integer: true,
    sparse: false,
    splitKey: instance.metricKey,
    hour(h) {
      if (!activeIn(h, instance.launchTime, instance.stoppedAt)) return undefined;
      let bytes: number;
      if (instance.profile === 'idle') {
        // In ≤ 18 KB and out ≤ 12 KB an hour: under 720 KB a day together.
        bytes = direction === 'in' ? 4000 + 14000 * u(h, 0) : 2000 + 10000 * u(h, 0);
      } else {
        // At least ~9.6 MB an hour in: well over 50 MB a day.
        const inBytes = base * (1 + 0.4 * diurnal(h, phase)) * (0.8 + 0.4 * u(h, 0));
        bytes = direction === 'in' ? inBytes : inBytes * outRatio * (0.9 + 0.2 * u(h, 1));
      }
      bytes = Math.round(bytes);
      const perSample = bytes / 12;
      return { sum: bytes, count: 12, min: perSample * 0.5, max: perSample * (1.5 + u(h, 2)) };
    },
  };
}

function volumeOps(volume: SimVolume, host: SimInstance | undefined, op: 'read' | 'write'): MetricSeries {
  const c = constants(volume.metricKey);
  const u = noise(volume.metricKey, `ops-${op}`);
  const rate = 500 * 200 ** c(op === 'read' ? 0 : 1);
  return {
    unit: 'Count',
    kind: 'counter',
    integer: true,
    sparse: false,
    splitKey: volume.metricKey,
    hour(h) {
      // EBS publishes only while a volume is attached to a running instance.
      if (!volume.attachment || !host || !activeIn(h, volume.attachment.attachTime, host.stoppedAt)) return undefined;
      // Even under an idle instance a volume sees a few hundred operations an hour (logs, agents): it is not unused.
      const ops = Math.round(host.profile === 'idle' ? 150 + 450 * u(h, 0) : rate * (0.5 + u(h, 0)));
      return { sum: ops, count: 12, min: (ops / 12) * 0.4, max: (ops / 12) * (1.5 + u(h, 1)) };
    },
  };
}

function dbCpu(db: SimDbInstance): MetricSeries {
  const c = constants(db.metricKey);
  const u = noise(db.metricKey, 'cpu');
  // Busy databases run at 30–65%: clear of the usual "underutilized RDS" thresholds (daily max CPU ≤ 25%).
  const level = 30 + 35 * c(0);
  const phase = 24 * c(1);
  return {
    unit: 'Percent',
    kind: 'gauge',
    integer: false,
    sparse: false,
    splitKey: db.metricKey,
    hour(h) {
      if (!activeIn(h, db.createTime, undefined)) return undefined;
      const avg = db.profile === 'idle' ? 1.5 + 2 * u(h, 0) : Math.min(95, Math.max(5, level + 8 * diurnal(h, phase) + 10 * (u(h, 0) - 0.5)));
      return { sum: avg * 60, count: 60, min: avg * 0.6, max: Math.min(100, avg * (1.3 + 0.4 * u(h, 1))) };
    },
  };
}

function dbConnections(db: SimDbInstance): MetricSeries {
  const c = constants(db.metricKey);
  const u = noise(db.metricKey, 'connections');
  const level = 3 + 100 * c(2);
  return {
    unit: 'Count',
    kind: 'gauge',
    integer: false,
    sparse: false,
    splitKey: db.metricKey,
    hour(h) {
      if (!activeIn(h, db.createTime, undefined)) return undefined;
      // RDS publishes connections every minute, zero included: an idle database shows a flat 0.
      if (db.profile === 'idle') return { sum: 0, count: 60, min: 0, max: 0 };
      const avg = level * (0.6 + 0.8 * u(h, 0));
      return { sum: avg * 60, count: 60, min: Math.max(1, Math.floor(avg * 0.5)), max: Math.ceil(avg * 1.5 + 1) };
    },
  };
}

/** Invocations of a function in an hour: the driver of all its metrics. */
function invocations(fn: SimFunction, h: number): number {
  if (fn.profile === 'unused' || !activeIn(h, fn.createdAt, undefined)) return 0;
  const c = constants(fn.metricKey);
  const u = noise(fn.metricKey, 'invocations');
  if (fn.profile === 'sparse') return u(h, 0) < 0.25 ? 1 + Math.floor(20 * u(h, 1)) : 0;
  const rate = 20 * 100 ** c(0);
  return Math.max(1, Math.round(rate * (1 + 0.5 * diurnal(h, 24 * c(3))) * (0.8 + 0.4 * u(h, 0))));
}

function lambdaSeries(fn: SimFunction, metric: 'Invocations' | 'Errors' | 'Duration'): MetricSeries {
  const c = constants(fn.metricKey);
  const u = noise(fn.metricKey, metric);
  const errorRate = 0.002 + 0.013 * c(1);
  const timeoutMs = fn.timeoutSec * 1000;
  const typicalMs = 20 + Math.min(timeoutMs * 0.3, 3000) * c(2) ** 2;
  return {
    unit: metric === 'Duration' ? 'Milliseconds' : 'Count',
    kind: metric === 'Duration' ? 'gauge' : 'counter',
    integer: metric !== 'Duration',
    sparse: true,
    splitKey: fn.metricKey,
    hour(h) {
      const calls = invocations(fn, h);
      if (calls === 0) return undefined;
      if (metric === 'Invocations') return { sum: calls, count: calls, min: 1, max: 1, activity: calls };
      if (metric === 'Errors') {
        const errors = Math.min(calls, Math.round(calls * errorRate * 2 * u(h, 0)));
        return { sum: errors, count: calls, min: 0, max: errors > 0 ? 1 : 0, activity: calls };
      }
      const avg = typicalMs * (0.8 + 0.4 * u(h, 0));
      return { sum: avg * calls, count: calls, min: avg * 0.3, max: Math.min(timeoutMs, avg * (1.5 + 1.5 * u(h, 1))), activity: calls };
    },
  };
}

/**
 * Bytes a NAT gateway sent one way in an hour. A busy gateway moves 20 MB to 2 GB an hour towards the internet and
 * about a third as much back; an idle one publishes zeros every minute.
 */
function natBytes(gateway: SimNatGateway, direction: 'destination' | 'source'): MetricSeries {
  const c = constants(gateway.metricKey);
  const u = noise(gateway.metricKey, `nat-${direction}`);
  const base = 20e6 * 100 ** c(0);
  const phase = 24 * c(1);
  return {
    unit: 'Bytes',
    kind: 'counter',
    integer: true,
    sparse: false,
    splitKey: gateway.metricKey,
    hour(h) {
      if (!activeIn(h, gateway.createTime, undefined)) return undefined;
      if (gateway.profile === 'idle') return { sum: 0, count: 60, min: 0, max: 0 };
      const out = base * (1 + 0.5 * diurnal(h, phase)) * (0.7 + 0.6 * u(h, 0));
      const bytes = Math.round(direction === 'destination' ? out : out * (0.2 + 0.3 * c(2)));
      return { sum: bytes, count: 60, min: (bytes / 60) * 0.3, max: (bytes / 60) * (1.5 + u(h, 1)) };
    },
  };
}

/**
 * Requests (ALB, classic) or new flows (NLB) of a load balancer in an hour: the driver of its metric, which ELB
 * publishes only for periods with traffic. Busy: ≥ 200 an hour. Quiet and target-less ones see a stray request
 * in some hours (health probes of a monitoring service, scanners): at most 72 a day.
 */
function loadBalancerTraffic(balancer: SimLoadBalancer): MetricSeries {
  const c = constants(balancer.metricKey);
  const u = noise(balancer.metricKey, 'traffic');
  const rate = 200 * 100 ** c(0);
  const phase = 24 * c(1);
  return {
    unit: 'Count',
    kind: 'counter',
    integer: true,
    sparse: true,
    splitKey: balancer.metricKey,
    hour(h) {
      if (!activeIn(h, balancer.createTime, undefined)) return undefined;
      const calls =
        balancer.profile === 'busy'
          ? Math.max(200, Math.round(rate * (1 + 0.5 * diurnal(h, phase)) * (0.8 + 0.4 * u(h, 0))))
          : u(h, 0) < (balancer.profile === 'quiet' ? 0.25 : 0.1)
            ? 1 + Math.floor(3 * u(h, 1))
            : 0;
      if (calls === 0) return undefined;
      return { sum: calls, count: calls, min: 1, max: 1, activity: calls };
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
