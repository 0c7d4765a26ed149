// Recommendation tracking across scans: each partition's histories and resolutions (its optimize job), then the scan's
// dismissals and folded savings (the report job).
import { findCheck, foldRecommendations } from '@finops/checks';
import type { Config, Recommendation, ResourceKind, ScanError, TimedObservation } from '@finops/core';
import { partitions, type ScanPlan, type ScanStore } from '@finops/queues';
import type { Redis } from 'ioredis';
import { TrackingStore } from './tracking-store.js';
import type { ScopeSnapshot, ScopeState, TrackedHistory, TrackedRecommendation } from './tracking-types.js';

/** What tracking needs from the pipeline: its config, scan store, Redis and clock. */
export interface TrackingDeps {
  config: Config;
  store: ScanStore;
  redis: Redis;
  now: () => Date;
}

/**
 * The tracking store of a deployment: under its Redis prefix, kept optimization.trackingRetentionDays, its scope
 * locks leased as long as a job's lock.
 */
export function trackingStoreFor(deps: Pick<TrackingDeps, 'config' | 'redis'>): TrackingStore {
  return new TrackingStore(deps.redis, {
    prefix: deps.config.redis.prefix,
    retentionDays: deps.config.optimization.trackingRetentionDays,
    lockMs: deps.config.workers.lockDurationMs,
  });
}

/**
 * The recommendations to report for a scan, from every recommendation its optimize jobs stored (and any an applied
 * action already resolved): each carries its history (first seen, last seen, times seen); dismissed ones have
 * status `dismissed` and the dismissal; those the previous scan of a scope found and this one does not are added
 * as `resolved`, only where this scan could judge them (the partition's kind discovered, its metrics fetched,
 * its check run); among open ones, those sharing a resource with a better one are marked `foldedInto` it.
 *
 * The two halves, {@link trackPartition} per (account, region) and {@link finishTracking} over the scan, in one
 * call. Idempotent per scan: a retried report job counts nothing twice and returns the same list.
 */
export async function trackRecommendations(deps: TrackingDeps, plan: ScanPlan, recommendations: readonly Recommendation[]): Promise<Recommendation[]> {
  const fresh = recommendations.filter((r) => r.status !== 'resolved');
  const alreadyResolved = recommendations.filter((r) => r.status === 'resolved');

  // Grouped in one pass, each partition's in their order (a filter per partition would walk all of them 16 times).
  const byPartition = new Map<string, Map<string, Recommendation[]>>();
  for (const r of fresh) {
    const regions = byPartition.get(r.accountId) ?? new Map<string, Recommendation[]>();
    byPartition.set(r.accountId, regions);
    const list = regions.get(r.region) ?? [];
    regions.set(r.region, list);
    list.push(r);
  }
  const tracked: Recommendation[] = [];
  for (const { accountId, region } of partitions(plan)) {
    const observations = await deps.store.loadObservations(plan.scanId, accountId, region);
    const result = await trackPartition(deps, plan, { accountId, region, recommendations: byPartition.get(accountId)?.get(region) ?? [], observations });
    // A loop, not push(...result): spreading a very large partition's list as arguments overflows the stack.
    for (const r of result) tracked.push(r);
  }
  // Recommendations of partitions outside the plan cannot exist; keep anything unexpected rather than drop it.
  for (const r of fresh) if (!plan.accounts.includes(r.accountId) || !plan.regions.includes(r.region)) tracked.push(r);
  return finishTracking(deps, tracked, alreadyResolved);
}

/** One partition's findings as its optimize job saw them. */
export interface PartitionFindings {
  accountId: string;
  region: string;
  /** What the partition's checks found (none resolved). */
  recommendations: readonly Recommendation[];
  /** The timed conditions the optimize job saw hold; undefined when the partition's optimize job did not run. */
  observations: readonly TimedObservation[] | undefined;
}

