// Insight state in Redis: tracked anomalies, the alert-once log, alerts waiting for the notifier, budget approvals.
import { randomUUID } from 'node:crypto';
import type { InsightAlert, TrackedAnomaly } from '@finops/anomalies';
import { decideApproval, type ApprovalDecision, type BudgetApproval } from '@finops/budgets';
import { releaseLease, renewLease, UsageError } from '@finops/core';
import type { Redis } from 'ioredis';

/**
 * Keys under the configured prefix (`{finops}:insights:…`), all in the prefix's cluster slot:
 * - `anomalies`: hash, anomaly id → TrackedAnomaly JSON (replaced whole by each evaluation).
 * - `alert-log`: hash, dedup key → ISO time it was raised. A key is raised once, ever (HSETNX).
 * - `pending-alerts`: hash, dedup key → InsightAlert JSON, until the notifier acknowledges it.
 * - `budget-approvals`: hash, approval id (`approval:<budget>:<period start>`) → BudgetApproval JSON.
 * - `data-end`: the newest cost data evaluated (its exclusive end day): older data (a late retry of an old scan's
 *   report) is reported but does not move the state back.
 * - `lock`: one evaluation at a time, so two scans cannot interleave their updates.
 */
export const INSIGHT_STATE_KEYS = {
  anomalies: 'insights:anomalies',
  alertLog: 'insights:alert-log',
  pendingAlerts: 'insights:pending-alerts',
  approvals: 'insights:budget-approvals',
  dataEnd: 'insights:data-end',
  lock: 'insights:lock',
} as const;

/** Alert-log entries older than this are dropped: by then no anomaly or budget period can raise them again. */
export const ALERT_LOG_RETENTION_DAYS = 400;

