// The anomalies[] and budgets[] entries of report.json (since 1.2.0), and the anomaly detection summary.
import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const isoTime = z.iso.datetime({ offset: true });
/** Money can be negative (credits and refunds in net unblended cost), never NaN or infinite. */
const money = z.number().finite();
const count = z.number().int().nonnegative();
const severity = z.enum(['low', 'medium', 'high', 'critical']);

export const rootCauseSchema = z.strictObject({
  /** Cost Explorer SERVICE, REGION, LINKED_ACCOUNT and (when looked up) USAGE_TYPE. */
  service: z.string().min(1),
  region: z.string(),
  accountId: z.string(),
  usageType: z.string().min(1).optional(),
  contributionUsdToDate: money,
  contributionUsdPerDay: money,
  /** Percent of the anomaly's impact to date. */
  sharePercent: z.number().finite(),
});

export const reportAnomalySchema = z.strictObject({
  /** `anom_` + 16 hex digits; the same anomaly keeps its id across scans. */
  id: z.string().regex(/^anom_[0-9a-f]{16}$/, 'expected anom_ and 16 hex digits'),
  /** `total`, `service:<name>`, `region:<name>`, `account:<id>` or `tag:<key>=<value>`. */
  series: z.string().min(1),
  dimension: z.enum(['total', 'service', 'region', 'account', 'tag']),
  /** First and latest anomalous day (UTC). */
  startDate: day,
  latestDate: day,
  /** `open` while the latest day of the cost data is anomalous. */
  status: z.enum(['open', 'closed']),
  days: z.number().int().positive(),
  /** Averages over the anomaly's days, USD per day. */
  baselineUsdPerDay: money,
  actualUsdPerDay: money,
  impactUsdPerDay: money,
  impactUsdToDate: money,
  /** Impact as a percentage of the baseline; null when the baseline was 0 (new spend). */
  deviationPercent: z.number().finite().nullable(),
  peakImpactUsd: money,
  severity,
  /** Largest dollar contribution first. */
  rootCauses: z.array(rootCauseSchema),
  rootCauseNote: z.string().optional(),
  firstSeenAt: isoTime,
  closedAt: isoTime.optional(),
  /** The highest severity a `critical-anomaly` alert was raised for. */
  alertedSeverity: severity.optional(),
});

export const anomalyDetectionSummarySchema = z.strictObject({
  /** The unit of every impact figure and threshold. */
  unit: z.literal('USD per day'),
  /** Cost data judged: first day, day after the last, and the last day. */
  dataStart: day,
  dataEnd: day,
  latestDay: day,
  thresholds: z.strictObject({
    minImpactUsdPerDay: z.number().nonnegative(),
    minDeviationPercent: z.number().nonnegative(),
    minRobustZScore: z.number().nonnegative(),
    baselineDays: count,
    minHistoryDays: count,
  }),
  seriesJudged: count,
  seriesDaysJudged: count,
  /** Series not judged yet: fewer than minHistoryDays days since their first cost. */
  seriesLackingHistory: z.array(z.strictObject({ series: z.string(), historyDays: count })),
  /** Series without any cost in the data (never judged, never anomalous). */
  zeroCostSeries: count,
  /** Cost Explorer requests this evaluation made to name usage types in root causes ($0.01 each; cache hits make none). */
  usageTypeRequests: count,
  note: z.string().optional(),
});

const forecastSchema = z.strictObject({
  /** The forecast thresholds are judged on: Cost Explorer's when it covers the budget, else the platform's. */
  source: z.enum(['cost-explorer', 'platform']).nullable(),
  usd: money.nullable(),
  percent: z.number().finite().nullable(),
  costExplorerUsd: money.nullable(),
  platformUsd: money.nullable(),
  /** (platform − Cost Explorer) / Cost Explorer, percent. */
  differencePercent: z.number().finite().nullable(),
  note: z.string().optional(),
});

const percentList = z.array(z.number().positive());

export const reportBudgetSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  parent: z.string().optional(),
  children: z.array(z.string()),
  scope: z.strictObject({
    accounts: z.array(z.string()).optional(),
    services: z.array(z.string()).optional(),
    tags: z.record(z.string(), z.array(z.string())).optional(),
  }),
  scopeLabel: z.string(),
  period: z.enum(['monthly', 'quarterly']),
  /** `2026-11` or `2026-Q4`; the period runs from periodStart to the day before periodEnd. */
  periodLabel: z.string(),
  periodStart: day,
  periodEnd: day,
  amountUsd: z.number().positive(),
  /** Last day of cost data counted in the actual. */
  dataThrough: day.nullable(),
  actualUsd: money.nullable(),
  actualPercent: z.number().finite().nullable(),
  /** forecast.usd, repeated flat for readers that want one number. */
  forecastUsd: money.nullable(),
  forecast: forecastSchema,
  thresholdsPercent: z.strictObject({ actual: percentList, forecast: percentList }),
  thresholdsCrossed: z.strictObject({ actual: percentList, forecast: percentList }),
  requireApprovalAbovePercent: z.number().positive().optional(),
  /** Actual spend is at or above requireApprovalAbovePercent: remediation in scope needs an operator's approval. */
  approvalRequired: z.boolean(),
  /** The period's approval request, when one was opened. */
  approval: z
    .strictObject({ id: z.string(), status: z.enum(['pending', 'approved', 'rejected']), decidedBy: z.string().optional() })
    .optional(),
  /** The scope's cost per day in the period so far, oldest first. */
  daily: z.array(z.strictObject({ date: day, amountUsd: money })),
  /** Why numbers are missing or partial ("no data for tag scope …"). */
  dataNote: z.string().optional(),
});

export type ReportAnomaly = z.infer<typeof reportAnomalySchema>;
export type ReportBudget = z.infer<typeof reportBudgetSchema>;
export type AnomalyDetectionSummary = z.infer<typeof anomalyDetectionSummarySchema>;
