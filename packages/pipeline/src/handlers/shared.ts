// What every job handler needs, and the one way an AWS failure is recorded against a scan partition.
import type { Config, AwsAccessError, ScanError } from '@finops/core';
import type { PriceTable } from '@finops/pricing';
import type { QueueSet, ScanStore } from '@finops/queues';
import type { Redis } from 'ioredis';
import type { Logger } from '@finops/core';
import type { AwsRuntime } from '../aws-runtime.js';

export interface PipelineDeps {
  config: Config;
  store: ScanStore;
  aws: AwsRuntime;
  prices: PriceTable;
  /** The clock; tests pin it. */
  now: () => Date;
  /** For jobs outside the scan flow (notifications, deliveries) that handlers enqueue. */
  queues: QueueSet;
  /** Deduplication records, locks and rate limits of notifications and deliveries. */
  redis: Redis;
}

/**
 * A permanent AWS failure (access denied, region not enabled) is recorded in the scan's errors and the job
 * completes, so the rest of the scan goes on without a retry storm. A retryable one (throttling, 5xx) is thrown:
 * BullMQ retries with backoff, and after the last attempt the job fails and its scan waits for an operator's retry.
 */
export async function recordAwsFailure(
  deps: PipelineDeps,
  scanId: string,
  where: Pick<ScanError, 'stage' | 'accountId' | 'region' | 'kind'>,
  error: AwsAccessError,
  logger: Logger,
): Promise<{ status: 'failed'; code: string }> {
  if (error.retryable) throw error;
  logger.warn({ code: error.code, action: error.action }, `partition failed permanently: ${error.message}`);
  await deps.store.recordError(scanId, {
    ...where,
    action: error.action,
    code: error.code,
    message: error.message,
    hint: error.hint,
    at: deps.now().toISOString(),
  });
  return { status: 'failed', code: error.code };
}
