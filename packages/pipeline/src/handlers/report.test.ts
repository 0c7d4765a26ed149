// The report job reads a scan a partition at a time and writes its files from sorted runs on disk: the files must be
// those the whole scan gathered in memory gives (tracked, dismissed, resolved by an action, folded), byte for byte.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Recommendation, ResourceKind } from '@finops/core';
import { newScanId, partitions, type HandlerContext, type ScanPlan } from '@finops/queues';
import { actionsSection, actionsWindow, remediationStores } from '@finops/remediation';
import { REPORT_FORMATS, assembleReport, writeReportFiles, type Report } from '@finops/reports';
import { describe, expect, it } from 'vitest';
import { finishTracking, trackingStoreFor } from '../tracking/index.js';
import { handlerTestKit, silentLogger as logger, type HandlerEnv } from './handler-test-kit.js';
import { insightsForScan } from './insights.js';
import { optimizeHandler } from './optimize.js';
import { remediationDeps } from './remediate.js';
import { reportHandler, scanReportFields } from './report.js';

const ACCOUNTS = ['111111111111', '222222222222'];
const REGIONS = ['eu-west-1', 'us-east-1'];
// Kinds whose checks need no metrics: their findings depend on the inventory alone.
const KINDS: ResourceKind[] = ['ebs-volume', 'ebs-snapshot', 'elastic-ip'];
const FORMATS = ['json', 'md', 'csv', 'html'] as const;
const context = (id: string) => ({ job: { id, attemptsMade: 0 }, logger, progress: async () => {} }) as unknown as HandlerContext;

const kit = handlerTestKit('report');

/** A deployment of its own (tracking outlives scans), with a clock the test sets: both reports end at the same time. */
function deployment(name: string): HandlerEnv & { clock: { now: Date } } {
  const clock = { now: new Date('2026-11-21T07:00:00.000Z') };
  const env = kit.setup({
    redis: { prefix: kit.ownPrefix(name) },
    aws: { provider: 'simulated', regions: REGIONS },
    simulation: { seed: 9, accounts: ACCOUNTS, resourcesPerRegion: 120 },
    reporting: { outputDir: mkdtempSync(join(tmpdir(), `finops-report-${name}-`)), formats: [...FORMATS] },
  });
  env.deps.now = () => clock.now;
  return { ...env, clock };
}

/** A scan whose inventory is the simulator's minus `drop`, checked and tracked by its optimize jobs. */
async function scanAt(env: HandlerEnv, startedAt: string, drop: ReadonlySet<string> = new Set()): Promise<ScanPlan> {
  const plan: ScanPlan = { scanId: newScanId(), startedAt, provider: 'simulated', dryRun: true, accounts: ACCOUNTS, regions: REGIONS, kinds: KINDS, trigger: 'test' };
  await env.store.createScan(plan);
  for (const { accountId, region } of partitions(plan)) {
    for (const kind of KINDS) {
      const listed = await env.runtime.access.discover(kind, { accountId, region });
      await env.store.saveInventory(plan.scanId, accountId, region, kind, listed.filter((r) => !drop.has(r.id)));
    }
    await optimizeHandler(env.deps)({ scanId: plan.scanId, accountId, region }, context(`o-${plan.scanId}-${accountId}-${region}`));
  }
  return plan;
}

/** The report as the job built it before it read partitions one at a time: every recommendation of the scan at once. */
async function reportInMemory(env: HandlerEnv, plan: ScanPlan, dir: string): Promise<Report> {
  const { deps } = env;
  const finishedAt = deps.now().toISOString();
  const insights = await insightsForScan(deps, plan.scanId, { logger, attempt: 0 });
  const usage = await deps.store.usage(plan.scanId);
  const tracked: Recommendation[] = [];
  for (const { accountId, region } of partitions(plan)) tracked.push(...(await deps.store.loadRecommendations(plan.scanId, accountId, region)));
  const current = new Set(tracked.filter((r) => r.status !== 'resolved').map((r) => r.id));
  const window = await actionsWindow(remediationDeps(deps), { plan, until: new Date(finishedAt) });
  const actions = await actionsSection(remediationDeps(deps), window, (id) => current.has(id));
  const report = assembleReport({
    ...(await scanReportFields(deps, plan, { finishedAt, insights, usage, actions: actions.section })),
    recommendations: await finishTracking(deps, tracked, actions.resolved),
  });
  await writeReportFiles(report, dir, FORMATS);
  return report;
}

