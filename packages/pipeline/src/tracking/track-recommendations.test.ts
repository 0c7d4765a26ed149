// Tracking across scans on a real Redis: histories, retries counted once, resolutions only where a scan could see,
// "first seen" of timed conditions, dismissals, and folded alternatives.
import { recommendationId } from '@finops/checks';
import { configSchema, type ConfigInput, type Recommendation, type TimedObservation } from '@finops/core';
import { ScanStore, type ScanPlan } from '@finops/queues';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../../test/support/redis.js';
import { dismissRecommendation, parseDismissUntil } from './dismiss.js';
import { trackingStoreFor, trackPartition, trackRecommendations, type TrackingDeps } from './track-recommendations.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

function rec(resourceId: string, checkId: string, monthlySavingsUsd: number, overrides: Partial<Recommendation> = {}): Recommendation {
  return {
    id: recommendationId({ accountId: ACCOUNT, region: REGION, resourceId, checkId }),
    checkId,
    resourceId,
    resourceKind: checkId.startsWith('ebs') ? 'ebs-volume' : 'ec2-instance',
    tags: {},
    accountId: ACCOUNT,
    region: REGION,
    monthlySavingsUsd,
    risk: 'low',
    confidence: 1,
    action: { type: 'x.do', description: 'Do it.', params: {} },
    status: 'open',
    reason: 'because',
    evidence: {},
    priceConfidence: 'exact',
    ...overrides,
  };
}

