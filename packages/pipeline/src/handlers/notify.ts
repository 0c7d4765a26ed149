// Notifications: enqueueing one job per subscribed channel, the job that sends it, and the events the pipeline raises
// itself (new high-savings recommendations, a stalled scan, the weekly summary).
import { createSnsPublisher } from '@finops/aws';
import type { Logger, Recommendation } from '@finops/core';
import {
  ChannelRateLimiter,
  ChannelStatusStore,
  DeliveryError,
  DeliveryLedger,
  createChannelSender,
  highSavingsNotification,
  notificationSchema,
  scanFailureNotification,
  sendNotification,
  weeklySummaryNotification,
  type ChannelSender,
  type NotificationChannel,
  type NotificationInput,
} from '@finops/notifications';
import { jobId, jobQueueName, type HandlerContext, type JobPayload } from '@finops/queues';
import { diffReports, type Report } from '@finops/reports';
import { DelayedError, UnrecoverableError, type Job, type Worker } from 'bullmq';
import { completedScans, listedBefore, readReportFile } from '../report-history.js';
import type { PipelineDeps } from './shared.js';

/** Retention of jobs outside the scan flows: completed and failed both trimmed by age and count. */
export function standaloneRetention(config: PipelineDeps['config']) {
  const r = config.workers.retention;
  return { removeOnComplete: { age: r.completedAgeSec, count: r.completedCount }, removeOnFail: { age: r.failedAgeSec, count: r.failedCount } };
}

/**
 * Queues a notification for every channel subscribed to its event; nothing when notifications are disabled. The job
 * id is derived from (channel, dedupKey), so enqueueing the same notification twice (a retried producer, a second
 * replica) adds one job. Returns the channels it was queued for.
 *
 * @example await enqueueNotification(deps, { event: 'critical-anomaly', dedupKey: `critical-anomaly:${a.id}`, title, text, occurredAt })
 */
export async function enqueueNotification(deps: Pick<PipelineDeps, 'config' | 'queues'>, input: NotificationInput): Promise<string[]> {
  const notification = notificationSchema.parse(input);
  const settings = deps.config.notifications;
  if (!settings.enabled) return [];
  const channels = settings.channels.filter((c) => c.events.includes(notification.event));
  if (!channels.length) return [];
  await deps.queues.get(jobQueueName('notify')).addBulk(
    channels.map((channel) => {
      const data: JobPayload<'notify'> = { channelId: channel.id, notification };
      return {
        name: 'notify',
        data,
        opts: {
          jobId: jobId.notify(data),
          attempts: settings.attempts,
          backoff: { type: 'exponential', delay: settings.backoffMs },
          ...standaloneRetention(deps.config),
        },
      };
    }),
  );
  return channels.map((c) => c.id);
}

/** Senders are kept per channel and rebuilt when the channel's settings change (a config reload). */
function senderCache(deps: PipelineDeps) {
  const senders = new Map<string, { settings: string; sender: ChannelSender }>();
  let sns: ReturnType<typeof createSnsPublisher> | undefined;
  return (channel: NotificationChannel): ChannelSender => {
    const { notifications, aws } = deps.config;
    const settings = JSON.stringify([channel, notifications.timeoutMs, notifications.smtp]);
    const cached = senders.get(channel.id);
    if (cached?.settings === settings) return cached.sender;
    cached?.sender.close();
    if (channel.type === 'sns') sns ??= createSnsPublisher(aws);
    const sender = createChannelSender(channel, {
      timeoutMs: notifications.timeoutMs,
      smtp: notifications.smtp,
      publishSns: sns && ((input) => sns!.publish(input)),
      now: deps.now,
    });
    senders.set(channel.id, { settings, sender });
    return sender;
  };
}

/** Moves the job back to delayed without using an attempt; BullMQ needs DelayedError thrown afterwards. */
async function deferJob(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}

