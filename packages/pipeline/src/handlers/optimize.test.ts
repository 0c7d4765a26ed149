// The optimize job tracks its own partition as soon as its checks are done, so the report job only gathers; the
// report job still tracks a partition whose optimize job left no tracked list. Real Redis, the simulated account.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGroups, observeConditions } from '@finops/checks';
import type { Recommendation, ResourceKind } from '@finops/core';
import { newScanId, type HandlerContext, type ScanPlan } from '@finops/queues';
import { describe, expect, it } from 'vitest';
import { handlerTestKit, silentLogger as logger, type HandlerEnv } from './handler-test-kit.js';
import { checkHandler } from './check.js';
import { optimizeHandler } from './optimize.js';
import { reportHandler } from './report.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
// Kinds whose checks need no metrics: their findings depend on the inventory alone.
const KINDS: ResourceKind[] = ['ebs-volume', 'ebs-snapshot', 'elastic-ip'];
const context = (id: string) => ({ job: { id, attemptsMade: 0 }, logger, progress: async () => {} }) as unknown as HandlerContext;

/**
 * Each test its own deployment (prefix) of the simulated account: tracking outlives scans, and the tests must not see
 * each other's histories.
 */
const deployments = (kit: ReturnType<typeof handlerTestKit>, resourcesPerRegion: number) => (name: string) =>
  kit.setup({
    redis: { prefix: kit.ownPrefix(name) },
    aws: { provider: 'simulated', regions: [REGION] },
    simulation: { seed: 5, accounts: [ACCOUNT], resourcesPerRegion },
    reporting: { outputDir: mkdtempSync(join(tmpdir(), `finops-${name}-`)), formats: ['json'] },
  });

