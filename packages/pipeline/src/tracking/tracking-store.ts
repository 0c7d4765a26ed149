// Recommendation tracking in Redis: histories per fingerprint, "first seen" times, dismissals and each scope's last scan.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keepLeaseAlive, releaseLease, type Recommendation, type ResourceKind } from '@finops/core';
import type { Dismissal, ScopeState, TrackedHistory, TrackedRecommendation } from './tracking-types.js';

/** The shortest wait for a scope's lock held by another job. */
const MIN_LOCK_WAIT_MS = 15_000;

/** Records written per transaction. */
const PUT_BATCH = 1000;

export interface TrackingStoreOptions {
  /** The hash-tagged prefix shared with the queues. */
  prefix: string;
  /** Days a record, a "first seen" time and an open-ended dismissal are kept after they were last seen. */
  retentionDays: number;
  /**
   * The scope lock's lease (`workers.lockDurationMs`, default 30 s), renewed every third of it while its holder
   * runs: a job killed while holding it frees the scope as soon as BullMQ frees the job for its retry.
   */
  lockMs?: number;
}

/** A stored history, with the recommendation it last saw when an earlier version wrote both in one record. */
function parseRecord(value: Buffer): TrackedHistory & { recommendation?: Recommendation } {
  return JSON.parse(value.toString('utf8')) as TrackedHistory & { recommendation?: Recommendation };
}

/** What names a tracking scope in its keys: a partition, and the resource kind when it is one kind's. */
function scopeParts(accountId: string, region: string, kind: ResourceKind | undefined): string[] {
  return kind ? [accountId, region, kind] : [accountId, region];
}

/** Thrown when a scope stays locked: the report job is retried, as for any transient failure. */
export class TrackingLockTimeout extends Error {}

/**
 * Keys, all under the hash-tagged prefix (one cluster slot), not per scan but per fingerprint, so they outlive any
 * scan's data:
 * - `tracking:rec:<id>`: the finding's history (TrackedHistory), expiring retentionDays after it was last seen;
 * - `tracking:body:<id>`: the recommendation as last seen, expiring with its history: apart from it, so that a scan
 *   reads only the small histories of the findings it has again (a record an earlier version wrote holds both);
 * - `tracking:since:<id>`: when a timed condition (unattached, stopped) was first seen, while it keeps holding;
 * - `tracking:dismissal:<id>`: a Dismissal, expiring at its `until` (or retentionDays after last seen);
 * - `tracking:scope:<account>:<region>:<kind>`: the ScopeState, the last scan's findings of one resource kind for the
 *   next one to compare with (`tracking:scope:<account>:<region>`: a whole partition's, as scans before 2026-11-27
 *   tracked them, read once for a kind that has no state of its own yet);
 * - `tracking:index`: sorted set of ids by last seen, for listing;
 * - `tracking:lock:<account>:<region>[:<kind>]`: one scope update at a time.
 */
