// The deliver job: posts a scan's results to the backend sink, waiting in the queue while the backend is down.
import { ChannelStatusStore, DeliveryError, DeliveryLedger, deliverScanResults } from '@finops/notifications';
import type { HandlerContext, JobPayload } from '@finops/queues';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { readReportFile } from '../report-history.js';
import type { PipelineDeps } from './shared.js';

/** The backend's entry in the channel status store (GET /api/notifications/status). */
export const BACKEND_STATUS_ID = 'backend';

/** Wait before the n-th retry of an unavailable backend: base × 2^(n-1), at most max, plus up to 10% jitter. */
export function backendWaitMs(n: number, base: number, max: number, random = Math.random): number {
  const wait = Math.min(max, base * 2 ** Math.max(0, n - 1));
  return Math.round(wait + wait * 0.1 * random());
}

/**
 * Delivers once (see deliverScanResults). While the backend is down or answers 5xx/429, the job goes back to delayed
 * with a growing wait (backend.retryBaseMs doubling up to retryMaxMs) without using an attempt: it waits as long as
 * the outage lasts and is delivered when the backend returns. A 4xx rejection fails the job (UnrecoverableError) and
 * is recorded; the scan itself never depends on this job.
 */
export function deliverHandler(deps: PipelineDeps) {
  return async ({ scanId, reportDir }: JobPayload<'deliver'>, { job, logger, token }: HandlerContext) => {
    const { backend, redis: { prefix } } = deps.config;
    if (!backend.url) return { status: 'skipped', reason: 'backend.url is not set' };
    const status = new ChannelStatusStore(deps.redis, prefix);
    const waitsKey = `${prefix}:deliver:waits:${scanId}`;
    const report = await readReportFile(reportDir).catch((error: Error) => {
      throw new UnrecoverableError(`scan ${scanId}: ${error.message}`);
    });
    try {
      const outcome = await deliverScanResults(report, {
        backend: { ...backend, url: backend.url },
        ledger: new DeliveryLedger(deps.redis, { prefix, ttlSeconds: deps.config.workers.retention.scanDataDays * 86_400 }),
        now: deps.now,
        by: job.id,
      });
      if (outcome.status === 'unavailable') {
        const waits = await deps.redis.multi().incr(waitsKey).expire(waitsKey, 30 * 86_400).exec();
        const n = Number(waits?.[0]?.[1] ?? 1);
        const wait = backendWaitMs(n, backend.retryBaseMs, backend.retryMaxMs);
        logger.warn({ scanId, reason: outcome.reason, waitMs: wait, waits: n }, 'backend unavailable: delivery waits');
        await status.recordFailure(BACKEND_STATUS_ID, { at: deps.now().toISOString(), kind: 'unavailable', message: outcome.reason });
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      await deps.redis.del(waitsKey);
      if (outcome.status === 'delivered') {
        await status.recordSuccess(BACKEND_STATUS_ID, deps.now());
        logger.info({ scanId, httpStatus: outcome.httpStatus }, 'scan results delivered to the backend');
      }
      return outcome;
    } catch (error) {
      if (error instanceof DeliveryError && error.permanent) {
        await status.recordFailure(BACKEND_STATUS_ID, { at: deps.now().toISOString(), kind: 'permanent', message: error.message, status: error.status });
        logger.error({ scanId, status: error.status, err: error.message }, 'the backend rejected the scan results');
        throw new UnrecoverableError(`${error.message} — fix: check backend.url and backend.token, then retry the job in Bull Board`);
      }
      throw error;
    }
  };
}
