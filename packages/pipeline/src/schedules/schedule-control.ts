// Listing, enabling, disabling and running schedules: what the CLI, the API and the console call.
import type { Config } from '@finops/core';
import { UsageError } from '@finops/core';
import { jobId, type JobPayload, type QueueSet } from '@finops/queues';
import type { Logger } from '@finops/core';
import { scheduleDefinitions, type ScheduleDefinition } from './schedule-definitions.js';
import type { ScheduleLastRun, ScheduleState } from './schedule-state.js';
import { schedulerPayload, syncSchedules, type SyncResult } from './sync-schedules.js';

export interface ScheduleInfo {
  id: string;
  type: ScheduleDefinition['type'];
  when: string;
  /** Turned on in the configuration. */
  configured: boolean;
  /** Disabled by an operator (kept across restarts). */
  disabled: boolean;
  /** A job scheduler exists in Redis: ticks will come. */
  active: boolean;
  /** Next tick, ISO time, when active. */
  next?: string;
  lastRun?: ScheduleLastRun;
  runningScanId?: string;
}

export interface ScheduleControlDeps {
  /** Read at each call: a reloaded configuration takes effect at once. */
  config: () => Config;
  queues: QueueSet;
  state: ScheduleState;
  logger: Logger;
  now?: () => Date;
}

/** Operator actions on schedules. Enable and disable re-sync the job schedulers at once. */
export class ScheduleControl {
  constructor(private readonly deps: ScheduleControlDeps) {}

  private get queue() {
    return this.deps.queues.forRole('scheduler');
  }

  private definition(id: string): ScheduleDefinition {
    const all = scheduleDefinitions(this.deps.config().schedules);
    const found = all.find((d) => d.id === id);
    if (!found) throw new UsageError(`no schedule "${id}"`, { hint: `known schedules: ${all.map((d) => d.id).join(', ')}` });
    return found;
  }

  async list(): Promise<ScheduleInfo[]> {
    const [disabled, lastRuns, schedulers] = await Promise.all([
      this.deps.state.disabledIds(),
      this.deps.state.lastRuns(),
      this.queue.getJobSchedulers(0, -1),
    ]);
    const byId = new Map(schedulers.map((s) => [s.key, s]));
    return Promise.all(
      scheduleDefinitions(this.deps.config().schedules).map(async (d): Promise<ScheduleInfo> => {
        const scheduler = byId.get(d.id);
        return {
          id: d.id,
          type: d.type,
          when: d.describe,
          configured: d.enabled,
          disabled: disabled.has(d.id),
          active: scheduler !== undefined,
          next: scheduler?.next ? new Date(scheduler.next).toISOString() : undefined,
          lastRun: lastRuns.get(d.id),
          runningScanId: await this.deps.state.runningScan(d.id),
        };
      }),
    );
  }

  sync(): Promise<SyncResult> {
    return syncSchedules({ queue: this.queue, state: this.deps.state, config: this.deps.config(), logger: this.deps.logger });
  }

  /** Clears an operator's disable; the schedule runs again if the configuration turns it on. */
  async enable(id: string): Promise<ScheduleInfo> {
    this.definition(id);
    await this.deps.state.setDisabled(id, false);
    await this.sync();
    return (await this.list()).find((s) => s.id === id)!;
  }

  /** Stops the schedule's ticks until enabled again, across restarts. A scan already running goes on. */
  async disable(id: string): Promise<ScheduleInfo> {
    this.definition(id);
    await this.deps.state.setDisabled(id, true);
    await this.sync();
    return (await this.list()).find((s) => s.id === id)!;
  }

  /** Queues one run now (a disabled schedule too: the operator asked). Returns the job id. */
  async runNow(id: string): Promise<string> {
    const payload: JobPayload<'scheduled-run'> = {
      ...schedulerPayload(this.definition(id)),
      requestedAt: (this.deps.now?.() ?? new Date()).toISOString(),
    };
    const { retention } = this.deps.config().workers;
    const job = await this.queue.add('scheduled-run', payload, {
      jobId: jobId['scheduled-run'](payload),
      removeOnComplete: { age: retention.completedAgeSec, count: retention.completedCount },
      removeOnFail: { age: retention.failedAgeSec, count: retention.failedCount },
    });
    return job.id!;
  }
}