/**
 * One partition's tracking, under its scope's lock: each finding with its history, plus the previous scan's
 * findings this one could judge and no longer found, as `resolved`. Idempotent per scan and scope: a retried job
 * counts nothing twice and returns the same list.
 *
 * On a plan with `trackedByKind`, each resource kind of `kinds` (default: the plan's) is a scope of its own, so a
 * check job tracks its group's kinds as soon as it has checked them, while other kinds are still being listed;
 * `findings` then hold only those kinds' recommendations and observations. On an earlier plan the partition is one
 * scope, tracked by its optimize job once all its checks are done (or by the report job when that left nothing).
 */
export async function trackPartition(deps: TrackingDeps, plan: ScanPlan, findings: PartitionFindings, kinds?: readonly ResourceKind[]): Promise<Recommendation[]> {
  const tracking = trackingStoreFor(deps);
  const { accountId, region, observations, recommendations } = findings;
  const errors = await deps.store.errors(plan.scanId);
  const isReportable = (r: Recommendation) => reportable(deps.config, r);
  if (!plan.trackedByKind) {
    const judged = judgedBy(deps.config, plan, errors, accountId, region, observations !== undefined);
    return tracking.withScopeLock(accountId, region, () =>
      trackScope(tracking, plan, { accountId, region, recommendations, observations: observations ?? [], judged, reportable: isReportable }),
    );
  }
  const scopes = kinds ?? plan.kinds;
  const stray = recommendations.find((r) => !scopes.includes(r.resourceKind));
  if (stray) throw new Error(`tracking ${accountId}/${region} for ${scopes.join(', ')} was handed ${stray.id}, a finding on a ${stray.resourceKind}`);
  const out: Recommendation[] = [];
  for (const kind of scopes) {
    const judged = judgedBy(deps.config, plan, errors, accountId, region, observations !== undefined, kind);
    const tracked = await tracking.withScopeLock(
      accountId,
      region,
      () =>
        trackScope(tracking, plan, {
          accountId,
          region,
          kind,
          recommendations: recommendations.filter((r) => r.resourceKind === kind),
          observations: (observations ?? []).filter((o) => o.resourceKind === kind),
          judged,
          reportable: isReportable,
        }),
      kind,
    );
    // A loop, not push(...tracked): spreading a very large list as arguments overflows the stack.
    for (const r of tracked) out.push(r);
  }
  return out;
}

/**
 * The end of tracking, over tracked lists: dismissals applied (open-ended ones kept alive), resolutions by an applied
 * action (`alreadyResolved`) preferred to "no longer found", and open alternatives on the same resource folded into
 * the best one. Over the whole scan's lists, or one partition's at a time (as the report job runs it, with the
 * action's resolutions applied apart): a dismissal is per recommendation and alternatives share a resource, which
 * lives in one partition.
 */
export async function finishTracking(deps: TrackingDeps, tracked: readonly Recommendation[], alreadyResolved: readonly Recommendation[]): Promise<Recommendation[]> {
  const tracking = trackingStoreFor(deps);
  const dismissals = await tracking.dismissals(
    tracked.filter((r) => r.status !== 'resolved').map((r) => r.id),
    deps.now(),
  );
  await tracking.refreshDismissals([...dismissals].filter(([, d]) => !d.until).map(([id]) => id));
  const withDismissals = tracked.map((r): Recommendation => {
    const dismissal = r.status === 'resolved' ? undefined : dismissals.get(r.id);
    if (!dismissal) return r;
    return {
      ...r,
      status: 'dismissed',
      suppression: { by: 'dismissal', reason: dismissal.reason, at: dismissal.at, ...(dismissal.until ? { until: dismissal.until } : {}) },
    };
  });

  // An applied action's resolution says more (which action) than "no longer found": it wins, with the history.
  const byId = new Map(withDismissals.map((r) => [r.id, r]));
  for (const r of alreadyResolved) byId.set(r.id, { ...r, ...(byId.get(r.id)?.tracking ? { tracking: byId.get(r.id)?.tracking } : {}) });
  const all = [...byId.values()];

  const folded = foldRecommendations(all.filter((r) => r.status === 'open'));
  return all.map((r) => (folded.has(r.id) ? { ...r, foldedInto: folded.get(r.id) } : r));
}

