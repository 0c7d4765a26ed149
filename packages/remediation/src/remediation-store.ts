// Remediation state in Redis: runs and their per-partition results, action records (idempotency), approvals, locks.
import { randomUUID } from 'node:crypto';
import { keepLeaseAlive, releaseLease } from '@finops/core';
import type { Redis } from 'ioredis';
import type { ActionRecord, ApprovalRecord, BatchResult, RemediationRun } from './remediation-types.js';

/**
 * Keys, all under the hash-tagged prefix (one cluster slot):
 * - `remediation:run:<runId>`: hash — `run` (the RemediationRun) and `batch:<account>:<region>` (BatchResult);
 * - `remediation:runs`: sorted set of run ids by creation time;
 * - `remediation:action:<actionId>`: the ActionRecord, the action's idempotency record;
 * - `remediation:applied`: sorted set of live actions applied, by time (reports read it);
 * - `remediation:approvals`: hash, recommendation id → the latest ApprovalRecord;
 * - `remediation:lock:<actionId>`: one attempt of an action at a time.
 * Everything expires after the audit retention.
 */
export class RemediationStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; retentionDays: number },
  ) {}

  private key(...parts: string[]): string {
    return [this.options.prefix, 'remediation', ...parts].join(':');
  }

  private get ttlSeconds(): number {
    return this.options.retentionDays * 86_400;
  }

  async createRun(run: RemediationRun): Promise<void> {
    const key = this.key('run', run.runId);
    await this.redis
      .multi()
      .hset(key, 'run', JSON.stringify(run))
      .expire(key, this.ttlSeconds)
      .zadd(this.key('runs'), Date.parse(run.createdAt), run.runId)
      .exec();
  }

  async getRun(runId: string): Promise<RemediationRun | undefined> {
    const raw = await this.redis.hget(this.key('run', runId), 'run');
    return raw ? (JSON.parse(raw) as RemediationRun) : undefined;
  }

  /** Run ids, newest first; ids whose run expired are dropped as they are met. */
  async listRuns(limit = 20): Promise<RemediationRun[]> {
    const ids = await this.redis.zrevrange(this.key('runs'), 0, limit - 1);
    const runs: RemediationRun[] = [];
    for (const id of ids) {
      const run = await this.getRun(id);
      if (run) runs.push(run);
      else await this.redis.zrem(this.key('runs'), id);
    }
    return runs;
  }

  async saveBatch(result: BatchResult): Promise<void> {
    await this.redis.hset(this.key('run', result.runId), `batch:${result.accountId}:${result.region}`, JSON.stringify(result));
  }

  async batches(runId: string): Promise<BatchResult[]> {
    const fields = await this.redis.hgetall(this.key('run', runId));
    return Object.entries(fields)
      .filter(([field]) => field.startsWith('batch:'))
      .map(([, raw]) => JSON.parse(raw) as BatchResult)
      .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  }

  async getAction(actionId: string): Promise<ActionRecord | undefined> {
    const raw = await this.redis.get(this.key('action', actionId));
    return raw ? (JSON.parse(raw) as ActionRecord) : undefined;
  }

  async saveAction(record: ActionRecord): Promise<void> {
    const tx = this.redis.multi().set(this.key('action', record.actionId), JSON.stringify(record), 'EX', this.ttlSeconds);
    if (record.mode === 'live' && record.status === 'applied') tx.zadd(this.key('applied'), Date.parse(record.at), record.actionId);
    await tx.exec();
  }

  /** Live actions applied between two times, oldest first (records that expired are left out). */
  async appliedBetween(since: Date, until: Date): Promise<ActionRecord[]> {
    const ids = await this.redis.zrangebyscore(this.key('applied'), since.getTime(), until.getTime());
    const records = await Promise.all(ids.map((id) => this.getAction(id)));
    return records.filter((r): r is ActionRecord => r !== undefined);
  }

  async getApproval(recommendationId: string): Promise<ApprovalRecord | undefined> {
    const raw = await this.redis.hget(this.key('approvals'), recommendationId);
    return raw ? (JSON.parse(raw) as ApprovalRecord) : undefined;
  }

  async getApprovals(recommendationIds: readonly string[]): Promise<Map<string, ApprovalRecord>> {
    if (recommendationIds.length === 0) return new Map();
    const raws = await this.redis.hmget(this.key('approvals'), ...recommendationIds);
    const approvals = new Map<string, ApprovalRecord>();
    raws.forEach((raw, i) => {
      if (raw) approvals.set(recommendationIds[i] as string, JSON.parse(raw) as ApprovalRecord);
    });
    return approvals;
  }

  /** Records a decision; it replaces any earlier decision on the same recommendation. */
  async saveApproval(approval: ApprovalRecord): Promise<void> {
    await this.redis.multi().hset(this.key('approvals'), approval.recommendationId, JSON.stringify(approval)).expire(this.key('approvals'), this.ttlSeconds).exec();
  }

  /** Takes the action's lock for `ttlMs`; the token to release it, or undefined when another attempt holds it. */
  async lock(actionId: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const ok = await this.redis.set(this.key('lock', actionId), token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? token : undefined;
  }

  /** Renews the caller's lock to `ttlMs` every third of it until the returned function is called (keepLeaseAlive). */
  keepLocked(actionId: string, token: string, ttlMs: number): () => void {
    return keepLeaseAlive(this.redis, this.key('lock', actionId), token, ttlMs);
  }

  async unlock(actionId: string, token: string): Promise<void> {
    await releaseLease(this.redis, this.key('lock', actionId), token);
  }
}
