// Makes the job schedulers in Redis match the configuration: upsert what changed, remove what is gone or disabled.
import { randomUUID } from 'node:crypto';
import type { Config, Logger } from '@finops/core';
import type { JobSchedulerJson, Queue } from 'bullmq';
import type { JobPayload } from '@finops/queues';
import { scheduleDefinitions, type ScheduleDefinition } from './schedule-definitions.js';
import type { ScheduleState } from './schedule-state.js';

export interface SyncSchedulesOptions {
  queue: Queue;
  state: ScheduleState;
  config: Config;
  logger: Logger;
}

export interface SyncResult {
  /** False when another process held the sync lock (it is syncing the same configuration). */
  synced: boolean;
  upserted: string[];
  unchanged: string[];
  removed: string[];
}

/** Long enough for a sync of many schedules; short enough that a crashed holder does not block the next start. */
const SYNC_LOCK_MS = 30_000;

export function schedulerPayload(definition: ScheduleDefinition): JobPayload<'scheduled-run'> {
  return { scheduleId: definition.id, type: definition.type, options: definition.options };
}

function sameScheduler(existing: JobSchedulerJson, definition: ScheduleDefinition): boolean {
  const repeat = definition.repeat;
  const sameRepeat =
    'every' in repeat
      ? Number(existing.every) === repeat.every && !existing.pattern
      : existing.pattern === repeat.pattern && (existing.tz ?? 'UTC') === repeat.tz && !existing.every;
  return sameRepeat && existing.name === 'scheduled-run' && JSON.stringify(existing.template?.data) === JSON.stringify(schedulerPayload(definition));
}

/**
 * Idempotent: run at every start-up and reload. One process at a time (a lock in Redis), so replicas starting
 * together do not race; an unchanged scheduler is left alone, so a restart neither shifts an `every` schedule's
 * next tick nor adds a run.
 */
export async function syncSchedules({ queue, state, config, logger }: SyncSchedulesOptions): Promise<SyncResult> {
  const result: SyncResult = { synced: false, upserted: [], unchanged: [], removed: [] };
  const release = await state.lock('sync', randomUUID(), SYNC_LOCK_MS);
  if (!release) {
    logger.info('another process is syncing the schedules: leaving it to that one');
    return result;
  }
  try {
    const disabled = await state.disabledIds();
    const wanted = scheduleDefinitions(config.schedules).filter((d) => d.enabled && !disabled.has(d.id));
    const existing = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
    const { retention, attempts, backoffMs } = config.workers;
    for (const definition of wanted) {
      const current = existing.get(definition.id);
      if (current && sameScheduler(current, definition)) {
        result.unchanged.push(definition.id);
        continue;
      }
      await queue.upsertJobScheduler(definition.id, definition.repeat, {
        name: 'scheduled-run',
        data: schedulerPayload(definition),
        opts: {
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          removeOnComplete: { age: retention.completedAgeSec, count: retention.completedCount },
          removeOnFail: { age: retention.failedAgeSec, count: retention.failedCount },
        },
      });
      result.upserted.push(definition.id);
    }
    const wantedIds = new Set(wanted.map((d) => d.id));
    for (const id of existing.keys()) {
      if (wantedIds.has(id)) continue;
      await queue.removeJobScheduler(id);
      result.removed.push(id);
    }
    result.synced = true;
    logger.info({ upserted: result.upserted, unchanged: result.unchanged, removed: result.removed, disabled: [...disabled] }, 'schedules synced');
    return result;
  } finally {
    await release();
  }
}