/**
 * The notify job: sends one notification to one channel (see sendNotification for the guarantee). A rate-limited
 * or concurrently-sent notification goes back to delayed without using an attempt. A 5xx, 429 or network failure is
 * retried with backoff (a 429's Retry-After also holds the whole channel); a 4xx other than 429 fails the job at once
 * (UnrecoverableError). Both, when final, are recorded in the channel's status and logged as errors.
 */
export function notifyHandler(deps: PipelineDeps) {
  const senderFor = senderCache(deps);
  return async ({ channelId, notification }: JobPayload<'notify'>, { job, logger, token }: HandlerContext) => {
    const { notifications, redis: { prefix } } = deps.config;
    const channel = notifications.channels.find((c) => c.id === channelId);
    if (!channel) {
      throw new UnrecoverableError(`notification channel "${channelId}" is not in notifications.channels any more: add it back and retry the job, or leave it failed`);
    }
    const limiter = new ChannelRateLimiter(deps.redis, prefix);
    const status = new ChannelStatusStore(deps.redis, prefix);
    const context = { channelId, event: notification.event, dedupKey: notification.dedupKey };
    try {
      const outcome = await sendNotification(notification, {
        sender: senderFor(channel),
        ledger: new DeliveryLedger(deps.redis, { prefix, ttlSeconds: notifications.dedupDays * 86_400 }),
        limiter,
        lockMs: notifications.timeoutMs * 2 + 5000,
        now: deps.now,
        by: job.id,
      });
      if (outcome.status === 'deferred') {
        logger.debug({ ...context, reason: outcome.reason, retryInMs: outcome.retryInMs }, 'notification deferred');
        return await deferJob(job, token, outcome.retryInMs);
      }
      if (outcome.status === 'sent') {
        await status.recordSuccess(channelId, deps.now());
        logger.info(context, 'notification sent');
      } else {
        logger.info({ ...context, sentAt: outcome.sentAt }, 'notification already sent: skipped');
      }
      return outcome;
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      const final = error.permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (error.status === 429 && error.retryAfterMs) await limiter.pause(channelId, error.retryAfterMs);
      if (final) {
        await status.recordFailure(channelId, {
          at: deps.now().toISOString(),
          kind: error.permanent ? 'permanent' : 'exhausted',
          message: error.message,
          status: error.status,
          dedupKey: notification.dedupKey,
          event: notification.event,
        });
        logger.error({ ...context, status: error.status, err: error.message }, `notification channel ${channelId} failed ${error.permanent ? 'permanently' : 'on every attempt'}: check its settings`);
      } else {
        logger.warn({ ...context, status: error.status, err: error.message, attempt: job.attemptsMade + 1 }, 'notification failed: will retry');
      }
      if (error.permanent) {
        throw new UnrecoverableError(`${error.message} — fix: check notifications.channels "${channelId}" (URL, secret, topic, recipients); a 4xx is not retried`);
      }
      throw error;
    }
  };
}

/**
 * What publishReport reads of a report: its scan, and its open recommendations — all of them, or only those at or
 * above notifications.highSavingsThresholdUsd (what a notification can name), in report order.
 */
export type PublishedReport = Pick<Report, 'scanId' | 'startedAt' | 'finishedAt'> & { recommendations: readonly Recommendation[] };

/**
 * After a report is written: a `high-savings` notification for recommendations not in the previous scan and above
 * notifications.highSavingsThresholdUsd, and the backend delivery. Both are idempotent (deterministic job ids and
 * keys), so a retried report job queues nothing twice.
 */
