// The insights stage: cost anomalies and budgets over a scan's (cached) cost data, with alert-once state in Redis.
import {
  applyUsageTypes,
  compareSeverity,
  detectAnomalies,
  planAnomalyAlerts,
  planUsageTypeLookups,
  trackAnomalies,
  type AnomalyDetection,
  type InsightAlert,
  type TrackedAnomaly,
  type UsageTypeLookup,
} from '@finops/anomalies';
import { emptyApiUsage, mergeApiUsage, withApiUsage, type ApiUsage } from '@finops/aws';
import { evaluateBudgets, planApprovals, planBudgetAlerts, type BudgetApproval, type BudgetStatus } from '@finops/budgets';
import type { CostDataset, Logger, UsageTypeCosts } from '@finops/core';
import { notificationSchema, reportLink, type Notification, type NotificationSeverity } from '@finops/notifications';
import type { AnomalyDetectionSummary, ReportAnomaly, ReportBudget } from '@finops/reports';
import { ALERT_LOG_RETENTION_DAYS, InsightState } from '../insight-state.js';
import { enqueueNotification } from './notify.js';
import type { PipelineDeps } from './shared.js';

export interface InsightsResult {
  /** The anomalies of this evaluation's data, open first, then by severity and impact: report.json's anomalies[]. */
  anomalies: ReportAnomaly[];
  /** How they were judged; absent when anomaly detection is off or there is no cost data. */
  anomalyDetection?: AnomalyDetectionSummary;
  /** Every configured budget in its current period: report.json's budgets[]. */
  budgets: ReportBudget[];
  /**
   * Alerts raised by this evaluation (`critical-anomaly`, `budget-threshold`), each once ever: for the notifier.
   * They also wait in Redis (`pending-alerts`) until acknowledged, so a crash between here and sending loses none.
   */
  pendingAlerts: InsightAlert[];
  /** Budget approval requests opened by this evaluation. */
  approvalsOpened: BudgetApproval[];
  /** AWS calls this evaluation made (Cost Explorer usage-type lookups; cache hits make none). */
  usage: ApiUsage;
}

export interface RunInsightsInput {
  /** The cost data: a scan's stored dataset, or the cached one a monitoring run reads. Undefined: none available. */
  dataset: CostDataset | undefined;
  /** Why there is no dataset, for the budgets' notes. */
  noDataReason?: string;
  logger: Logger;
  /** Who evaluates (a scan's report job): its retry after a crash takes the evaluation lock back at once. */
  holder?: string;
}

const SEVERITY_TO_NOTIFICATION: Record<InsightAlert['severity'], NotificationSeverity> = {
  low: 'info',
  medium: 'info',
  high: 'warning',
  critical: 'critical',
};

/**
 * Evaluates anomalies and budgets over `dataset` against the state in Redis: tracks anomalies across evaluations,
 * names usage types (at most anomalyDetection.usageTypeLookups Cost Explorer lookups, through the cost cache),
 * raises each alert once, and updates budget approvals. It reads no other AWS data, so a monitoring run that
 * calls it on cached costs adds no Cost Explorer spend beyond those lookups.
 *
 * @example
 * const insights = await runInsights(deps, { dataset: await deps.store.loadCosts(scanId), logger });
 * insights.pendingAlerts.map((a) => insightNotification(a, { scanId }));
 */
