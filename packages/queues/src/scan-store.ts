// Per-scan data in Redis: the plan, inventory, metrics, recommendations, errors and API usage, passed by reference.
import type { Redis } from 'ioredis';
import type {
  ApiCallCounts,
  CostDataset,
  Recommendation,
  RecommendationTracking,
  Resource,
  ResourceKind,
  ResourceMetrics,
  ScanError,
  TimedObservation,
} from '@finops/core';
import { decodeBlob, encodeBlob } from './blob-codec.js';
import { scanPlanSchema, type ScanPlan } from './scan-plan.js';

export type ScanStatus = 'running' | 'completed' | 'failed';

export interface ScanRecord {
  plan: ScanPlan;
  status: ScanStatus;
  finishedAt?: string;
  reportDir?: string;
  failure?: string;
}

/** What one job spent on AWS; summed per scan. */
export interface StoredApiUsage {
  calls: ApiCallCounts;
  throttled: number;
  metricsRequested: number;
  costExplorerRequests: number;
}

/** One check job's result: what the checks of its group found, and the timed conditions they saw hold. */
export interface CheckedGroup {
  recommendations: Recommendation[];
  observations: TimedObservation[];
}

/**
 * What a partition's optimize job saves: the tracking of the findings its check groups saved (by recommendation id)
 * and the previous scan's findings it resolved. The findings themselves stay in the groups' blobs, written once.
 */
export interface PartitionTracking {
  /** The check groups whose findings (saveChecked) are the partition's, in order. */
  groups: ResourceKind[][];
  tracking: Record<string, RecommendationTracking>;
  resolved: Recommendation[];
}

/**
 * What a check job tracked of its group (ScanPlan.trackedByKind): its findings' tracking by id, the previous scan's
 * findings of its kinds it resolved, the timed conditions it saw hold and its open findings' totals. The partition's
 * optimize job joins its groups' into the partition's PartitionTracking and observations without reading the findings.
 */
export interface GroupTracking {
  tracking: Record<string, RecommendationTracking>;
  resolved: Recommendation[];
  observations: TimedObservation[];
  open: { recommendations: number; monthlySavingsUsd: number };
}

export interface ScanStoreOptions {
  /** The hash-tagged prefix shared with the queues, so a scan's keys and its jobs live in one cluster slot. */
  prefix: string;
  /** How long a scan's data is kept. */
  ttlSeconds: number;
}

/**
 * Large results travel by reference: a job stores its output under the scan's keys and returns a small summary.
 * Writes are idempotent per (scan, partition, stage), so a retried or re-run job overwrites instead of duplicating.
 */
