// The report.json contract: a versioned, strict zod schema that every written report is validated against.
import { RESOURCE_KINDS, RISK_LEVELS } from '@finops/core';
import type { Recommendation, ScanError } from '@finops/core';
import { z } from 'zod';
import { reportActionsSchema } from './actions-schema.js';
import { costSummarySchema } from './cost-summary.js';
import { anomalyDetectionSummarySchema, reportAnomalySchema, reportBudgetSchema } from './insights-schema.js';

/**
 * Version of the report.json contract. Additive changes (a new optional field, a new enum value in a
 * reserved array) bump the minor version; removing or changing the meaning of a field bumps the major.
 */
export const REPORT_SCHEMA_VERSION = '1.4.0';

const count = z.number().int().nonnegative();
const usd = z.number().nonnegative();
const isoTime = z.iso.datetime({ offset: true });
const resourceKind = z.enum(RESOURCE_KINDS);

export const recommendationSchema: z.ZodType<Recommendation> = z.strictObject({
  id: z.string().regex(/^rec_[0-9a-f]{16}$/, 'expected rec_ and 16 hex digits'),
  checkId: z.string().min(1),
  resourceId: z.string().min(1),
  resourceKind,
  resourceName: z.string().optional(),
  tags: z.record(z.string(), z.string()),
  accountId: z.string().min(1),
  region: z.string().min(1),
  monthlySavingsUsd: usd,
  risk: z.enum(RISK_LEVELS as ['low', 'medium', 'high']),
  confidence: z.number().min(0).max(1),
  action: z.strictObject({
    type: z.string().min(1),
    description: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
  status: z.enum(['open', 'suppressed', 'dismissed', 'resolved']),
  reason: z.string(),
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  priceConfidence: z.enum(['exact', 'estimated']),
  /** Since 1.4.0: other resources the action changes or deletes (a terminated instance's volumes). */
  relatedResourceIds: z.array(z.string().min(1)).optional(),
  /** Since 1.4.0: why it is out of the totals (status suppressed or dismissed): a tag, a config rule or a dismissal. */
  suppression: z
    .strictObject({
      by: z.enum(['tag', 'config', 'dismissal']),
      reason: z.string().min(1),
      until: isoTime.optional(),
      at: isoTime.optional(),
    })
    .optional(),
  /** Since 1.4.0: the id of the recommendation on the same resource counted instead of this one (not in totals). */
  foldedInto: z.string().regex(/^rec_[0-9a-f]{16}$/).optional(),
  /** Since 1.4.0: history across scans; `resolvedAt` when status is resolved. */
  tracking: z
    .strictObject({
      firstSeenAt: isoTime,
      lastSeenAt: isoTime,
      seenCount: z.number().int().positive(),
      resolvedAt: isoTime.optional(),
    })
    .optional(),
});

export const scanErrorSchema: z.ZodType<ScanError> = z.strictObject({
  stage: z.enum(['discovery', 'analysis', 'optimization', 'report', 'costs']),
  accountId: z.string().optional(),
  region: z.string().optional(),
  kind: z.string().optional(),
  action: z.string().optional(),
  code: z.string().min(1),
  message: z.string(),
  hint: z.string().optional(),
  at: isoTime,
});

/** A recommendation as each of the report's two lists holds it: open ones in `recommendations`, others in `suppressed`. */
export const listedRecommendationSchemas = {
  recommendations: recommendationSchema.refine((r) => r.status === 'open', 'expected status "open" in recommendations'),
  suppressed: recommendationSchema.refine((r) => r.status !== 'open', 'expected a status other than "open" in suppressed'),
} as const;

/** Resource counts by kind; a kind is present when it was inventoried (0 included), absent when not scanned. */
const kindCounts = z.partialRecord(resourceKind, count);
const savingsBucket = z.strictObject({ count, monthlySavingsUsd: usd });

export const reportSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  scanId: z.string().min(1),
  startedAt: isoTime,
  finishedAt: isoTime,
  dryRun: z.boolean(),
  provider: z.enum(['aws', 'simulated']),
  accounts: z.array(z.string()),
  regions: z.array(z.string()),
  inventory: z.strictObject({
    total: count,
    byKind: kindCounts,
    byAccountRegion: z.array(z.strictObject({ accountId: z.string(), region: z.string(), byKind: kindCounts })),
  }),
  /** Open recommendations, largest saving first. */
  recommendations: z.array(listedRecommendationSchemas.recommendations),
  /** Recommendations not counted in totals: suppressed by tag, or dismissed/resolved by an operator. */
  suppressed: z.array(listedRecommendationSchemas.suppressed),
  /**
   * Over open recommendations, without double counting: where several touch one resource, only the best exclusive
   * set is counted (the others carry `foldedInto`). `recommendations` counts every open one listed.
   */
  totals: z.strictObject({
    monthlySavingsUsd: usd,
    recommendations: count,
    byCheck: z.record(z.string(), savingsBucket),
    byAccount: z.record(z.string(), savingsBucket),
    byRegion: z.record(z.string(), savingsBucket),
    /** Since 1.4.0: open recommendations folded into another on the same resource, and their (uncounted) savings. */
    folded: savingsBucket.optional(),
  }),
  /** Since 1.2.0: cost anomalies in the scan's cost data, open ones first (see insights-schema.ts). */
  anomalies: z.array(reportAnomalySchema),
  /** Since 1.2.0: how anomalies were judged (unit, thresholds, series lacking history). Absent without cost data. */
  anomalyDetection: anomalyDetectionSummarySchema.optional(),
  /** Since 1.2.0: every configured budget in its current period (see insights-schema.ts). */
  budgets: z.array(reportBudgetSchema),
  errors: z.array(scanErrorSchema),
  /** Since 1.1.0: the scan's costs from Cost Explorer, summarized. Absent in reports of older scans. */
  costs: costSummarySchema.optional(),
  /** Since 1.3.0: remediation since the previous scan — the audit trail and what it resolved (see actions-schema.ts). */
  actions: reportActionsSchema.optional(),
  apiUsage: z.strictObject({
    /** AWS calls by `<service>.<Operation>`. */
    calls: z.record(z.string(), count),
    throttled: count,
    metricsRequested: count,
    costExplorerRequests: count,
    /** What the scan's paid API calls cost the account (GetMetricData, Cost Explorer). */
    estimatedCostUsd: usd,
  }),
});

export type Report = z.infer<typeof reportSchema>;
export type ApiUsage = Report['apiUsage'];
export type SavingsBucket = z.infer<typeof savingsBucket>;
