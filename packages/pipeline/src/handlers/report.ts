// The report job: gather a scan's results, write report.json, report.md and recommendations.csv, close the scan.
import { join, resolve } from 'node:path';
import type { Recommendation } from '@finops/core';
import { estimateApiCostUsd } from '@finops/aws';
import { partitions, type HandlerContext, type JobPayload, type ScanPlan, type StoredApiUsage } from '@finops/queues';
import { assembleReport, summarizeCosts, writeReportFiles, type Report } from '@finops/reports';
import { insightsForScan, type InsightsResult } from './insights.js';
import { publishReport } from './notify.js';
import { actionsSection } from '@finops/remediation';
import { remediationDeps } from './remediate.js';
import { finishTracking, trackPartition } from '../tracking/index.js';
import type { PipelineDeps } from './shared.js';

/** The report job's steps, as its progress counts them: gather, build, write the files, publish (its completion). */
const REPORT_STEPS = 4;

export function reportHandler(deps: PipelineDeps) {
  return async ({ scanId }: JobPayload<'report'>, { job, logger, progress }: HandlerContext) => {
    const scan = await deps.store.getScan(scanId);
    if (!scan) return { status: 'skipped', reason: `scan ${scanId} has no stored plan (expired or never created)` };
    const { plan } = scan;
    // Before the usage is read: its usage-type lookups are Cost Explorer requests of this scan.
    const insights = await insightsForScan(deps, scanId, { logger, attempt: job.attemptsMade });
    const usage = await deps.store.usage(scanId);
    await progress({ stage: 'report', done: 1, total: REPORT_STEPS });
    const finishedAt = deps.now().toISOString();
    const report = await buildScanReport(deps, plan, { finishedAt, insights, usage });
    await progress({ stage: 'report', done: 2, total: REPORT_STEPS });
    const reportDir = resolve(join(deps.config.reporting.outputDir, scanId));
    const files = await writeReportFiles(report, reportDir, deps.config.reporting.formats);
    await progress({ stage: 'report', done: 3, total: REPORT_STEPS });
    await publishReport(deps, report, reportDir, logger);
    await deps.store.completeScan(scanId, { finishedAt, reportDir });
    logger.info({ reportDir, recommendations: report.totals.recommendations, monthlySavingsUsd: report.totals.monthlySavingsUsd }, 'report written');
    return { status: 'completed', reportDir, files, ...report.totals };
  };
}

/**
 * The scan's report from its stored results. A function of its own so that the recommendations as stored and as
 * tracked are garbage once it returns: only the report's own copy stays in memory while the files are written.
 */
async function buildScanReport(
  deps: PipelineDeps,
  plan: ScanPlan,
  { finishedAt, insights, usage }: { finishedAt: string; insights: InsightsResult; usage: StoredApiUsage },
): Promise<Report> {
  const { scanId } = plan;
  const tracked = await trackedRecommendations(deps, plan);
  const current = tracked.filter((r) => r.status !== 'resolved');
  const actions = await actionsSection(remediationDeps(deps), { plan, recommendations: current, until: new Date(finishedAt) });
  // Checked once, by writeReportFiles, before anything is written or published.
  return assembleReport({
    scanId,
    startedAt: plan.startedAt,
    finishedAt,
    dryRun: plan.dryRun,
    provider: plan.provider,
    accounts: plan.accounts,
    regions: plan.regions,
    inventoryCounts: await deps.store.inventoryCounts(scanId),
    recommendations: await finishTracking(deps, tracked, actions.resolved),
    errors: await deps.store.errors(scanId),
    apiUsage: { ...usage, estimatedCostUsd: estimateApiCostUsd(usage) },
    costs: summarizeCosts(await deps.store.loadCosts(scanId), {
      topN: deps.config.costs.topN,
      unavailableReason: plan.costsRegion
        ? 'Cost Explorer gave no data for this scan (see the costs entry in errors)'
        : 'costs were not fetched for this scan (costs.enabled: false)',
    }),
    anomalies: insights.anomalies,
    anomalyDetection: insights.anomalyDetection,
    budgets: insights.budgets,
    actions: actions.section,
  });
}

/**
 * Every partition's tracked recommendations, as its optimize job saved them; a partition whose optimize job saved
 * them untracked (an earlier version's) is tracked here.
 */
async function trackedRecommendations(deps: PipelineDeps, plan: ScanPlan): Promise<Recommendation[]> {
  const { scanId } = plan;
  const lists = await Promise.all(
    partitions(plan).map(async ({ accountId, region }) => {
      const [recommendations, tracked] = await Promise.all([
        deps.store.loadRecommendations(scanId, accountId, region),
        deps.store.isTracked(scanId, accountId, region),
      ]);
      if (tracked) return recommendations;
      const observations = await deps.store.loadObservations(scanId, accountId, region);
      return trackPartition(deps, plan, { accountId, region, recommendations, observations });
    }),
  );
  const all: Recommendation[] = [];
  // A loop, not push(...list): spreading a very large partition's list as arguments overflows the stack.
  for (const list of lists) for (const r of list) all.push(r);
  return all;
}
