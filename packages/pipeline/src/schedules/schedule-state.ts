// What the scheduler keeps in Redis beside BullMQ's job schedulers: disabled ids, the running scan and the last run.
import type { Redis } from 'ioredis';

export interface ScheduleLastRun {
  at: string;
  /** `started`: a scan was queued; `skipped`: the previous run was still going, or the schedule is disabled. */
  outcome: 'started' | 'skipped' | 'failed';
  scanId?: string;
  reason?: string;
  /** `tick` from the job scheduler, `run-now` from an operator. */
  by: 'tick' | 'run-now';
}

/**
 * Keys live under the queues' hash-tagged prefix (one Redis Cluster slot). The disabled set outlives restarts:
 * a schedule an operator disabled stays disabled until enabled again, whatever the config says.
 */
export class ScheduleState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(name: string): string {
    return `${this.prefix}:schedules:${name}`;
  }

  async disabledIds(): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.key('disabled')));
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    if (disabled) await this.redis.sadd(this.key('disabled'), id);
    else await this.redis.srem(this.key('disabled'), id);
  }

  /** The scan a schedule last started, which a new tick must not overlap. */
  async runningScan(id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key('running'), id)) ?? undefined;
  }

  async setRunningScan(id: string, scanId: string): Promise<void> {
    await this.redis.hset(this.key('running'), id, scanId);
  }

  async recordRun(id: string, run: ScheduleLastRun): Promise<void> {
    await this.redis.hset(this.key('last-run'), id, JSON.stringify(run));
  }

  async lastRuns(): Promise<Map<string, ScheduleLastRun>> {
    const fields = await this.redis.hgetall(this.key('last-run'));
    return new Map(Object.entries(fields).map(([id, raw]) => [id, JSON.parse(raw) as ScheduleLastRun]));
  }

  /**
   * A short lock (SET NX PX) named `name`, held by `owner`; returns a release function, or undefined when someone
   * else holds it. Release only deletes the lock if it is still ours.
   */
  async lock(name: string, owner: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const key = this.key(`lock:${name}`);
    const ok = await this.redis.set(key, owner, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return undefined;
    return async () => {
      await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, key, owner);
    };
  }
}
