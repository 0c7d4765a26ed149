// The report job: gather a scan's results, write report.json, report.md and recommendations.csv, close the scan.
import { join, resolve } from 'node:path';
import { estimateApiCostUsd } from '@finops/aws';
import { partitions, type HandlerContext, type JobPayload } from '@finops/queues';
import { buildReport, writeReportFiles } from '@finops/reports';
import type { PipelineDeps } from './shared.js';

export function reportHandler(deps: PipelineDeps) {
  return async ({ scanId }: JobPayload<'report'>, { logger }: HandlerContext) => {
    const scan = await deps.store.getScan(scanId);
    if (!scan) return { status: 'skipped', reason: `scan ${scanId} has no stored plan (expired or never created)` };
    const { plan } = scan;
    const recommendations = (
      await Promise.all(partitions(plan).map((p) => deps.store.loadRecommendations(scanId, p.accountId, p.region)))
    ).flat();
    const usage = await deps.store.usage(scanId);
    const finishedAt = deps.now().toISOString();
    const report = buildReport({
      scanId,
      startedAt: plan.startedAt,
      finishedAt,
      dryRun: plan.dryRun,
      provider: plan.provider,
      accounts: plan.accounts,
      regions: plan.regions,
      inventoryCounts: await deps.store.inventoryCounts(scanId),
      recommendations,
      errors: await deps.store.errors(scanId),
      apiUsage: { ...usage, estimatedCostUsd: estimateApiCostUsd(usage) },
    });
    const reportDir = resolve(join(deps.config.reporting.outputDir, scanId));
    const files = await writeReportFiles(report, reportDir, deps.config.reporting.formats);
    await deps.store.completeScan(scanId, { finishedAt, reportDir });
    logger.info({ reportDir, recommendations: report.totals.recommendations, monthlySavingsUsd: report.totals.monthlySavingsUsd }, 'report written');
    return { status: 'completed', reportDir, files, ...report.totals };
  };
}
