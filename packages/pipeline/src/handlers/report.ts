// The report job: read a scan's results a partition at a time, write its report files, close the scan.
import { join, resolve } from 'node:path';
import type { Recommendation } from '@finops/core';
import { estimateApiCostUsd } from '@finops/aws';
import { partitions, type HandlerContext, type JobPayload, type ScanPlan, type StoredApiUsage } from '@finops/queues';
import { StreamedReportBuilder, compareReportOrder, summarizeCosts, writeStreamedReport, type ReportActions, type ReportFields, type ReportFieldsInput } from '@finops/reports';
import { actionsSection, actionsWindow } from '@finops/remediation';
import { insightsForScan, type InsightsResult } from './insights.js';
import { publishReport } from './notify.js';
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
    const reportDir = resolve(join(deps.config.reporting.outputDir, scanId));
    const built = () => progress({ stage: 'report', done: 2, total: REPORT_STEPS });
    const { totals, files, highSavings } = await writeScanReport(deps, plan, reportDir, { finishedAt, insights, usage }, built);
    await progress({ stage: 'report', done: 3, total: REPORT_STEPS });
    await publishReport(deps, { scanId, startedAt: plan.startedAt, finishedAt, recommendations: highSavings }, reportDir, logger);
    await deps.store.completeScan(scanId, { finishedAt, reportDir });
    logger.info({ reportDir, recommendations: totals.recommendations, monthlySavingsUsd: totals.monthlySavingsUsd }, 'report written');
    return { status: 'completed', reportDir, files, ...totals };
  };
}

/**
 * Builds the scan's report (`built` is called once it is) and writes its files; the lists wait on disk, in the
 * report's directory, until then, and are gone after, whatever happens.
 */
async function writeScanReport(
  deps: PipelineDeps,
  plan: ScanPlan,
  reportDir: string,
  inputs: { finishedAt: string; insights: InsightsResult; usage: StoredApiUsage },
  built: () => Promise<void>,
): Promise<{ totals: ReportFields['totals']; files: string[]; highSavings: Recommendation[] }> {
  const { formats } = deps.config.reporting;
  const builder = await StreamedReportBuilder.create(reportDir, formats);
  try {
    const { fields, highSavings } = await buildScanReport(deps, plan, builder, inputs);
    await built();
    const report = builder.report(fields);
    const files = await writeStreamedReport(report, reportDir, formats);
    return { totals: report.digest.totals, files, highSavings };
  } finally {
    await builder.close();
  }
}

/**
 * Gives the builder every recommendation of the scan, one partition at a time (each tracked, its dismissals applied
 * and its alternatives folded — folding never crosses a partition: alternatives share a resource, which lives in
 * one), then those the remediation since the previous scan resolved. Returns the report's other fields, and the
 * open recommendations a high-savings notification could name (none when notifications are off), in report order.
 */
async function buildScanReport(
  deps: PipelineDeps,
  plan: ScanPlan,
  builder: StreamedReportBuilder,
  { finishedAt, insights, usage }: { finishedAt: string; insights: InsightsResult; usage: StoredApiUsage },
): Promise<{ fields: ReportFieldsInput; highSavings: Recommendation[] }> {
  const window = await actionsWindow(remediationDeps(deps), { plan, until: new Date(finishedAt) });
  // Of the recommendations an applied action was for: which this scan found, and those it reports resolved, held
  // back from the builder until the actions section says which resolution to report (the action's, if any).
  const current = new Set<string>();
  const resolvedHere = new Map<string, Recommendation>();
  const { enabled: notify, highSavingsThresholdUsd } = deps.config.notifications;
  const highSavings: Recommendation[] = [];
  for (const partition of partitions(plan)) {
    const tracked = await finishTracking(deps, await partitionRecommendations(deps, plan, partition), []);
    const added: Recommendation[] = [];
    for (const r of tracked) {
      if (notify && r.status === 'open' && r.monthlySavingsUsd >= highSavingsThresholdUsd) highSavings.push(r);
      if (!window.recommendationIds.has(r.id)) added.push(r);
      else if (r.status !== 'resolved') {
        current.add(r.id);
        added.push(r);
      } else resolvedHere.set(r.id, r);
    }
    await builder.add(added);
  }
  const actions = await actionsSection(remediationDeps(deps), window, (id) => current.has(id));
  // An applied action's resolution says more (which action) than "no longer found": it wins, with the history.
  const resolved = actions.resolved.map((r): Recommendation => {
    const tracking = resolvedHere.get(r.id)?.tracking;
    resolvedHere.delete(r.id);
    return tracking ? { ...r, tracking } : r;
  });
  await builder.add([...resolvedHere.values(), ...resolved]);
  return { fields: await scanReportFields(deps, plan, { finishedAt, insights, usage, actions: actions.section }), highSavings: highSavings.sort(compareReportOrder) };
}

/** Everything the scan's report holds but its recommendations: from the scan store, the insights and the actions. */
export async function scanReportFields(
  deps: PipelineDeps,
  plan: ScanPlan,
  { finishedAt, insights, usage, actions }: { finishedAt: string; insights: InsightsResult; usage: StoredApiUsage; actions: ReportActions },
): Promise<ReportFieldsInput> {
  const { scanId } = plan;
  return {
    scanId,
    startedAt: plan.startedAt,
    finishedAt,
    dryRun: plan.dryRun,
    provider: plan.provider,
    accounts: plan.accounts,
    regions: plan.regions,
    inventoryCounts: await deps.store.inventoryCounts(scanId),
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
    actions,
  };
}

/**
 * One partition's tracked recommendations, as its optimize job saved them; a partition whose optimize job saved them
 * untracked (an earlier version's) is tracked here.
 */
async function partitionRecommendations(deps: PipelineDeps, plan: ScanPlan, { accountId, region }: { accountId: string; region: string }): Promise<Recommendation[]> {
  const { scanId } = plan;
  const [recommendations, tracked] = await Promise.all([deps.store.loadRecommendations(scanId, accountId, region), deps.store.isTracked(scanId, accountId, region)]);
  if (tracked) return recommendations;
  const observations = await deps.store.loadObservations(scanId, accountId, region);
  return trackPartition(deps, plan, { accountId, region, recommendations, observations });
}