export async function runInsights(deps: PipelineDeps, input: RunInsightsInput): Promise<InsightsResult> {
  const { config } = deps;
  const state = new InsightState(deps.redis, config.redis.prefix);
  const now = deps.now();
  return state.withLock(async () => {
    // Older data than already evaluated (a late retry of an old scan's report): report it, leave the state be.
    const current = input.dataset ? await state.advanceDataEnd(input.dataset.end) : true;
    const pendingAlerts: InsightAlert[] = [];
    let usage = emptyApiUsage();
    let anomalies: ReportAnomaly[] = [];
    let anomalyDetection: AnomalyDetectionSummary | undefined;

    if (config.anomalyDetection.enabled && input.dataset) {
      const settings = config.anomalyDetection;
      const detection = detectAnomalies(input.dataset, settings);
      const { tracked, touched } = trackAnomalies(await state.loadAnomalies(), detection, now);
      const lookups = current
        ? await lookUpUsageTypes(deps, planUsageTypeLookups(tracked, touched, settings), now, input.logger)
        : { results: [], usage: emptyApiUsage(), failures: 0 };
      usage = mergeApiUsage(usage, lookups.usage);
      const plan = planAnomalyAlerts(applyUsageTypes(tracked, lookups.results, settings), { touched, latestDay: detection.latestDay, now }, settings);
      if (current) {
        for (const alert of plan.alerts) if (await state.raise(alert)) pendingAlerts.push(alert);
        await state.saveAnomalies(plan.tracked);
      }
      const ids = new Set(touched);
      anomalies = plan.tracked.filter((a) => ids.has(a.id)).sort(reportOrder).map(toReportAnomaly);
      anomalyDetection = summarize(detection, settings, lookups.usage.costExplorerRequests, [
        ...(lookups.failures > 0 ? [`${lookups.failures} usage-type lookup(s) failed: those root causes stop at service, region and account`] : []),
        ...(current ? [] : ['newer cost data was evaluated before: this report does not change anomaly state or alerts']),
      ]);
    }

    let budgets: ReportBudget[] = [];
    let approvalsOpened: BudgetApproval[] = [];
    if (config.budgets.items.length > 0) {
      const statuses = evaluateBudgets({ budgets: config.budgets.items, dataset: input.dataset, now, noDataReason: input.noDataReason });
      const previous = await state.loadApprovals();
      if (current && input.dataset) {
        const raised = await state.raisedKeys();
        for (const { alert, keys } of planBudgetAlerts(statuses, raised, now)) if (await state.raise(alert, keys.slice(1))) pendingAlerts.push(alert);
        const approvals = planApprovals(statuses, previous, now);
        await state.saveApprovals(approvals.approvals);
        approvalsOpened = approvals.opened;
        budgets = statuses.map((s) => toReportBudget(s, approvals.approvals));
      } else {
        budgets = statuses.map((s) => toReportBudget(s, previous));
      }
    }

    await state.pruneAlertLog(new Date(now.getTime() - ALERT_LOG_RETENTION_DAYS * 86_400_000));
    input.logger.info(
      { anomalies: anomalies.length, open: anomalies.filter((a) => a.status === 'open').length, budgets: budgets.length, alerts: pendingAlerts.map((a) => a.dedupKey), approvalsOpened: approvalsOpened.map((a) => a.id) },
      'insights evaluated',
    );
    return { anomalies, ...(anomalyDetection ? { anomalyDetection } : {}), budgets, pendingAlerts, approvalsOpened, usage };
  }, input.holder ? { holder: input.holder } : {});
}

/**
 * Insights of a finished scan, from the cost data its `costs` job stored, with the raised alerts queued for the
 * notification channels. The Cost Explorer requests of usage-type lookups are recorded against the scan (under
 * `<scanId>.insights`), so its report counts them.
 */
export async function insightsForScan(deps: PipelineDeps, scanId: string, { logger, attempt = 0 }: { logger: Logger; attempt?: number }): Promise<InsightsResult> {
  const dataset = await deps.store.loadCosts(scanId);
  const result = await runInsights(deps, {
    dataset,
    noDataReason: deps.config.costs.enabled ? 'the scan has no cost data (see its errors, stage costs)' : 'costs.enabled is false',
    logger,
    holder: `${scanId}.insights`,
  });
  if (Object.keys(result.usage.calls).length > 0) await deps.store.recordUsage(scanId, `${scanId}.insights`, attempt, result.usage);
  await queueInsightAlerts(deps, { scanId, logger });
  return result;
}

/**
 * Queues every pending insight alert (this evaluation's and any an earlier, interrupted one left) as a notification
 * for its subscribed channels, then acknowledges it. Queueing is idempotent per (channel, dedup key), so a retry
 * after a crash between the two steps sends nothing twice. Returns the dedup keys queued.
 */
export async function queueInsightAlerts(deps: PipelineDeps, { scanId, logger }: { scanId?: string; logger: Logger }): Promise<string[]> {
  const state = new InsightState(deps.redis, deps.config.redis.prefix);
  const pending = await state.pendingAlerts();
  for (const alert of pending) {
    const link = scanId ? reportLink(deps.config.notifications.reportBaseUrl, scanId) : undefined;
    const channels = await enqueueNotification(deps, insightNotification(alert, { scanId, link }));
    logger.info({ dedupKey: alert.dedupKey, event: alert.event, channels }, channels.length ? 'insight alert queued' : 'insight alert raised (no channel subscribed)');
  }
  await state.acknowledgeAlerts(pending.map((a) => a.dedupKey));
  return pending.map((a) => a.dedupKey);
}

/**
 * An insight alert as a notification for the channels (`notificationSchema` of @finops/notifications): the same
 * dedup key, so a notifier that already sent it drops the repeat.
 */