describe('tracking in the optimize job', () => {
  const setup = deployments(handlerTestKit('optimize'), 150);

  /**
   * A scan at `startedAt` whose inventory is the simulator's, minus the resources `drop` names; without `checkGroups`
   * planned as by an earlier version (its optimize jobs run the checks).
   */
  const scanAt = async (
    { runtime, store }: HandlerEnv,
    startedAt: string,
    drop: ReadonlySet<string> = new Set(),
    { kinds = KINDS, checkGroups }: Pick<Partial<ScanPlan>, 'kinds' | 'checkGroups'> = {},
  ): Promise<ScanPlan> => {
    const plan: ScanPlan = { scanId: newScanId(), startedAt, provider: 'simulated', dryRun: true, accounts: [ACCOUNT], regions: [REGION], kinds, ...(checkGroups ? { checkGroups } : {}), trigger: 'test' };
    await store.createScan(plan);
    for (const kind of kinds) {
      const listed = await runtime.access.discover(kind, { accountId: ACCOUNT, region: REGION });
      await store.saveInventory(plan.scanId, ACCOUNT, REGION, kind, listed.filter((r) => !drop.has(r.id)));
    }
    return plan;
  };
  const reportOf = async (env: HandlerEnv, plan: ScanPlan) => {
    const result = (await reportHandler(env.deps)({ scanId: plan.scanId }, context(`report-${plan.scanId}`))) as { reportDir: string };
    return JSON.parse(readFileSync(join(result.reportDir, 'report.json'), 'utf8')) as { recommendations: Recommendation[]; suppressed: Recommendation[] };
  };

  it('saves the partition tracked (histories, resolutions), counts a retry once, and the report gathers it', async () => {
    const env = setup('tracked');
    const first = await scanAt(env, '2026-11-20T06:00:00.000Z');
    await optimizeHandler(env.deps)({ scanId: first.scanId, accountId: ACCOUNT, region: REGION }, context('o1'));
    const tracked = await env.store.loadRecommendations(first.scanId, ACCOUNT, REGION);
    expect(tracked.length).toBeGreaterThan(3);
    expect(await env.store.isTracked(first.scanId, ACCOUNT, REGION)).toBe(true);
    expect(tracked.every((r) => r.status === 'open' && r.tracking?.seenCount === 1 && r.tracking.firstSeenAt === first.startedAt)).toBe(true);
    // A retried optimize job finds the scope already tracked by this scan: nothing counted twice.
    await optimizeHandler(env.deps)({ scanId: first.scanId, accountId: ACCOUNT, region: REGION }, context('o1'));
    expect(await env.store.loadRecommendations(first.scanId, ACCOUNT, REGION)).toEqual(tracked);

    // The next scan no longer lists one resource with a finding: its recommendation comes back resolved.
    const gone = tracked.find((r) => r.resourceKind === 'ebs-volume')!;
    const second = await scanAt(env, '2026-11-21T06:00:00.000Z', new Set([gone.resourceId]));
    await optimizeHandler(env.deps)({ scanId: second.scanId, accountId: ACCOUNT, region: REGION }, context('o2'));
    const next = await env.store.loadRecommendations(second.scanId, ACCOUNT, REGION);
    expect(next.find((r) => r.id === gone.id)).toMatchObject({ status: 'resolved', tracking: { seenCount: 1, resolvedAt: second.startedAt } });
    const kept = next.find((r) => r.status === 'open')!;
    expect(kept.tracking).toEqual({ firstSeenAt: first.startedAt, lastSeenAt: second.startedAt, seenCount: 2 });

    const report = await reportOf(env, second);
    expect(report.recommendations.find((r) => r.id === kept.id)?.tracking).toEqual(kept.tracking);
    expect(report.suppressed.find((r) => r.id === gone.id)).toMatchObject({ status: 'resolved' });
    // The report job tracked nothing again: the histories still count two sightings.
    expect((await reportOf(env, second)).recommendations.find((r) => r.id === kept.id)?.tracking?.seenCount).toBe(2);
  });

  it('tracks in the report job a partition whose optimize job saved its findings untracked', async () => {
    const env = setup('fallback');
    const first = await scanAt(env, '2026-11-22T06:00:00.000Z');
    await optimizeHandler(env.deps)({ scanId: first.scanId, accountId: ACCOUNT, region: REGION }, context('o3'));
    const earlier = await env.store.loadRecommendations(first.scanId, ACCOUNT, REGION);

    // As an optimize job of an earlier version left it: findings (untracked, unmarked) and observations.
    const second = await scanAt(env, '2026-11-23T06:00:00.000Z');
    const resources = await env.store.loadInventory(second.scanId, ACCOUNT, REGION, KINDS);
    const untracked = earlier.map(({ tracking: _tracking, ...r }) => r);
    await env.store.saveRecommendations(second.scanId, ACCOUNT, REGION, untracked);
    await env.store.saveObservations(second.scanId, ACCOUNT, REGION, observeConditions(resources));
    expect(await env.store.isTracked(second.scanId, ACCOUNT, REGION)).toBe(false);

    const report = await reportOf(env, second);
    expect(report.recommendations.length + report.suppressed.length).toBe(earlier.length);
    expect([...report.recommendations, ...report.suppressed].every((r) => r.tracking?.seenCount === 2 && r.tracking.firstSeenAt === first.startedAt)).toBe(true);
  });

  it('the report job checks what it gathered once, before anything is written: a finding that breaks the contract fails it', async () => {
    const env = setup('contract');
    const plan = await scanAt(env, '2026-11-24T06:00:00.000Z');
    await optimizeHandler(env.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION }, context('o4'));
    // The optimize job of a plan without groups checked every kind as one group, and saved its findings there.
    const checked = (await env.store.loadChecked(plan.scanId, ACCOUNT, REGION, KINDS))!;
    expect(checked.recommendations.length).toBeGreaterThan(1);
    const broken = checked.recommendations.map((r, i) => (i === 1 ? { ...r, monthlySavingsUsd: -1 } : r));
    await env.store.saveChecked(plan.scanId, ACCOUNT, REGION, KINDS, { ...checked, recommendations: broken });
    await expect(reportHandler(env.deps)({ scanId: plan.scanId }, context('r4'))).rejects.toThrow(/monthlySavingsUsd/);
    expect(existsSync(join(env.config.reporting.outputDir, plan.scanId, 'report.json'))).toBe(false);
    expect((await env.store.getScan(plan.scanId))?.status).not.toBe('completed');
  });
});

