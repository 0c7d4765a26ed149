// GET /api/status: what an operator checks first when a scan looks wrong, in one document.
import { resolve } from 'node:path';
import type { Config } from '@finops/core';
import type { QueueSet, ScanStore } from '@finops/queues';
import type { Redis } from 'ioredis';
import { readAwsCallStatus, type AwsPartitionStatus } from './aws-call-status.js';
import { readChannelHealth, type ChannelDelivery } from './channel-health.js';

export interface QueueStatus {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  paused: boolean;
}

export interface OperatorStatus {
  generatedAt: string;
  /** Per account and region: the last successful and failed AWS call and whether throttling is ongoing. */
  aws: AwsPartitionStatus[];
  queues: QueueStatus[];
  latestScan?: { scanId: string; status: string; startedAt: string; finishedAt?: string; trigger: string };
  /** Where reports go, the last one written, and the reporter's last failure. */
  sink: {
    type: 'files';
    outputDir: string;
    lastReport?: { scanId: string; at: string; reportDir: string };
    lastFailure?: { jobId: string; at: string; reason: string };
  };
  notifications: {
    enabled: boolean;
    channels: { id: string; type: string; events: string[]; healthy: boolean | null; lastSuccess?: ChannelDelivery; lastFailure?: ChannelDelivery }[];
  };
  /** One line per problem found above, most urgent first; empty when all is well. */
  problems: string[];
}

export interface OperatorStatusDeps {
  config: Config;
  redis: Redis;
  queues: QueueSet;
  store: ScanStore;
  now?: () => Date;
}

export async function getOperatorStatus(deps: OperatorStatusDeps): Promise<OperatorStatus> {
  const { config, redis, queues, store } = deps;
  const now = deps.now?.() ?? new Date();
  const prefix = config.redis.prefix;
  const [aws, channelHealth, scans] = await Promise.all([
    readAwsCallStatus(redis, prefix, now),
    readChannelHealth(redis, prefix),
    store.listScans(20),
  ]);
  const queueStatus = await Promise.all(
    queues.all().map(async (queue): Promise<QueueStatus> => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      return { name: queue.name, waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0, paused: await queue.isPaused() };
    }),
  );
  const latest = scans[0];
  const lastDone = scans.find((s) => s.status === 'completed' && s.reportDir);
  const [lastReporterFailure] = await queues.forRole('reporter').getFailed(0, 0);

  const channels = config.notifications.channels.map((channel) => {
    const health = channelHealth.get(channel.id) ?? {};
    const lastOk = health.lastSuccess ? Date.parse(health.lastSuccess.at) : -1;
    const lastBad = health.lastFailure ? Date.parse(health.lastFailure.at) : -1;
    // null: nothing sent yet, so nothing is known.
    const healthy = lastOk < 0 && lastBad < 0 ? null : lastOk > lastBad;
    return { id: channel.id, type: channel.type, events: channel.events, healthy, ...health };
  });

  const problems: string[] = [];
  for (const p of aws) {
    if (p.lastFailure && (!p.lastSuccess || p.lastFailure.at > p.lastSuccess.at)) {
      problems.push(`AWS ${p.accountId} ${p.region}: last call failed (${p.lastFailure.operation}: ${p.lastFailure.code ?? 'error'})`);
    }
    if (p.throttlingOpen) problems.push(`AWS ${p.accountId} ${p.region}: throttled at ${p.lastThrottle?.at} (${p.lastThrottle?.operation})`);
  }
  for (const q of queueStatus) {
    if (q.failed) problems.push(`queue ${q.name}: ${q.failed} failed job(s) wait for a retry in Bull Board`);
    if (q.paused) problems.push(`queue ${q.name} is paused`);
  }
  for (const c of channels) if (c.healthy === false) problems.push(`notification channel ${c.id}: last delivery failed (${c.lastFailure?.error ?? 'error'})`);

  return {
    generatedAt: now.toISOString(),
    aws,
    queues: queueStatus,
    latestScan: latest && {
      scanId: latest.plan.scanId,
      status: latest.status,
      startedAt: latest.plan.startedAt,
      finishedAt: latest.finishedAt,
      trigger: latest.plan.trigger,
    },
    sink: {
      type: 'files',
      outputDir: resolve(config.reporting.outputDir),
      lastReport: lastDone && { scanId: lastDone.plan.scanId, at: lastDone.finishedAt ?? '', reportDir: lastDone.reportDir! },
      lastFailure: lastReporterFailure && {
        jobId: lastReporterFailure.id ?? '',
        at: new Date(lastReporterFailure.finishedOn ?? lastReporterFailure.timestamp).toISOString(),
        reason: lastReporterFailure.failedReason,
      },
    },
    notifications: { enabled: config.notifications.enabled, channels },
    problems,
  };
}