describe('the report job', () => {
  it('writes, a partition at a time, the files the whole scan in memory gives', async () => {
    const env = deployment('same-files');
    const first = await scanAt(env, '2026-11-20T06:00:00.000Z');
    env.clock.now = new Date('2026-11-20T07:00:00.000Z');
    await reportHandler(env.deps)({ scanId: first.scanId }, context('r1'));
    const firstFound: Recommendation[] = [];
    for (const { accountId, region } of partitions(first)) firstFound.push(...(await env.store.loadRecommendations(first.scanId, accountId, region)));

    // Between the scans: one finding dismissed, two live actions applied — one whose waste the next scan no longer
    // finds (resolved by it), one whose waste it still finds — and one more resource gone by itself.
    const byKind = (kind: ResourceKind) => firstFound.filter((r) => r.resourceKind === kind && r.status === 'open');
    const [dismissed, fixed, stillThere, goneAlone] = [byKind('ebs-snapshot')[0], byKind('ebs-volume')[0], byKind('elastic-ip')[0], byKind('ebs-volume').find((r) => r.accountId !== byKind('ebs-volume')[0]?.accountId)];
    expect([dismissed, fixed, stillThere, goneAlone].every(Boolean)).toBe(true);
    await trackingStoreFor(env.deps).dismiss(dismissed!.id, { reason: 'kept for the audit', at: '2026-11-20T08:00:00.000Z' }, env.clock.now);
    const { store } = remediationStores(remediationDeps(env.deps));
    for (const [i, r] of [fixed!, stillThere!].entries()) {
      await store.saveAction({
        actionId: `act_${i}`,
        runId: 'run_1',
        scanId: first.scanId,
        mode: 'live',
        status: 'applied',
        recommendationId: r.id,
        checkId: r.checkId,
        actionType: r.action.type,
        accountId: r.accountId,
        region: r.region,
        resourceId: r.resourceId,
        resourceKind: r.resourceKind,
        monthlySavingsUsd: r.monthlySavingsUsd,
        risk: r.risk,
        actor: 'ops@example.com',
        trigger: 'test',
        at: '2026-11-20T09:00:00.000Z',
      });
    }
    const second = await scanAt(env, '2026-11-21T06:00:00.000Z', new Set([fixed!.resourceId, goneAlone!.resourceId]));
    env.clock.now = new Date('2026-11-21T07:00:00.000Z');
    const result = (await reportHandler(env.deps)({ scanId: second.scanId }, context('r2'))) as { reportDir: string; recommendations: number; monthlySavingsUsd: number };
    const expectedDir = mkdtempSync(join(tmpdir(), 'finops-report-expected-'));
    const expected = await reportInMemory(env, second, expectedDir);

    // The scan has what the test is about: dismissed, resolved by an action and by itself, folded alternatives.
    expect(expected.suppressed.find((r) => r.id === dismissed!.id)?.status).toBe('dismissed');
    expect(expected.suppressed.find((r) => r.id === fixed!.id)?.reason).toMatch(/resolved by /);
    expect(expected.suppressed.find((r) => r.id === goneAlone!.id)?.status).toBe('resolved');
    expect(expected.actions?.applied.map((a) => a.recommendationStatus).sort()).toEqual(['open', 'resolved']);
    expect(expected.recommendations.some((r) => r.foldedInto)).toBe(true);
    expect(new Set(expected.recommendations.map((r) => r.accountId))).toEqual(new Set(ACCOUNTS));

    for (const format of FORMATS) {
      const { fileName } = REPORT_FORMATS[format];
      expect(readFileSync(join(result.reportDir, fileName), 'utf8'), fileName).toBe(readFileSync(join(expectedDir, fileName), 'utf8'));
    }
    expect(result).toMatchObject({ recommendations: expected.totals.recommendations, monthlySavingsUsd: expected.totals.monthlySavingsUsd });
    // The runs the lists waited in are gone: only the report's files are left.
    expect(readdirSync(result.reportDir).sort()).toEqual(FORMATS.map((f) => REPORT_FORMATS[f].fileName).sort());
  });
});