describe('trackRecommendations', () => {
  let redis: Redis;
  const prefixes: string[] = [];

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    for (const prefix of prefixes) await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  /** A fresh deployment (its own prefix) and a way to run scans through it at chosen times. */
  function deployment(configInput: ConfigInput = {}) {
    const prefix = uniquePrefix('tracking');
    prefixes.push(prefix);
    const config = configSchema.parse({ redis: { prefix }, ...configInput });
    const store = new ScanStore(redis, { prefix, ttlSeconds: 3600 });
    let clock = new Date('2026-11-01T06:00:00.000Z');
    const deps: TrackingDeps = { config, store, redis, now: () => clock };
    let n = 0;
    const scan = async (
      at: string,
      recommendations: Recommendation[],
      {
        observations = [],
        errors = [],
        kinds = ['ec2-instance', 'ebs-volume'],
        scanId,
        trackedByKind,
      }: { observations?: TimedObservation[]; errors?: Parameters<ScanStore['recordError']>[1][]; kinds?: ScanPlan['kinds']; scanId?: string; trackedByKind?: true } = {},
    ) => {
      clock = new Date(at);
      n += 1;
      const plan: ScanPlan = {
        scanId: scanId ?? `scan-${n}`,
        startedAt: at,
        provider: 'simulated',
        dryRun: true,
        accounts: [ACCOUNT],
        regions: [REGION],
        kinds,
        trigger: 'test',
        ...(trackedByKind ? { checkGroups: kinds.map((k) => [k]), trackedByKind } : {}),
      };
      await store.createScan(plan);
      await store.saveRecommendations(plan.scanId, ACCOUNT, REGION, recommendations);
      await store.saveObservations(plan.scanId, ACCOUNT, REGION, observations);
      for (const error of errors) await store.recordError(plan.scanId, error);
      return { plan, result: await trackRecommendations(deps, plan, recommendations) };
    };
    return { deps, scan, tracking: trackingStoreFor(deps) };
  }

  it('keeps a history per fingerprint and counts a retried report once', async () => {
    const { scan, deps } = deployment();
    const volume = rec('vol-1', 'ebs-unattached-volume', 5);
    const first = await scan('2026-11-01T06:00:00.000Z', [volume]);
    expect(first.result[0]?.tracking).toEqual({ firstSeenAt: '2026-11-01T06:00:00.000Z', lastSeenAt: '2026-11-01T06:00:00.000Z', seenCount: 1 });
    const second = await scan('2026-11-02T06:00:00.000Z', [volume]);
    expect(second.result[0]?.tracking).toEqual({ firstSeenAt: '2026-11-01T06:00:00.000Z', lastSeenAt: '2026-11-02T06:00:00.000Z', seenCount: 2 });
    // The same report job again: nothing counted twice, the same answer.
    expect(await trackRecommendations(deps, second.plan, [volume])).toEqual(second.result);
  });

  it('tracks a scope of thousands across several write transactions, each record once', async () => {
    const { scan, deps, tracking } = deployment();
    const volumes = Array.from({ length: 2600 }, (_, i) => rec(`vol-${i}`, 'ebs-unattached-volume', 30 + (i % 7)));
    await scan('2026-11-01T06:00:00.000Z', volumes);
    const kept = volumes.filter((_, i) => i % 10 !== 3);
    const second = await scan('2026-11-02T06:00:00.000Z', kept);
    expect(second.result.filter((r) => r.status === 'open').map((r) => r.tracking?.seenCount)).toEqual(kept.map(() => 2));
    expect(second.result.filter((r) => r.status === 'resolved')).toHaveLength(volumes.length - kept.length);
    expect(await trackRecommendations(deps, second.plan, kept)).toEqual(second.result);
    const records = await tracking.getMany([...volumes.map((v) => v.id), ...volumes.map((v) => v.id)]);
    expect(records.size).toBe(volumes.length);
    expect([...records.values()].filter((r) => r.status === 'open').every((r) => r.seenCount === 2 && r.lastScanId === second.plan.scanId)).toBe(true);
    expect(await tracking.list({ limit: 3000 })).toHaveLength(volumes.length);
  });

  it('keeps each history apart from the recommendation it last saw, and reads records an earlier version wrote whole', async () => {
    const { scan, deps, tracking } = deployment();
    const volume = rec('vol-split', 'ebs-unattached-volume', 5);
    await scan('2026-11-01T06:00:00.000Z', [volume]);
    const key = (what: string, id: string) => `${deps.config.redis.prefix}:tracking:${what}:${id}`;
    const history = JSON.parse((await redis.get(key('rec', volume.id)))!) as Record<string, unknown>;
    expect(history).toEqual({ id: volume.id, status: 'open', firstSeenAt: '2026-11-01T06:00:00.000Z', lastSeenAt: '2026-11-01T06:00:00.000Z', seenCount: 1, lastScanId: 'scan-1' });
    expect(JSON.parse((await redis.get(key('body', volume.id)))!)).toEqual(volume);
    expect(await redis.ttl(key('body', volume.id))).toBeGreaterThan(0);

    // As the previous version stored it: one record holding the history and the recommendation.
    const older = rec('vol-whole', 'ebs-unattached-volume', 7);
    const whole = { id: older.id, status: 'open', firstSeenAt: '2026-10-01T06:00:00.000Z', lastSeenAt: '2026-10-31T06:00:00.000Z', seenCount: 9, lastScanId: 'scan-0', recommendation: older };
    await redis.set(key('rec', older.id), JSON.stringify(whole));
    expect(await tracking.get(older.id)).toEqual(whole);
    const { recommendation: _r, ...olderHistory } = whole;
    expect((await tracking.histories([older.id])).get(older.id)).toEqual(olderHistory);
    // Found again, it is counted on and written the new way.
    const next = await scan('2026-11-02T06:00:00.000Z', [volume, older]);
    expect(next.result.find((r) => r.id === older.id)?.tracking).toEqual({ firstSeenAt: '2026-10-01T06:00:00.000Z', lastSeenAt: '2026-11-02T06:00:00.000Z', seenCount: 10 });
    expect(JSON.parse((await redis.get(key('rec', older.id)))!)).not.toHaveProperty('recommendation');
    expect(await tracking.get(older.id)).toMatchObject({ seenCount: 10, recommendation: older });
  });

  it('resolves what the previous scan found and this one does not, and reopens with a new history', async () => {
    const { scan, deps } = deployment();
    const a = rec('vol-a', 'ebs-unattached-volume', 5);
    const b = rec('vol-b', 'ebs-unattached-volume', 7);
    await scan('2026-11-01T06:00:00.000Z', [a, b]);
    const second = await scan('2026-11-02T06:00:00.000Z', [a]);
    expect(second.result.map((r) => [r.resourceId, r.status])).toEqual([['vol-a', 'open'], ['vol-b', 'resolved']]);
    expect(second.result[1]?.tracking).toMatchObject({ firstSeenAt: '2026-11-01T06:00:00.000Z', seenCount: 1, resolvedAt: '2026-11-02T06:00:00.000Z' });
    // A retry lists the same resolution; the scan after does not list it again.
    expect(await trackRecommendations(deps, second.plan, [a])).toEqual(second.result);
    const third = await scan('2026-11-03T06:00:00.000Z', [a]);
    expect(third.result.map((r) => r.resourceId)).toEqual(['vol-a']);
    // Back again: a new history.
    const fourth = await scan('2026-11-04T06:00:00.000Z', [a, b]);
    expect(fourth.result[1]?.tracking).toEqual({ firstSeenAt: '2026-11-04T06:00:00.000Z', lastSeenAt: '2026-11-04T06:00:00.000Z', seenCount: 1 });
  });

  it('does not resolve what the scan could not see: failed discovery, unscanned kinds, failed analysis for metric checks', async () => {
    const { scan } = deployment();
    const volume = rec('vol-a', 'ebs-unattached-volume', 5);
    const idle = rec('i-1', 'ec2-idle-instance', 70);
    await scan('2026-11-01T06:00:00.000Z', [volume, idle]);
    const blind = await scan('2026-11-02T06:00:00.000Z', [], {
      errors: [
        { stage: 'discovery', accountId: ACCOUNT, region: REGION, kind: 'ebs-volume', code: 'UnauthorizedOperation', message: 'denied', at: '2026-11-02T06:00:01.000Z' },
        { stage: 'analysis', accountId: ACCOUNT, region: REGION, code: 'Throttling', message: 'slow down', at: '2026-11-02T06:00:02.000Z' },
      ],
    });
    expect(blind.result).toEqual([]);
    const narrow = await scan('2026-11-03T06:00:00.000Z', [], { kinds: ['ec2-instance'] });
    // The instance check could judge now (metrics fetched); the volume kind was not scanned.
    expect(narrow.result.map((r) => [r.resourceId, r.status])).toEqual([['i-1', 'resolved']]);
    const full = await scan('2026-11-04T06:00:00.000Z', []);
    expect(full.result.map((r) => [r.resourceId, r.status])).toEqual([['vol-a', 'resolved']]);
  });

  it('does not resolve what a raised savings floor or narrower risk levels now filter out', async () => {
    const small = rec('vol-a', 'ebs-unattached-volume', 2);
    const risky = rec('vol-b', 'ebs-unattached-volume', 50, { risk: 'high' });
    const first = deployment();
    await first.scan('2026-11-01T06:00:00.000Z', [small, risky]);
    // The same store under a stricter config: the next scan's checks drop both before tracking sees them.
    const stricter = { ...first.deps, config: configSchema.parse({ redis: { prefix: first.deps.config.redis.prefix }, optimization: { minMonthlySavingsUsd: 5, riskLevels: ['low', 'medium'] } }) };
    const plan: ScanPlan = { scanId: 'scan-strict', startedAt: '2026-11-02T06:00:00.000Z', provider: 'simulated', dryRun: true, accounts: [ACCOUNT], regions: [REGION], kinds: ['ebs-volume'], trigger: 'test' };
    await first.deps.store.createScan(plan);
    await first.deps.store.saveObservations(plan.scanId, ACCOUNT, REGION, []);
    expect(await trackRecommendations(stricter, plan, [])).toEqual([]);
  });

  it('does not let a late report of an older scan roll the comparison back', async () => {
    const { scan } = deployment();
    const volume = rec('vol-a', 'ebs-unattached-volume', 5);
    await scan('2026-11-02T06:00:00.000Z', [volume]);
    const older = await scan('2026-11-01T06:00:00.000Z', []);
    expect(older.result).toEqual([]);
    const next = await scan('2026-11-03T06:00:00.000Z', [volume]);
    expect(next.result[0]?.tracking?.seenCount).toBe(2);
  });

  it('remembers when a timed condition was first seen, and forgets it once it stops', async () => {
    const { scan, tracking } = deployment();
    const observation: TimedObservation = { id: rec('vol-a', 'ebs-unattached-volume', 0).id, checkId: 'ebs-unattached-volume', resourceId: 'vol-a', resourceKind: 'ebs-volume' };
    await scan('2026-11-01T06:00:00.000Z', [], { observations: [observation] });
    await scan('2026-11-02T06:00:00.000Z', [], { observations: [observation] });
    expect(await tracking.firstSeen([observation.id])).toEqual(new Map([[observation.id, '2026-11-01T06:00:00.000Z']]));
    // Asked for sightings before a scan's start, the one that scan recorded itself is not one.
    expect(await tracking.firstSeen([observation.id], '2026-11-02T06:00:00.000Z')).toEqual(new Map([[observation.id, '2026-11-01T06:00:00.000Z']]));
    expect((await tracking.firstSeen([observation.id], '2026-11-01T06:00:00.000Z')).size).toBe(0);
    // A scan that could not see volumes keeps it…
    await scan('2026-11-03T06:00:00.000Z', [], { kinds: ['ec2-instance'] });
    expect((await tracking.firstSeen([observation.id])).size).toBe(1);
    // …one that could, and did not find it, forgets it: the next time it is unattached counts from then.
    await scan('2026-11-04T06:00:00.000Z', []);
    expect((await tracking.firstSeen([observation.id])).size).toBe(0);
  });

  it('applies dismissals while they last, with the reason', async () => {
    const { scan, deps, tracking } = deployment();
    const volume = rec('vol-a', 'ebs-unattached-volume', 5);
    await scan('2026-11-01T06:00:00.000Z', [volume]);
    const now = new Date('2026-11-01T07:00:00.000Z');
    await dismissRecommendation(tracking, { id: volume.id, reason: 'kept for the migration', until: '2026-11-02', by: 'cli' }, now);
    const during = await scan('2026-11-02T06:00:00.000Z', [volume]);
    expect(during.result[0]).toMatchObject({
      status: 'dismissed',
      suppression: { by: 'dismissal', reason: 'kept for the migration', until: '2026-11-03T00:00:00.000Z', at: now.toISOString() },
      tracking: { seenCount: 2 },
    });
    const after = await scan('2026-11-03T06:00:00.000Z', [volume]);
    expect(after.result[0]?.status).toBe('open');
    // Open-ended, then revoked.
    await dismissRecommendation(tracking, { id: volume.id, reason: 'not ours' }, deps.now());
    expect((await scan('2026-11-04T06:00:00.000Z', [volume])).result[0]?.status).toBe('dismissed');
    expect(await tracking.undismiss(volume.id)).toBe(true);
    expect((await scan('2026-11-05T06:00:00.000Z', [volume])).result[0]?.status).toBe('open');
  });

  it('refuses to dismiss unknown or malformed ids, without a reason, or into the past', async () => {
    const { tracking } = deployment();
    const now = new Date('2026-11-01T07:00:00.000Z');
    await expect(dismissRecommendation(tracking, { id: 'vol-1', reason: 'x' }, now)).rejects.toThrow(/not a recommendation id/);
    await expect(dismissRecommendation(tracking, { id: 'rec_0123456789abcdef', reason: 'x' }, now)).rejects.toThrow(/is not tracked/);
    expect(() => parseDismissUntil('2026-10-31', now)).toThrow(/not in the future/);
    expect(() => parseDismissUntil('2026-02-30', now)).toThrow(/expected a date/);
    expect(() => parseDismissUntil('soon', now)).toThrow(/expected a date/);
    expect(parseDismissUntil('2027-01-31', now)).toBe('2027-02-01T00:00:00.000Z');
    expect(parseDismissUntil('2026-12-01T12:00:00Z', now)).toBe('2026-12-01T12:00:00.000Z');
  });

  it('keeps a scope locked while its holder runs, and frees it within the lease once the holder is gone', async () => {
    const { tracking, deps } = deployment({ workers: { lockDurationMs: 1000 } });
    const lockKey = `${deps.config.redis.prefix}:tracking:lock:${ACCOUNT}:${REGION}`;
    const order: string[] = [];
    // A live holder runs past three leases: its lease is renewed, so a waiter gets the scope only after it.
    let release = () => {};
    const holding = tracking.withScopeLock(ACCOUNT, REGION, async () => {
      order.push('holder starts');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('holder ends');
    });
    await vi.waitFor(() => expect(order).toEqual(['holder starts']));
    const waiting = tracking.withScopeLock(ACCOUNT, REGION, async () => void order.push('waiter runs'));
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(await redis.pttl(lockKey)).toBeGreaterThan(0);
    expect(order).toEqual(['holder starts']);
    release();
    await Promise.all([holding, waiting]);
    expect(order).toEqual(['holder starts', 'holder ends', 'waiter runs']);
    expect(await redis.exists(lockKey)).toBe(0);

    // A holder whose process died (its connection gone mid-update) stops renewing: the next job gets the scope once
    // the lease runs out, instead of failing with TrackingLockTimeout as when the lock outlived the job by 30 s.
    const doomed = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const dying = trackingStoreFor({ ...deps, redis: doomed });
    const died = dying.withScopeLock(ACCOUNT, REGION, async () => {
      doomed.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
    });
    void died.catch(() => undefined);
    await vi.waitFor(async () => expect(await redis.exists(lockKey)).toBe(1));
    await vi.waitFor(() => expect(doomed.status).toBe('end'));
    await expect(tracking.withScopeLock(ACCOUNT, REGION, async () => 'recovered')).resolves.toBe('recovered');
  }, 30_000);

  it('tracks each kind as a scope of its own on a plan with trackedByKind: a group resolves its own kinds only, once', async () => {
    const { scan, deps } = deployment();
    const volume = rec('vol-1', 'ebs-unattached-volume', 5);
    const instance = rec('i-1', 'ec2-idle-instance', 7, { resourceKind: 'ec2-instance' });
    const first = await scan('2026-11-01T06:00:00.000Z', [volume, instance], { trackedByKind: true });
    expect(first.result.map((r) => r.tracking?.seenCount)).toEqual([1, 1]);
    // The next scan's EBS group is checked (and tracked) while its EC2 group still waits for its listing.
    const second = { ...first.plan, scanId: 'scan-late', startedAt: '2026-11-02T06:00:00.000Z' };
    const partition = { accountId: ACCOUNT, region: REGION, observations: [] };
    const ebs = await trackPartition(deps, second, { ...partition, recommendations: [] }, ['ebs-volume']);
    expect(ebs).toEqual([expect.objectContaining({ id: volume.id, status: 'resolved' })]);
    const ec2 = await trackPartition(deps, second, { ...partition, recommendations: [instance] }, ['ec2-instance']);
    expect(ec2).toEqual([expect.objectContaining({ id: instance.id, status: 'open', tracking: expect.objectContaining({ seenCount: 2 }) })]);
    // A retried check job gets the same answer and counts nothing twice.
    expect(await trackPartition(deps, second, { ...partition, recommendations: [] }, ['ebs-volume'])).toEqual(ebs);
    expect(await trackPartition(deps, second, { ...partition, recommendations: [instance] }, ['ec2-instance'])).toEqual(ec2);
    await expect(trackPartition(deps, second, { ...partition, recommendations: [instance] }, ['ebs-volume'])).rejects.toThrow(/a finding on a ec2-instance/);
  });

  it('takes over a kind\'s share of the partition\'s state that scans before trackedByKind kept', async () => {
    const { scan, deps, tracking } = deployment();
    const volume = rec('vol-1', 'ebs-unattached-volume', 5);
    const instance = rec('i-1', 'ec2-idle-instance', 7, { resourceKind: 'ec2-instance' });
    const stopped: TimedObservation = { id: 'obs-i-2', checkId: 'ec2-stopped-instance', resourceId: 'i-2', resourceKind: 'ec2-instance' };
    await scan('2026-11-01T06:00:00.000Z', [volume, instance], { observations: [stopped] });
    expect(await tracking.scope(ACCOUNT, REGION)).toBeDefined();
    const second = await scan('2026-11-02T06:00:00.000Z', [], { trackedByKind: true });
    // Each kind resolves its own finding from the partition's state, and neither resolves the other's.
    expect(second.result.map((r) => [r.id, r.status])).toEqual([
      [instance.id, 'resolved'],
      [volume.id, 'resolved'],
    ]);
    expect((await tracking.scope(ACCOUNT, REGION, 'ebs-volume'))?.observations).toEqual([]);
    // The stopped instance was not seen again by a scan that could see it: forgotten with the EC2 kind's scope.
    expect((await tracking.scope(ACCOUNT, REGION, 'ec2-instance'))?.recommendationIds).toEqual([]);
    const third = await scan('2026-11-03T06:00:00.000Z', [], { trackedByKind: true });
    expect(third.result).toEqual([]);
  });

  it('folds alternatives on one resource, and keeps resolved ones from applied actions with their history', async () => {
    const { scan, deps } = deployment();
    const idle = rec('i-1', 'ec2-idle-instance', 70);
    const rightsize = rec('i-1', 'ec2-underutilized-instance', 35);
    const gp2 = rec('vol-1', 'ebs-gp2-volume', 2);
    const first = await scan('2026-11-01T06:00:00.000Z', [idle, rightsize, gp2]);
    expect(first.result.map((r) => [r.checkId, r.foldedInto])).toEqual([
      ['ec2-idle-instance', undefined],
      ['ec2-underutilized-instance', idle.id],
      ['ebs-gp2-volume', undefined],
    ]);
    // A remediation resolved the gp2 volume (status resolved, its own reason): it is kept, not duplicated.
    const done = { ...gp2, status: 'resolved' as const, reason: 'resolved by ebs.modify-volume' };
    const second = await scan('2026-11-02T06:00:00.000Z', [idle, rightsize]);
    const merged = await trackRecommendations(deps, second.plan, [idle, rightsize, done]);
    expect(merged.filter((r) => r.id === gp2.id)).toEqual([expect.objectContaining({ status: 'resolved', reason: 'resolved by ebs.modify-volume', tracking: expect.objectContaining({ resolvedAt: '2026-11-02T06:00:00.000Z' }) })]);
  });
});