describe('check jobs per group of kinds', () => {
  // Enough instances that some are stopped with volumes and addresses: findings that read across kinds.
  const setup = deployments(handlerTestKit('check'), 400);
  // No metrics are fetched here: the stopped, unattached and orphaned checks need none.
  const kinds: ResourceKind[] = ['ec2-instance', 'ebs-volume', 'ebs-snapshot', 'elastic-ip'];
  const scanOf = async (
    { runtime, store }: HandlerEnv,
    checkGroups?: ResourceKind[][],
    { trackedByKind, startedAt = '2026-11-25T06:00:00.000Z', drop = new Set<string>() }: { trackedByKind?: true; startedAt?: string; drop?: ReadonlySet<string> } = {},
  ): Promise<ScanPlan> => {
    const plan: ScanPlan = {
      scanId: newScanId(),
      startedAt,
      provider: 'simulated',
      dryRun: true,
      accounts: [ACCOUNT],
      regions: [REGION],
      kinds,
      ...(checkGroups ? { checkGroups } : {}),
      ...(trackedByKind ? { trackedByKind } : {}),
      trigger: 'test',
    };
    await store.createScan(plan);
    for (const kind of kinds) {
      const listed = await runtime.access.discover(kind, { accountId: ACCOUNT, region: REGION });
      await store.saveInventory(plan.scanId, ACCOUNT, REGION, kind, listed.filter((r) => !drop.has(r.id)));
    }
    return plan;
  };
  const sorted = (list: readonly Recommendation[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));

  it('each group\'s job saves what its checks found; the optimize job tracks them together, as one job checking everything would', async () => {
    const groups = checkGroups(kinds);
    expect(groups).toEqual([['ec2-instance', 'ebs-volume', 'elastic-ip'], ['ebs-snapshot']]);

    const grouped = setup('grouped');
    const plan = await scanOf(grouped, groups);
    for (const group of groups) {
      const result = await checkHandler(grouped.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kinds: group }, context(`c-${group[0]}`));
      const saved = await grouped.store.loadChecked(plan.scanId, ACCOUNT, REGION, group);
      expect(saved?.recommendations.every((r) => group.includes(r.resourceKind))).toBe(true);
      expect(result).toMatchObject({ status: 'completed', recommendations: saved?.recommendations.filter((r) => r.status === 'open').length });
    }
    // The optimize job reads the groups' saved findings, not the inventory: emptied now, it changes nothing.
    for (const kind of kinds) await grouped.store.saveInventory(plan.scanId, ACCOUNT, REGION, kind, []);
    await optimizeHandler(grouped.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION }, context('o-grouped'));
    const tracked = await grouped.store.loadRecommendations(plan.scanId, ACCOUNT, REGION);

    // The same estate in another deployment, planned without groups: its optimize job runs every check itself.
    const whole = setup('whole');
    const earlier = await scanOf(whole);
    await optimizeHandler(whole.deps)({ scanId: earlier.scanId, accountId: ACCOUNT, region: REGION }, context('o-whole'));
    const reference = await whole.store.loadRecommendations(earlier.scanId, ACCOUNT, REGION);

    const strip = (list: readonly Recommendation[]) => sorted(list).map(({ tracking: _t, ...r }) => r);
    expect(strip(tracked)).toEqual(strip(reference));
    const checkIds = new Set(tracked.map((r) => r.checkId));
    for (const id of ['ec2-stopped-instance', 'ebs-stopped-instance-volume', 'ebs-unattached-volume', 'ebs-orphaned-snapshot']) expect(checkIds).toContain(id);
    expect(tracked.every((r) => r.tracking?.seenCount === 1)).toBe(true);
    expect(await grouped.store.loadObservations(plan.scanId, ACCOUNT, REGION)).toEqual(await whole.store.loadObservations(earlier.scanId, ACCOUNT, REGION));
  });

  it('with trackedByKind each check job tracks its own group; the optimize job joins them into what one scope would have tracked', async () => {
    const groups = checkGroups(kinds);
    const check = (env: HandlerEnv, plan: ScanPlan, group: ResourceKind[]) =>
      checkHandler(env.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kinds: group }, context(`c-${plan.scanId}-${group[0]}`));
    const optimize = (env: HandlerEnv, plan: ScanPlan) => optimizeHandler(env.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION }, context(`o-${plan.scanId}`));

    const byKind = setup('by-kind');
    const plan = await scanOf(byKind, groups, { trackedByKind: true });
    for (const group of groups) {
      await check(byKind, plan, group);
      const saved = (await byKind.store.loadChecked(plan.scanId, ACCOUNT, REGION, group))!;
      // Tracked by the check job itself: a history for each of the group's findings.
      expect(Object.keys((await byKind.store.loadGroupTracking(plan.scanId, ACCOUNT, REGION, group))!.tracking).sort()).toEqual(saved.recommendations.map((r) => r.id).sort());
    }
    const result = await optimize(byKind, plan);
    const tracked = await byKind.store.loadRecommendations(plan.scanId, ACCOUNT, REGION);

    // The same estate in a deployment whose plans track partitions: the same findings, histories and observations.
    const byPartition = setup('by-partition');
    const earlier = await scanOf(byPartition, groups);
    for (const group of groups) await check(byPartition, earlier, group);
    expect(result).toEqual(await optimize(byPartition, earlier));
    expect(sorted(tracked)).toEqual(sorted(await byPartition.store.loadRecommendations(earlier.scanId, ACCOUNT, REGION)));
    expect(await byKind.store.loadObservations(plan.scanId, ACCOUNT, REGION)).toEqual(await byPartition.store.loadObservations(earlier.scanId, ACCOUNT, REGION));

    // The next scan no longer lists a volume with a finding: its group's check job resolves it before the other group is checked.
    const gone = tracked.find((r) => r.resourceKind === 'ebs-volume' && r.status === 'open')!;
    const next = await scanOf(byKind, groups, { trackedByKind: true, startedAt: '2026-11-26T06:00:00.000Z', drop: new Set([gone.resourceId]) });
    const volumes = groups.find((g) => g.includes('ebs-volume'))!;
    await check(byKind, next, volumes);
    const resolved = (await byKind.store.loadGroupTracking(next.scanId, ACCOUNT, REGION, volumes))!.resolved;
    expect(resolved.map((r) => r.id)).toContain(gone.id);
    expect(resolved.every((r) => r.resourceId === gone.resourceId && r.status === 'resolved')).toBe(true);
    for (const group of groups.filter((g) => g !== volumes)) await check(byKind, next, group);
    await optimize(byKind, next);
    const after = await byKind.store.loadRecommendations(next.scanId, ACCOUNT, REGION);
    expect(after.find((r) => r.id === gone.id)).toMatchObject({ status: 'resolved', tracking: { resolvedAt: next.startedAt } });
    const before = new Set(tracked.map((r) => r.id));
    const again = after.filter((r) => r.status === 'open' && before.has(r.id));
    expect(again.length).toBeGreaterThan(2);
    expect(again.every((r) => r.tracking?.seenCount === 2 && r.tracking.firstSeenAt === plan.startedAt)).toBe(true);
  });

  it('a group whose check job left nothing is checked by the optimize job itself', async () => {
    const env = setup('missing');
    const groups = checkGroups(kinds);
    const plan = await scanOf(env, groups);
    await checkHandler(env.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION, kinds: groups[1]! }, context('c-snap'));
    await optimizeHandler(env.deps)({ scanId: plan.scanId, accountId: ACCOUNT, region: REGION }, context('o-missing'));
    const kindsFound = new Set((await env.store.loadRecommendations(plan.scanId, ACCOUNT, REGION)).map((r) => r.resourceKind));
    expect([...kindsFound].sort()).toEqual(['ebs-snapshot', 'ebs-volume', 'ec2-instance', 'elastic-ip']);
  });
});
