// The last successful and failed AWS call and the last throttle per account and region, shared through Redis.
import { observeApiCalls, type ApiCallEvent } from '@finops/aws';
import type { Logger } from '@finops/core';
import type { Redis } from 'ioredis';

/** One remembered call. */
export interface AwsCallRecord {
  at: string;
  operation: string;
  code?: string;
  message?: string;
  /** Throttled attempts seen by the process that wrote this record, in the flush window it was written in. */
  count?: number;
}

export interface AwsPartitionStatus {
  accountId: string;
  region: string;
  lastSuccess?: AwsCallRecord;
  lastFailure?: AwsCallRecord;
  lastThrottle?: AwsCallRecord;
  /** A throttle within the last `openThrottlingMs`: the region is being slowed down now. */
  throttlingOpen: boolean;
}

type Kind = 'ok' | 'error' | 'throttle';

/** Sets each field only when the new record is newer than the stored one: processes flush in any order. */
const SET_IF_NEWER = `
for i = 1, #ARGV, 3 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  local at = tonumber(ARGV[i + 1])
  if not current or tonumber(string.match(current, '^(%d+)|')) < at then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. '|' .. ARGV[i + 2])
  end
end
return 1`;

export function awsStatusKey(prefix: string): string {
  return `${prefix}:status:aws`;
}

/**
 * Collects, in memory, the newest call of each kind per (account, region) and flushes them to Redis every
 * `flushMs`: a scan makes thousands of calls, the status page needs three records per partition.
 */
export class AwsCallStatusRecorder {
  private pending = new Map<string, { atMs: number; record: AwsCallRecord }>();
  private timer?: NodeJS.Timeout;
  private stopObserving?: () => void;
  private closing?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly flushMs = 2000,
  ) {}

  start(): this {
    this.stopObserving = observeApiCalls((event) => this.record(event));
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
    return this;
  }

  record(event: ApiCallEvent, at = new Date()): void {
    if (!event.accountId || !event.region) return;
    const kinds: Kind[] = event.ok ? ['ok'] : event.throttled ? ['error', 'throttle'] : ['error'];
    for (const kind of kinds) {
      const field = `${event.accountId}|${event.region}|${kind}`;
      const previous = this.pending.get(field);
      const record: AwsCallRecord = { at: at.toISOString(), operation: `${event.service}.${event.operation}` };
      if (!event.ok) Object.assign(record, { code: event.errorCode, message: event.errorMessage?.slice(0, 300) });
      if (kind === 'throttle') record.count = (previous?.record.count ?? 0) + 1;
      this.pending.set(field, { atMs: at.getTime(), record });
    }
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    const args = [...batch].flatMap(([field, { atMs, record }]) => [field, String(atMs), JSON.stringify(record)]);
    try {
      await this.redis.eval(SET_IF_NEWER, 1, awsStatusKey(this.prefix), ...args);
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, 'could not record the AWS call status');
    }
  }

  /** Stops observing and flushes what is left. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopObserving?.();
      clearInterval(this.timer);
      await this.flush();
    })();
    return this.closing;
  }
}

/** A throttle this recent counts as ongoing. */
export const OPEN_THROTTLING_MS = 5 * 60_000;

/** Every partition with a recorded call, sorted by account and region. */
export async function readAwsCallStatus(redis: Redis, prefix: string, now = new Date()): Promise<AwsPartitionStatus[]> {
  const fields = await redis.hgetall(awsStatusKey(prefix));
  const partitions = new Map<string, AwsPartitionStatus>();
  for (const [field, value] of Object.entries(fields)) {
    const [accountId, region, kind] = field.split('|') as [string, string, Kind];
    const record = JSON.parse(value.slice(value.indexOf('|') + 1)) as AwsCallRecord;
    const key = `${accountId}|${region}`;
    const entry = partitions.get(key) ?? { accountId, region, throttlingOpen: false };
    if (kind === 'ok') entry.lastSuccess = record;
    if (kind === 'error') entry.lastFailure = record;
    if (kind === 'throttle') {
      entry.lastThrottle = record;
      entry.throttlingOpen = now.getTime() - Date.parse(record.at) < OPEN_THROTTLING_MS;
    }
    partitions.set(key, entry);
  }
  return [...partitions.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
}