export async function publishReport(deps: PipelineDeps, report: PublishedReport, reportDir: string, logger: Logger): Promise<void> {
  const { notifications, backend } = deps.config;
  if (notifications.enabled) {
    const high = report.recommendations.filter((r) => r.status === 'open' && r.monthlySavingsUsd >= notifications.highSavingsThresholdUsd);
    // Only those could be named: the previous report is searched for them alone, without reading it whole.
    const seen = await listedBefore(deps.store, report.startedAt, new Set(high.map((r) => r.id)));
    const notification = highSavingsNotification({
      report,
      candidates: high.filter((r) => !seen.has(r.id)),
      thresholdUsd: notifications.highSavingsThresholdUsd,
      baseUrl: notifications.reportBaseUrl,
    });
    if (notification) {
      const channels = await enqueueNotification(deps, notification);
      logger.info({ dedupKey: notification.dedupKey, channels }, 'high-savings notification queued');
    }
  }
  if (backend.url) {
    const data: JobPayload<'deliver'> = { scanId: report.scanId, reportDir };
    await deps.queues.get(jobQueueName('deliver')).add('deliver', data, {
      jobId: jobId.deliver(data),
      attempts: deps.config.workers.attempts,
      backoff: { type: 'exponential', delay: deps.config.workers.backoffMs },
      ...standaloneRetention(deps.config),
    });
    logger.info({ scanId: report.scanId }, 'backend delivery queued');
  }
}

/** Jobs outside scan flows: their failure is not a scan's. */
const NOT_SCAN_JOBS = new Set(['notify', 'deliver', 'scheduled-run']);

/**
 * Raises `scan-failure` when a scan job fails for good (all attempts used, or unrecoverable): the scan then waits
 * for an operator. Attach to every worker that runs scan jobs.
 */
export function notifyOnScanFailures(deps: Pick<PipelineDeps, 'config' | 'queues'>, worker: Worker, logger: Logger): void {
  worker.on('failed', (job, error) => {
    if (!job || NOT_SCAN_JOBS.has(job.name)) return;
    const scanId = (job.data as { scanId?: unknown })?.scanId;
    if (typeof scanId !== 'string') return;
    const final = error?.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    const base = deps.config.notifications.reportBaseUrl;
    const notification = scanFailureNotification({
      scanId,
      jobId: job.id ?? '?',
      jobName: job.name,
      queue: job.queueName,
      reason: error?.message ?? job.failedReason ?? 'unknown',
      attemptsMade: job.attemptsMade,
      failedAt: new Date(job.finishedOn ?? Date.now()),
      link: base ? `${base.replace(/\/+$/, '')}/admin/queues` : undefined,
    });
    enqueueNotification(deps, notification).catch((e: unknown) =>
      logger.warn({ err: (e as Error).message, scanId }, 'could not queue the scan-failure notification'),
    );
  });
}

/**
 * Queues the weekly summary: the latest completed scan, with the changes since the scan closest to a week before
 * it. Keyed by ISO week, so firing twice in a week (a second replica, a manual run) sends one. For the schedules.
 *
 * @example await sendWeeklySummary(ctx.deps)
 */
export async function sendWeeklySummary(
  deps: Pick<PipelineDeps, 'config' | 'queues' | 'store' | 'now'>,
): Promise<{ status: 'queued'; dedupKey: string; channels: string[] } | { status: 'skipped'; reason: string }> {
  if (!deps.config.notifications.enabled) return { status: 'skipped', reason: 'notifications.enabled is false' };
  const scans = await completedScans(deps.store);
  if (!scans.length) return { status: 'skipped', reason: 'no completed scan to summarize' };
  const [latest] = scans;
  const weekBefore = new Date(Date.parse(latest.plan.startedAt) - 7 * 86_400_000).toISOString();
  const older = scans.slice(1);
  const base = older.find((s) => s.plan.startedAt <= weekBefore) ?? older[older.length - 1];
  const report = await readReportFile(latest.reportDir);
  const previous = base ? await readReportFile(base.reportDir).catch(() => undefined) : undefined;
  const notification = weeklySummaryNotification({
    report,
    diff: previous ? diffReports(previous, report) : undefined,
    now: deps.now(),
    baseUrl: deps.config.notifications.reportBaseUrl,
  });
  const channels = await enqueueNotification(deps, notification);
  return { status: 'queued', dedupKey: notification.dedupKey, channels };
}
