// The report's `actions` section (since 1.3.0): the remediation audit trail since the previous scan, and what it resolved.
import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });
const facts = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** One AWS call of an action: planned (a dry run: `note`) or made (live: `at`, `ok`, `requestId`, `errorCode`). */
const actionCallSchema = z.strictObject({
  api: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  note: z.string().optional(),
  at: isoTime.optional(),
  ok: z.boolean().optional(),
  requestId: z.string().optional(),
  errorCode: z.string().optional(),
});

/** One entry of the audit trail: who or what did what to which resource, when, before and after, and the result. */
export const reportActionSchema = z.strictObject({
  /** The Redis stream entry id. */
  id: z.string().optional(),
  at: isoTime,
  event: z.enum([
    'planned',
    'applied',
    'already-applied',
    'skipped',
    'needs-approval',
    'not-allowed',
    'pending',
    'failed',
    'in-progress',
    'approved',
    'rejected',
    'rollback',
  ]),
  /** `alice@laptop`, an API principal, or `schedule:<id>`. */
  actor: z.string(),
  trigger: z.string().optional(),
  mode: z.enum(['dry-run', 'live']).optional(),
  runId: z.string().optional(),
  actionId: z.string().optional(),
  scanId: z.string().optional(),
  recommendationId: z.string().optional(),
  actionType: z.string().optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  resourceId: z.string().optional(),
  resourceKind: z.string().optional(),
  before: facts.optional(),
  after: facts.optional(),
  calls: z.array(actionCallSchema).optional(),
  requestIds: z.array(z.string()).optional(),
  /** The status, and its reason or message. */
  result: z.string(),
  monthlySavingsUsd: z.number().nonnegative().optional(),
});

/** A live action applied since the previous scan, and whether this scan still finds its recommendation. */
const appliedActionSchema = z.strictObject({
  actionId: z.string(),
  recommendationId: z.string(),
  actionType: z.string(),
  checkId: z.string(),
  accountId: z.string(),
  region: z.string(),
  resourceId: z.string(),
  monthlySavingsUsd: z.number().nonnegative(),
  appliedAt: isoTime,
  appliedBy: z.string(),
  /** `resolved`: this scan no longer finds the waste; `open`: it still does (the action did not fix it, or it came back). */
  recommendationStatus: z.enum(['resolved', 'open']),
});

export const reportActionsSchema = z.strictObject({
  /** The window: from the previous scan's start (or the audit retention) to this report. */
  since: isoTime,
  until: isoTime,
  /** Audit trail entries of the scan's accounts in the window, newest first. */
  entries: z.array(reportActionSchema),
  applied: z.array(appliedActionSchema),
  /** Monthly savings of the applied actions whose waste is gone. */
  resolvedMonthlySavingsUsd: z.number().nonnegative(),
});

export type ReportAction = z.infer<typeof reportActionSchema>;
export type ReportActions = z.infer<typeof reportActionsSchema>;