export function insightNotification(alert: InsightAlert, context: { scanId?: string; link?: string } = {}): Notification {
  const fields = Object.entries(alert.details)
    .filter(([, value]) => value !== null && value !== '')
    .slice(0, 10)
    .map(([label, value]) => ({ label: label.slice(0, 60), value: String(value).slice(0, 500) }));
  return notificationSchema.parse({
    event: alert.event,
    dedupKey: alert.dedupKey.slice(0, 300),
    title: alert.title.length > 150 ? `${alert.title.slice(0, 149)}…` : alert.title,
    text: alert.message.slice(0, 3000),
    severity: SEVERITY_TO_NOTIFICATION[alert.severity],
    fields,
    ...(context.link ? { link: context.link } : {}),
    ...(context.scanId ? { scanId: context.scanId } : {}),
    occurredAt: alert.raisedAt,
    data: alert.details,
  });
}

/** Usage-type costs of each lookup; a failed lookup is logged and skipped (the root cause stays at service level). */
async function lookUpUsageTypes(
  deps: PipelineDeps,
  lookups: readonly UsageTypeLookup[],
  now: Date,
  logger: Logger,
): Promise<{ results: { lookup: UsageTypeLookup; costs: UsageTypeCosts }[]; usage: ApiUsage; failures: number }> {
  const results: { lookup: UsageTypeLookup; costs: UsageTypeCosts }[] = [];
  let failures = 0;
  const { usage } = await withApiUsage(async () => {
    for (const lookup of lookups) {
      try {
        const { service, region, accountId, start, end } = lookup;
        results.push({ lookup, costs: await deps.aws.access.fetchUsageTypeCosts({ service, region, accountId, start, end, now }) });
      } catch (error) {
        failures += 1;
        logger.warn({ err: (error as Error).message, service: lookup.service, region: lookup.region, accountId: lookup.accountId }, 'usage-type lookup failed; root cause stays at service level');
      }
    }
  });
  return { results, usage, failures };
}

function reportOrder(a: TrackedAnomaly, b: TrackedAnomaly): number {
  return Number(b.status === 'open') - Number(a.status === 'open') || compareSeverity(b.severity, a.severity) || b.impactUsdToDate - a.impactUsdToDate || a.series.localeCompare(b.series);
}

function toReportAnomaly(a: TrackedAnomaly): ReportAnomaly {
  return {
    id: a.id,
    series: a.series,
    dimension: a.dimension,
    startDate: a.startDate,
    latestDate: a.latestDate,
    status: a.status,
    days: a.days,
    baselineUsdPerDay: a.baselineUsdPerDay,
    actualUsdPerDay: a.actualUsdPerDay,
    impactUsdPerDay: a.impactUsdPerDay,
    impactUsdToDate: a.impactUsdToDate,
    deviationPercent: a.deviationPercent,
    peakImpactUsd: a.peakImpactUsd,
    severity: a.severity,
    rootCauses: a.rootCauses,
    ...(a.rootCauseNote ? { rootCauseNote: a.rootCauseNote } : {}),
    firstSeenAt: a.firstSeenAt,
    ...(a.closedAt ? { closedAt: a.closedAt } : {}),
    ...(a.alertedSeverity ? { alertedSeverity: a.alertedSeverity } : {}),
  };
}

function summarize(detection: AnomalyDetection, settings: PipelineDeps['config']['anomalyDetection'], requests: number, notes: readonly string[]): AnomalyDetectionSummary {
  return {
    unit: detection.unit,
    dataStart: detection.dataStart,
    dataEnd: detection.dataEnd,
    latestDay: detection.latestDay,
    thresholds: {
      minImpactUsdPerDay: settings.minImpactUsdPerDay,
      minDeviationPercent: settings.minDeviationPercent,
      minRobustZScore: settings.minRobustZScore,
      baselineDays: settings.baselineDays,
      minHistoryDays: settings.minHistoryDays,
    },
    seriesJudged: detection.series.filter((s) => s.status === 'judged').length,
    seriesDaysJudged: detection.seriesDaysJudged,
    seriesLackingHistory: detection.series.filter((s) => s.status === 'insufficient-history').map((s) => ({ series: s.series, historyDays: s.historyDays })),
    zeroCostSeries: detection.series.filter((s) => s.status === 'zero-cost').length,
    usageTypeRequests: requests,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

function toReportBudget(s: BudgetStatus, approvals: readonly BudgetApproval[]): ReportBudget {
  const approval = approvals.find((a) => a.budgetId === s.id && a.periodStart === s.periodStart);
  return {
    ...s,
    forecastUsd: s.forecast.usd,
    ...(approval ? { approval: { id: approval.id, status: approval.status, ...(approval.decidedBy ? { decidedBy: approval.decidedBy } : {}) } } : {}),
  };
}