type Judged = (checkId: string, kind: ResourceKind) => boolean;

/**
 * Whether this scan would have reported a recommendation it found again: one now under optimization's savings
 * floor or outside its risk levels is filtered out, not gone.
 */
function reportable(config: Config, r: Recommendation): boolean {
  const informational = findCheck(r.checkId)?.informational === true;
  return (informational || r.monthlySavingsUsd >= config.optimization.minMonthlySavingsUsd) && config.optimization.riskLevels.includes(r.risk);
}

/**
 * Whether this scan could have found a (check, kind) in a partition: only then does not finding it mean the waste
 * is gone. Not when the partition's optimize job left no trace, the kind was not scanned or its discovery failed,
 * the check is disabled or unknown, it reads metrics and the partition's analysis failed (of `kind`, when tracking
 * one kind: another kind's analysis may not even have ended), or it failed itself.
 */
function judgedBy(config: Config, plan: ScanPlan, errors: readonly ScanError[], accountId: string, region: string, optimized: boolean, kind?: ResourceKind): Judged {
  const here = errors.filter((e) => e.accountId === accountId && e.region === region);
  const failedKinds = new Set(here.filter((e) => e.stage === 'discovery').map((e) => e.kind));
  const analysisFailed = here.some((e) => e.stage === 'analysis' && (kind === undefined || e.kind === undefined || e.kind === kind));
  const failedChecks = new Set(here.filter((e) => e.stage === 'optimization').map((e) => e.kind));
  return (checkId, kind) => {
    const check = findCheck(checkId);
    return (
      optimized &&
      check !== undefined &&
      config.checks[checkId]?.enabled !== false &&
      plan.kinds.includes(kind) &&
      !failedKinds.has(kind) &&
      !(analysisFailed && check.lookback !== 'none') &&
      !failedChecks.has(checkId)
    );
  };
}

interface ScopeInput {
  accountId: string;
  region: string;
  /** The resource kind whose scope this is; absent: the whole partition (plans without `trackedByKind`). */
  kind?: ResourceKind;
  recommendations: readonly Recommendation[];
  observations: readonly TimedObservation[];
  judged: Judged;
  reportable: (r: Recommendation) => boolean;
}