/** Raises an alert once: logs its key and those it stands for, and queues it for the notifier, atomically. */
const RAISE_SCRIPT = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
for i = 4, #ARGV do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[2]) end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class InsightState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(name: keyof typeof INSIGHT_STATE_KEYS): string {
    return `${this.prefix}:${INSIGHT_STATE_KEYS[name]}`;
  }

  async loadAnomalies(): Promise<TrackedAnomaly[]> {
    return (await this.redis.hvals(this.key('anomalies'))).map((raw) => JSON.parse(raw) as TrackedAnomaly);
  }

  async saveAnomalies(tracked: readonly TrackedAnomaly[]): Promise<void> {
    const key = this.key('anomalies');
    const tx = this.redis.multi().del(key);
    if (tracked.length > 0) tx.hset(key, Object.fromEntries(tracked.map((a) => [a.id, JSON.stringify(a)])));
    await tx.exec();
  }

  /** Every dedup key raised so far. */
  async raisedKeys(): Promise<Set<string>> {
    return new Set(await this.redis.hkeys(this.key('alertLog')));
  }

  /**
   * Raises `alert` unless its dedup key was raised before (by this or any other evaluation): true when it was
   * raised now and queued in `pending-alerts`. `alsoKeys` (thresholds the alert stands for) are logged with it.
   */
  async raise(alert: InsightAlert, alsoKeys: readonly string[] = []): Promise<boolean> {
    const result = await this.redis.eval(
      RAISE_SCRIPT,
      2,
      this.key('alertLog'),
      this.key('pendingAlerts'),
      alert.dedupKey,
      alert.raisedAt,
      JSON.stringify(alert),
      ...alsoKeys,
    );
    return result === 1;
  }

  /** Alerts raised and not yet acknowledged by the notifier, oldest first. */
  async pendingAlerts(): Promise<InsightAlert[]> {
    return (await this.redis.hvals(this.key('pendingAlerts')))
      .map((raw) => JSON.parse(raw) as InsightAlert)
      .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.dedupKey.localeCompare(b.dedupKey));
  }

  /** The notifier sent (or queued) these: they leave `pending-alerts`; the log keeps them from being raised again. */
  async acknowledgeAlerts(dedupKeys: readonly string[]): Promise<number> {
    return dedupKeys.length > 0 ? this.redis.hdel(this.key('pendingAlerts'), ...dedupKeys) : 0;
  }

  /** Drops alert-log entries raised before `before`. */
  async pruneAlertLog(before: Date): Promise<number> {
    const log = await this.redis.hgetall(this.key('alertLog'));
    const old = Object.entries(log)
      .filter(([, raisedAt]) => raisedAt < before.toISOString())
      .map(([key]) => key);
    return old.length > 0 ? this.redis.hdel(this.key('alertLog'), ...old) : 0;
  }

  /**
   * Records that cost data ending on `dataEnd` is being evaluated; false when newer data was evaluated before
   * (the caller then reports without changing the state).
   */
  async advanceDataEnd(dataEnd: string): Promise<boolean> {
    const current = await this.redis.get(this.key('dataEnd'));
    if (current !== null && current > dataEnd) return false;
    if (current !== dataEnd) await this.redis.set(this.key('dataEnd'), dataEnd);
    return true;
  }

  async loadApprovals(): Promise<BudgetApproval[]> {
    return (await this.redis.hvals(this.key('approvals')))
      .map((raw) => JSON.parse(raw) as BudgetApproval)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async saveApprovals(approvals: readonly BudgetApproval[]): Promise<void> {
    const key = this.key('approvals');
    const tx = this.redis.multi().del(key);
    if (approvals.length > 0) tx.hset(key, Object.fromEntries(approvals.map((a) => [a.id, JSON.stringify(a)])));
    await tx.exec();
  }

  /** Records an operator's decision on an approval request; throws a UsageError naming the open ones when `id` is unknown. */
  async decideApproval(id: string, decision: ApprovalDecision, by: string, options: { note?: string; now?: Date } = {}): Promise<BudgetApproval> {
    const raw = await this.redis.hget(this.key('approvals'), id);
    if (!raw) {
      const known = (await this.loadApprovals()).map((a) => a.id);
      throw new UsageError(`no budget approval request "${id}"`, { hint: known.length ? `open requests: ${known.join(', ')}` : 'no request is open' });
    }
    const decided = decideApproval(JSON.parse(raw) as BudgetApproval, decision, by, options.now ?? new Date(), options.note);
    await this.redis.hset(this.key('approvals'), id, JSON.stringify(decided));
    return decided;
  }

  /**
   * Runs `fn` while holding the evaluation lock, so a scan's report and a monitoring run never interleave their
   * read-modify-write of the state. Waits up to `waitMs` for another holder, then throws (the job is retried).
   * `holder` names the evaluation (a scan's report job): a retry of a holder killed mid-evaluation takes its own
   * lock back instead of waiting out the lease.
   */
  async withLock<T>(
    fn: () => Promise<T>,
    { waitMs = 30_000, leaseMs = 120_000, holder }: { waitMs?: number; leaseMs?: number; holder?: string } = {},
  ): Promise<T> {
    const token = holder ?? randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(this.key('lock'), token, 'PX', leaseMs, 'NX')) !== 'OK') {
      // The holder is the caller (an earlier attempt of the same evaluation): it takes its lock back.
      if (holder && (await renewLease(this.redis, this.key('lock'), token, leaseMs))) break;
      if (Date.now() >= deadline) throw new Error(`insights state is locked by another evaluation for over ${waitMs} ms (${this.key('lock')}); retrying later`);
      await sleep(100);
    }
    try {
      return await fn();
    } finally {
      await releaseLease(this.redis, this.key('lock'), token).catch(() => undefined);
    }
  }
}

/**
 * The budget approval state, for the remediation stage: pass it to `budgetsRequiringApproval` or
 * `approvalsHolding` of @finops/budgets.
 *
 * @example
 * const holding = approvalsHolding(resource, await loadBudgetApprovals(redis, config.redis.prefix));
 */
export function loadBudgetApprovals(redis: Redis, prefix: string): Promise<BudgetApproval[]> {
  return new InsightState(redis, prefix).loadApprovals();
}