export class ScanStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: ScanStoreOptions,
  ) {}

  private key(scanId: string, ...parts: string[]): string {
    return [this.options.prefix, 'scan', scanId, ...parts].join(':');
  }

  private get indexKey(): string {
    return `${this.options.prefix}:scans`;
  }

  /**
   * `packed`: MessagePack for the large lists of the platform's own making that later jobs read (metric summaries,
   * findings, tracking); inventories (what AWS answered, tags and all) and the rest stay JSON (encodeBlob).
   */
  private async putBlob(key: string, value: unknown, packed = false): Promise<void> {
    await this.redis.set(key, encodeBlob(value, { packed }), 'EX', this.options.ttlSeconds);
  }

  private async getBlob<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.getBuffer(key);
    return raw ? decodeBlob<T>(raw) : undefined;
  }

  /** The lists stored per kind of one partition (inventory, metrics), concatenated; a kind not stored adds none. */
  private async perKind<T>(scanId: string, what: 'inventory' | 'metrics', accountId: string, region: string, kinds: readonly ResourceKind[]): Promise<T[]> {
    const lists = await Promise.all(kinds.map((kind) => this.getBlob<T[]>(this.key(scanId, what, accountId, region, kind))));
    return lists.flatMap((list) => list ?? []);
  }

  async createScan(plan: ScanPlan): Promise<void> {
    const key = this.key(plan.scanId);
    await this.redis
      .multi()
      .hset(key, { plan: JSON.stringify(scanPlanSchema.parse(plan)), status: 'running' })
      .expire(key, this.options.ttlSeconds)
      .zadd(this.indexKey, Date.parse(plan.startedAt), plan.scanId)
      .exec();
  }

  async getScan(scanId: string): Promise<ScanRecord | undefined> {
    const fields = await this.redis.hgetall(this.key(scanId));
    if (!fields.plan) return undefined;
    return {
      plan: scanPlanSchema.parse(JSON.parse(fields.plan)),
      status: (fields.status as ScanStatus) ?? 'running',
      finishedAt: fields.finishedAt || undefined,
      reportDir: fields.reportDir || undefined,
      failure: fields.failure || undefined,
    };
  }

  /** Scan ids, newest first. Ids whose data expired are dropped from the index as they are met. */
  async listScans(limit = 20): Promise<ScanRecord[]> {
    const ids = await this.redis.zrevrange(this.indexKey, 0, limit - 1);
    const records: ScanRecord[] = [];
    for (const id of ids) {
      const record = await this.getScan(id);
      if (record) records.push(record);
      else await this.redis.zrem(this.indexKey, id);
    }
    return records;
  }

  async completeScan(scanId: string, fields: { finishedAt: string; reportDir: string }): Promise<void> {
    await this.redis.hset(this.key(scanId), { status: 'completed', ...fields });
  }

  async failScan(scanId: string, failure: string): Promise<void> {
    await this.redis.hset(this.key(scanId), { status: 'failed', failure });
  }

  async saveInventory(scanId: string, accountId: string, region: string, kind: ResourceKind, resources: Resource[]): Promise<void> {
    await this.putBlob(this.key(scanId, 'inventory', accountId, region, kind), resources);
    const countsKey = this.key(scanId, 'counts');
    await this.redis.multi().hset(countsKey, `${accountId}|${region}|${kind}`, resources.length).expire(countsKey, this.options.ttlSeconds).exec();
  }

  /**
   * A kind's resources as listed, before the calls a collector makes per resource complete them: what its analysis
   * job reads if it runs before the discovery job's saveInventory replaces them. Not counted as discovered.
   */
  async saveListing(scanId: string, accountId: string, region: string, kind: ResourceKind, resources: readonly Resource[]): Promise<void> {
    await this.putBlob(this.key(scanId, 'inventory', accountId, region, kind), resources);
  }

  /**
   * Drops a listing saveListing stored when the discovery fails after all: the checks must not take resources whose
   * per-resource calls (tags, which exclude resources from findings) never completed for the kind's inventory.
   */
  async dropListing(scanId: string, accountId: string, region: string, kind: ResourceKind): Promise<void> {
    await this.redis.del(this.key(scanId, 'inventory', accountId, region, kind));
  }

  /** Resources of one partition for the given kinds; kinds not discovered (yet, or after an error) are absent. */
  async loadInventory(scanId: string, accountId: string, region: string, kinds: readonly ResourceKind[]): Promise<Resource[]> {
    return this.perKind<Resource>(scanId, 'inventory', accountId, region, kinds);
  }

  /** Resource counts per (account, region, kind) discovered so far. */
  async inventoryCounts(scanId: string): Promise<{ accountId: string; region: string; kind: ResourceKind; count: number }[]> {
    const fields = await this.redis.hgetall(this.key(scanId, 'counts'));
    return Object.entries(fields).map(([field, count]) => {
      const [accountId, region, kind] = field.split('|') as [string, string, ResourceKind];
      return { accountId, region, kind, count: Number(count) };
    });
  }

  /** The metrics of one kind in one partition: analysis runs per (account, region, kind). */
  async saveMetrics(scanId: string, accountId: string, region: string, kind: ResourceKind, metrics: ResourceMetrics[]): Promise<void> {
    await this.putBlob(this.key(scanId, 'metrics', accountId, region, kind), metrics, true);
  }

  /** The metrics of a partition's `kinds`; a kind not analysed (yet, or ever) adds none. */
  async loadMetrics(scanId: string, accountId: string, region: string, kinds: readonly ResourceKind[]): Promise<ResourceMetrics[]> {
    return this.perKind<ResourceMetrics>(scanId, 'metrics', accountId, region, kinds);
  }

  async saveRecommendations(scanId: string, accountId: string, region: string, recommendations: Recommendation[]): Promise<void> {
    await this.putBlob(this.key(scanId, 'recommendations', accountId, region), recommendations, true);
  }

  /**
   * A partition's recommendations: its check groups' findings with their tracking, then those it resolved, when its
   * optimize job saved tracking (saveTracking); otherwise the list saveRecommendations stored (an earlier version's
   * optimize job), or none.
   */
  async loadRecommendations(scanId: string, accountId: string, region: string): Promise<Recommendation[]> {
    const tracked = await this.getBlob<PartitionTracking>(this.key(scanId, 'tracking', accountId, region));
    if (!tracked) return (await this.getBlob<Recommendation[]>(this.key(scanId, 'recommendations', accountId, region))) ?? [];
    const out: Recommendation[] = [];
    for (const kinds of tracked.groups) {
      const checked = await this.loadChecked(scanId, accountId, region, kinds);
      if (!checked) {
        throw new Error(`scan ${scanId}: the findings of check group ${kinds.join('+')} in ${accountId}/${region} are gone (expired with the scan's data?) although its tracking is stored`);
      }
      for (const r of checked.recommendations) {
        // Parsed just now and held by no one else: set in place rather than copying 5,000 objects per partition.
        const tracking = tracked.tracking[r.id];
        if (tracking) r.tracking = tracking;
        out.push(r);
      }
    }
    for (const r of tracked.resolved) out.push(r);
    return out;
  }

  /**
   * A partition's tracking, saved by its optimize job once its findings are tracked: loadRecommendations then returns
   * them tracked, and isTracked is true.
   */
  async saveTracking(scanId: string, accountId: string, region: string, tracking: PartitionTracking): Promise<void> {
    await this.putBlob(this.key(scanId, 'tracking', accountId, region), tracking, true);
  }

  /**
   * What one check job found in its group of kinds (ScanPlan.checkGroups): the recommendations and the timed
   * conditions it saw hold, for the partition's optimize job to track. A retried check job overwrites its own.
   */
  async saveChecked(scanId: string, accountId: string, region: string, kinds: readonly ResourceKind[], checked: CheckedGroup): Promise<void> {
    await this.putBlob(this.key(scanId, 'checked', accountId, region, kinds.join('+')), checked, true);
  }

  /** What a check job tracked of its group; a retried check job overwrites its own. */
  async saveGroupTracking(scanId: string, accountId: string, region: string, kinds: readonly ResourceKind[], tracked: GroupTracking): Promise<void> {
    await this.putBlob(this.key(scanId, 'group-tracking', accountId, region, kinds.join('+')), tracked, true);
  }

  /** Undefined when the group's check job tracked nothing (it did not run, or its plan tracks partitions). */
  async loadGroupTracking(scanId: string, accountId: string, region: string, kinds: readonly ResourceKind[]): Promise<GroupTracking | undefined> {
    return this.getBlob<GroupTracking>(this.key(scanId, 'group-tracking', accountId, region, kinds.join('+')));
  }

  /** Undefined when the group's check job saved nothing (it did not run). */
  async loadChecked(scanId: string, accountId: string, region: string, kinds: readonly ResourceKind[]): Promise<CheckedGroup | undefined> {
    return this.getBlob<CheckedGroup>(this.key(scanId, 'checked', accountId, region, kinds.join('+')));
  }

  /**
   * Whether the partition's stored recommendations are tracked: its optimize job saved tracking, or (an earlier
   * version's) saved the tracked list and marked it `tracked`. The report job tracks an untracked partition itself.
   */
  async isTracked(scanId: string, accountId: string, region: string): Promise<boolean> {
    return (await this.redis.exists(this.key(scanId, 'tracking', accountId, region), this.key(scanId, 'tracked', accountId, region))) > 0;
  }

  /**
   * The timed conditions (a volume unattached, an instance stopped) the optimize job saw hold in one partition;
   * the report stage turns them into "first seen" times that outlive the scan.
   */
  async saveObservations(scanId: string, accountId: string, region: string, observations: TimedObservation[]): Promise<void> {
    await this.putBlob(this.key(scanId, 'observations', accountId, region), observations);
  }

  /** Undefined when the partition's optimize job saved none (it did not run). */
  async loadObservations(scanId: string, accountId: string, region: string): Promise<TimedObservation[] | undefined> {
    return this.getBlob<TimedObservation[]>(this.key(scanId, 'observations', accountId, region));
  }

  /** The scan's daily costs (one dataset per scan, written by its `costs` job). */
  async saveCosts(scanId: string, costs: CostDataset): Promise<void> {
    await this.putBlob(this.key(scanId, 'costs'), costs);
  }

  /** Undefined when the scan fetched no costs (disabled, not permitted, or not yet). */
  async loadCosts(scanId: string): Promise<CostDataset | undefined> {
    return this.getBlob<CostDataset>(this.key(scanId, 'costs'));
  }

  /**
   * Records an error against a partition. Keyed by stage, account, region and kind: a retried job replaces its
   * earlier error instead of adding a second one; `clearError` removes it when the retry succeeds.
   */
  async recordError(scanId: string, error: ScanError): Promise<void> {
    const key = this.key(scanId, 'errors');
    await this.redis.multi().hset(key, errorField(error), JSON.stringify(error)).expire(key, this.options.ttlSeconds).exec();
  }

  async clearError(scanId: string, where: Pick<ScanError, 'stage' | 'accountId' | 'region' | 'kind'>): Promise<void> {
    await this.redis.hdel(this.key(scanId, 'errors'), errorField(where));
  }

  async errors(scanId: string): Promise<ScanError[]> {
    const fields = await this.redis.hvals(this.key(scanId, 'errors'));
    return fields.map((f) => JSON.parse(f) as ScanError).sort((a, b) => errorField(a).localeCompare(errorField(b)));
  }

  /**
   * Records the AWS calls of one job attempt. Keyed by job id and attempt: the same attempt recorded twice counts
   * once, while a retry's calls (which AWS did receive) are counted.
   */
  async recordUsage(scanId: string, jobId: string, attempt: number, usage: StoredApiUsage): Promise<void> {
    const key = this.key(scanId, 'usage');
    await this.redis.multi().hset(key, `${jobId}#${attempt}`, JSON.stringify(usage)).expire(key, this.options.ttlSeconds).exec();
  }

  /** Each job's usage, every attempt added up, by job id: what one job (one kind's analysis, say) spent. */
  async usageByJob(scanId: string): Promise<Map<string, StoredApiUsage>> {
    const byJob = new Map<string, StoredApiUsage>();
    for (const [field, raw] of Object.entries(await this.redis.hgetall(this.key(scanId, 'usage')))) {
      const jobId = field.slice(0, field.lastIndexOf('#'));
      byJob.set(jobId, addUsage(byJob.get(jobId) ?? emptyUsage(), JSON.parse(raw) as StoredApiUsage));
    }
    return byJob;
  }

  /** The scan's API usage over all its jobs, operations in name order (Redis hands the jobs over in any order). */
  async usage(scanId: string): Promise<StoredApiUsage> {
    let total = emptyUsage();
    for (const raw of await this.redis.hvals(this.key(scanId, 'usage'))) total = addUsage(total, JSON.parse(raw) as StoredApiUsage);
    total.calls = Object.fromEntries(Object.entries(total.calls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return total;
  }
}

function errorField(e: Pick<ScanError, 'stage' | 'accountId' | 'region' | 'kind'>): string {
  return [e.stage, e.accountId ?? '-', e.region ?? '-', e.kind ?? '-'].join('|');
}

function emptyUsage(): StoredApiUsage {
  return { calls: {}, throttled: 0, metricsRequested: 0, costExplorerRequests: 0 };
}

/** `total` with `u` added to it (changed in place, and returned). */
function addUsage(total: StoredApiUsage, u: StoredApiUsage): StoredApiUsage {
  for (const [op, n] of Object.entries(u.calls)) total.calls[op] = (total.calls[op] ?? 0) + n;
  total.throttled += u.throttled;
  total.metricsRequested += u.metricsRequested;
  total.costExplorerRequests += u.costExplorerRequests;
  return total;
}