/** One scope's update under its lock: returns its recommendations with history, and the ones it resolved. */
async function trackScope(tracking: TrackingStore, plan: ScanPlan, input: ScopeInput): Promise<Recommendation[]> {
  const { scanId, startedAt } = plan;
  const { kind } = input;
  const own = await tracking.scope(input.accountId, input.region, kind);
  // A kind without a state of its own takes over its share of the partition's, from scans that tracked partitions.
  const inherited = kind !== undefined && own === undefined;
  const state = inherited ? await tracking.scope(input.accountId, input.region) : own;
  const retry = state?.scanId === scanId;
  // A scan that reports after a newer one of the same scope must not roll the comparison back.
  const stale = !retry && state !== undefined && Date.parse(state.startedAt) > Date.parse(startedAt);
  let previous: ScopeSnapshot | undefined = stale ? undefined : retry ? state?.previous : state;

  const currentIds = new Set(input.recommendations.map((r) => r.id));
  // Findings found again need only their histories; the recommendation a record last saw is read only for the
  // previous scan's findings that are gone, to report them resolved.
  const histories = await tracking.histories([...currentIds]);
  const records = await tracking.getMany((previous?.recommendationIds ?? []).filter((id) => !currentIds.has(id)));
  if (inherited && previous) {
    // The partition's other kinds are not this scope's: neither resolved nor carried here.
    previous = {
      ...previous,
      recommendationIds: previous.recommendationIds.filter((id) => currentIds.has(id) || records.get(id)?.recommendation.resourceKind === kind),
      observations: previous.observations.filter((o) => o.resourceKind === kind),
    };
  }
  const changed: TrackedRecommendation[] = [];
  const out: Recommendation[] = [];

  for (const r of input.recommendations) {
    const history = histories.get(r.id);
    // An earlier attempt of this report already counted it: nothing to write again.
    const next = history?.lastScanId === scanId ? undefined : sighting(r, history, scanId, startedAt);
    if (next) changed.push(next);
    const seen = next ?? (history as TrackedHistory);
    out.push({ ...r, tracking: { firstSeenAt: seen.firstSeenAt, lastSeenAt: seen.lastSeenAt, seenCount: seen.seenCount } });
  }

  const carried: string[] = [];
  for (const id of previous?.recommendationIds ?? []) {
    if (currentIds.has(id)) continue;
    const record = records.get(id);
    // Expired: nothing left to resolve.
    if (!record) continue;
    const last = record.recommendation;
    if (!input.judged(last.checkId, last.resourceKind) || !input.reportable(last)) {
      carried.push(id);
      continue;
    }
    let resolved: TrackedRecommendation | undefined;
    if (record.status === 'resolved' && record.resolvedScanId === scanId) resolved = record;
    else if (record.status === 'open') {
      resolved = { ...record, status: 'resolved', resolvedAt: startedAt, resolvedScanId: scanId };
      changed.push(resolved);
    }
    if (resolved) {
      const { suppression: _suppression, foldedInto: _folded, ...rest } = resolved.recommendation;
      out.push({
        ...rest,
        status: 'resolved',
        tracking: { firstSeenAt: resolved.firstSeenAt, lastSeenAt: resolved.lastSeenAt, seenCount: resolved.seenCount, resolvedAt: startedAt },
      });
    }
  }

  // "First seen" of timed conditions: kept while they hold, forgotten when a scan that could see them does not.
  const observedIds = new Set(input.observations.map((o) => o.id));
  const gone = (previous?.observations ?? []).filter((o) => !observedIds.has(o.id));
  const forgotten = gone.filter((o) => input.judged(o.checkId, o.resourceKind));
  const carriedObservations = gone.filter((o) => !input.judged(o.checkId, o.resourceKind));
  await tracking.observe([...observedIds], startedAt);
  await tracking.forget(forgotten.map((o) => o.id));
  await tracking.put(changed);

  if (!stale) {
    const snapshot: ScopeSnapshot = {
      scanId,
      startedAt,
      recommendationIds: [...currentIds, ...carried],
      observations: [...input.observations, ...carriedObservations],
    };
    const next: ScopeState = previous ? { ...snapshot, previous: withoutPrevious(previous) } : snapshot;
    await tracking.putScope(input.accountId, input.region, next, kind);
  }
  return out;
}

/** A finding's record once this scan has seen it: new, back after it was resolved ("since" starts again), or seen again. */
function sighting(r: Recommendation, history: TrackedHistory | undefined, scanId: string, startedAt: string): TrackedRecommendation {
  if (!history || history.status === 'resolved') {
    return { id: r.id, status: 'open', firstSeenAt: startedAt, lastSeenAt: startedAt, seenCount: 1, lastScanId: scanId, recommendation: r };
  }
  return {
    ...history,
    lastSeenAt: startedAt > history.lastSeenAt ? startedAt : history.lastSeenAt,
    firstSeenAt: startedAt < history.firstSeenAt ? startedAt : history.firstSeenAt,
    seenCount: history.seenCount + 1,
    lastScanId: scanId,
    recommendation: r,
  };
}

function withoutPrevious(state: ScopeSnapshot | ScopeState): ScopeSnapshot {
  const { scanId, startedAt, recommendationIds, observations } = state;
  return { scanId, startedAt, recommendationIds, observations };
}