export class TrackingStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: TrackingStoreOptions,
  ) {}

  private key(...parts: string[]): string {
    return [this.options.prefix, 'tracking', ...parts].join(':');
  }

  private get ttlSeconds(): number {
    return this.options.retentionDays * 86_400;
  }

  /**
   * First-seen times of the timed conditions among `ids` that an earlier scan recorded: with `before` (a scan's
   * start), only sightings before it — a retried job of that scan must not take its first attempt's for earlier ones.
   */
  async firstSeen(ids: readonly string[], before?: string): Promise<Map<string, string>> {
    const cutoff = before === undefined ? Number.POSITIVE_INFINITY : Date.parse(before);
    const found = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const values = await this.redis.mget(...chunk.map((id) => this.key('since', id)));
      chunk.forEach((id, n) => {
        const value = values[n];
        if (value && Date.parse(value) < cutoff) found.set(id, value);
      });
    }
    return found;
  }

  /** Records `at` as the first sighting of conditions not seen before; keeps the earlier time of the others. */
  async observe(ids: readonly string[], at: string): Promise<void> {
    if (ids.length === 0) return;
    const multi = this.redis.multi();
    for (const id of ids) {
      multi.set(this.key('since', id), at, 'NX');
      multi.expire(this.key('since', id), this.ttlSeconds);
    }
    await multi.exec();
  }

  /** Forgets conditions that no longer hold: the next sighting starts a new "since". */
  async forget(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.del(...ids.map((id) => this.key('since', id)));
  }

  async get(id: string): Promise<TrackedRecommendation | undefined> {
    return (await this.getMany([id])).get(id);
  }

  /** The records of `ids` that exist, each with the recommendation it last saw; an id asked for twice is read once. */
  async getMany(ids: readonly string[]): Promise<Map<string, TrackedRecommendation>> {
    const found = new Map<string, TrackedRecommendation>();
    await this.chunks(ids, async (chunk) => {
      const [histories, bodies] = await Promise.all([
        this.redis.mgetBuffer(...chunk.map((id) => this.key('rec', id))),
        this.redis.mgetBuffer(...chunk.map((id) => this.key('body', id))),
      ]);
      histories.forEach((value, n) => {
        if (!value) return;
        const { recommendation: embedded, ...history } = parseRecord(value);
        const body = bodies[n];
        const recommendation = body ? (JSON.parse(body.toString('utf8')) as Recommendation) : embedded;
        // A history whose body expired first (they are written together, with the same expiry) cannot be listed.
        if (recommendation) found.set(history.id, { ...history, recommendation });
      });
    });
    return found;
  }

  /**
   * The histories of `ids`, without the recommendation each last saw: all a scan needs of the findings it has again,
   * read without the recommendations' bytes.
   */
  async histories(ids: readonly string[]): Promise<Map<string, TrackedHistory>> {
    const found = new Map<string, TrackedHistory>();
    await this.chunks(ids, async (chunk) => {
      for (const value of await this.redis.mgetBuffer(...chunk.map((id) => this.key('rec', id)))) {
        if (!value) continue;
        const { recommendation: _embedded, ...history } = parseRecord(value);
        found.set(history.id, history);
      }
    });
    return found;
  }

  /** Runs `read` over the distinct `ids` a thousand at a time: a thousand records' text is never held at once. */
  private async chunks(ids: readonly string[], read: (chunk: string[]) => Promise<void>): Promise<void> {
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 1000) await read(unique.slice(i, i + 1000));
  }

  /**
   * Writes records, each kept retentionDays from now, and indexes them by last seen. In transactions of
   * PUT_BATCH records: a large scope's records are not all serialized and queued at once. A report retried after a
   * crash between batches counts nothing twice (a record already written for its scan is kept as it is).
   */
  async put(records: readonly TrackedRecommendation[]): Promise<void> {
    for (let i = 0; i < records.length; i += PUT_BATCH) {
      const batch = records.slice(i, i + PUT_BATCH);
      const multi = this.redis.multi();
      // As bytes: ioredis joins a transaction's string arguments into one large string, which V8 frees only in a full
      // collection; bytes stay off its heap.
      for (const { recommendation, ...history } of batch) {
        multi.set(this.key('rec', history.id), Buffer.from(JSON.stringify(history)), 'EX', this.ttlSeconds);
        multi.set(this.key('body', history.id), Buffer.from(JSON.stringify(recommendation)), 'EX', this.ttlSeconds);
      }
      // One ZADD for the batch rather than one per record: the same index, a fraction of the commands.
      multi.zadd(this.key('index'), ...batch.flatMap((record) => [Date.parse(record.lastSeenAt), record.id]));
      await multi.exec();
    }
  }

  /** Tracked recommendations, most recently seen first; ids whose record expired are dropped as they are met. */
  async list(options: { status?: TrackedRecommendation['status']; limit?: number } = {}): Promise<TrackedRecommendation[]> {
    const limit = options.limit ?? 100;
    const out: TrackedRecommendation[] = [];
    let offset = 0;
    while (out.length < limit) {
      const ids = await this.redis.zrevrange(this.key('index'), offset, offset + 499);
      if (ids.length === 0) break;
      offset += ids.length;
      const records = await this.getMany(ids);
      const expired = ids.filter((id) => !records.has(id));
      if (expired.length > 0) {
        await this.redis.zrem(this.key('index'), ...expired);
        offset -= expired.length;
      }
      for (const id of ids) {
        const record = records.get(id);
        if (record && (!options.status || record.status === options.status) && out.length < limit) out.push(record);
      }
    }
    return out;
  }

  /** A scope's state: one resource kind's in a partition, or (no kind) a whole partition's as earlier scans kept it. */
  async scope(accountId: string, region: string, kind?: ResourceKind): Promise<ScopeState | undefined> {
    const raw = await this.redis.get(this.key('scope', ...scopeParts(accountId, region, kind)));
    return raw ? (JSON.parse(raw) as ScopeState) : undefined;
  }

  async putScope(accountId: string, region: string, state: ScopeState, kind?: ResourceKind): Promise<void> {
    await this.redis.set(this.key('scope', ...scopeParts(accountId, region, kind)), JSON.stringify(state), 'EX', this.ttlSeconds);
  }

  /**
   * Dismisses a recommendation. An `until` makes the dismissal expire then; without one it lasts until revoked
   * (kept retentionDays past the last scan that found the recommendation).
   */
  async dismiss(id: string, dismissal: Dismissal, now: Date): Promise<void> {
    const key = this.key('dismissal', id);
    if (dismissal.until) {
      const ms = Date.parse(dismissal.until) - now.getTime();
      if (!(ms > 0)) throw new Error(`a dismissal must end in the future, got ${dismissal.until}`);
      await this.redis.set(key, JSON.stringify(dismissal), 'PX', ms);
    } else {
      await this.redis.set(key, JSON.stringify(dismissal), 'EX', this.ttlSeconds);
    }
  }

  /** Revokes a dismissal; false when there was none. */
  async undismiss(id: string): Promise<boolean> {
    return (await this.redis.del(this.key('dismissal', id))) > 0;
  }

  /** The dismissals in force among `ids` at `now`. */
  async dismissals(ids: readonly string[], now: Date): Promise<Map<string, Dismissal>> {
    const found = new Map<string, Dismissal>();
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const values = await this.redis.mget(...chunk.map((id) => this.key('dismissal', id)));
      chunk.forEach((id, n) => {
        const value = values[n];
        if (!value) return;
        const dismissal = JSON.parse(value) as Dismissal;
        // Redis expiry is exact to the millisecond, but a clock pinned by a test (or skewed) must agree too.
        if (!dismissal.until || Date.parse(dismissal.until) > now.getTime()) found.set(id, dismissal);
      });
    }
    return found;
  }

  /**
   * Keeps open-ended dismissals (no `until`: those already expire at their end) of recommendations still being
   * found for another retention period.
   */
  async refreshDismissals(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const multi = this.redis.multi();
    for (const id of ids) multi.expire(this.key('dismissal', id), this.ttlSeconds);
    await multi.exec();
  }

  /**
   * Runs `fn` holding the scope's lock, so two jobs (optimize, or a report job tracking for it) never interleave
   * their read-compare-write of one scope. The lock is a lease renewed while `fn` runs; a holder that died lets it
   * expire within `lockMs`. Throws TrackingLockTimeout after waiting twice the lease (at least 15 s).
   */
  async withScopeLock<T>(accountId: string, region: string, fn: () => Promise<T>, kind?: ResourceKind): Promise<T> {
    const scope = scopeParts(accountId, region, kind);
    const key = this.key('lock', ...scope);
    const token = randomUUID();
    const leaseMs = this.options.lockMs ?? 30_000;
    const waitMs = Math.max(MIN_LOCK_WAIT_MS, 2 * leaseMs);
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', leaseMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) {
        throw new TrackingLockTimeout(`tracking scope ${scope.join('/')} stayed locked for ${waitMs} ms by another job tracking it (${key}); this job is retried`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stopRenewing = keepLeaseAlive(this.redis, key, token, leaseMs);
    try {
      return await fn();
    } finally {
      stopRenewing();
      await releaseLease(this.redis, key, token);
    }
  }
}
