// The plain records remediation keeps in Redis and hands out: runs, per-action outcomes, approvals, audit entries.
import type { Facts, PendingCall, PlannedCall, RecordedCall, UndoData } from '@finops/aws';
import type { Recommendation, Risk } from '@finops/core';

export type RunMode = 'dry-run' | 'live';

/**
 * What became of one recommendation's action in a run:
 * - `planned`: dry run — it would run live (the exact calls are recorded);
 * - `applied`: done live and verified — or found done by a retry after an attempt that was interrupted once it had
 *   called AWS (its reason says `confirmed on retry`, its undo is the one that attempt recorded beforehand);
 * - `already-applied`: a retry found its earlier attempt's result (records written before `confirmed on retry`);
 * - `skipped`: not done, for the reason given (changed since the scan, protected tag, rejected, blocked…);
 * - `needs-approval`, `not-allowed` (not in safety.allowedActions), `pending` (the run's limit was reached);
 * - `failed`: AWS refused or the change could not be verified; with `partiallyApplied`, an earlier call of the same
 *   action had gone through (a resize's StopInstances before its ModifyInstanceAttribute was refused): `undo` holds
 *   what a rollback needs to reverse that part, and the record is final for its action (reported again, not redone);
 * - `in-progress`: the intent recorded before calling AWS, kept up to date call by call (`sending`, `calls`, `undo`);
 *   a record left so was interrupted, and its retry resumes or confirms it.
 */
export type ActionStatus =
  | 'planned'
  | 'applied'
  | 'already-applied'
  | 'skipped'
  | 'needs-approval'
  | 'not-allowed'
  | 'pending'
  | 'failed'
  | 'in-progress';

/** How an action was approved: by a person (or API principal), or by safety.autoApprove on a scheduled run. */
export interface ApprovalRef {
  by: string;
  at: string;
  auto: boolean;
}

/** One action of one run: the idempotency record and the run's result row at once. */
export interface ActionRecord {
  /** The idempotency key: `act_` + a digest of (mode, scan, recommendation, action type and params[, dry run]). */
  actionId: string;
  runId: string;
  scanId: string;
  mode: RunMode;
  status: ActionStatus;
  recommendationId: string;
  checkId: string;
  actionType: string;
  accountId: string;
  region: string;
  resourceId: string;
  resourceKind: string;
  resourceName?: string;
  monthlySavingsUsd: number;
  risk: Risk;
  actor: string;
  trigger: string;
  at: string;
  /** Why it was skipped or failed, or what was found (`already stopped`). */
  reason?: string;
  /** The AWS error code of a failure. */
  errorCode?: string;
  before?: Facts;
  after?: Facts;
  /** Dry run: the calls a live run would make. */
  plannedCalls?: PlannedCall[];
  /** Dry run: false when a live run would not make them (kind not allowed, approval missing): see `reason`. */
  wouldRunLive?: boolean;
  /** Live: the mutating calls made, with their request ids (those of interrupted attempts of the action included). */
  calls?: RecordedCall[];
  requestIds?: string[];
  /**
   * `in-progress`: the mutating call sent and not answered yet, put on record before it goes out. A retry that finds
   * it knows AWS may have carried the call out although the attempt died before hearing back.
   */
  sending?: PendingCall;
  /** Mutating calls an attempt sent and died before recording their answer: AWS may have made them; no request id. */
  lostCalls?: PendingCall[];
  approval?: ApprovalRef;
  /**
   * What a rollback needs; absent when nothing can be undone. While `in-progress`, recorded by the executor before
   * the change it undoes, so a retry that finds the change made keeps it.
   */
  undo?: UndoData;
  notes?: string[];
  /**
   * `failed` after part of the action was carried out (a mutating call AWS accepted, or one sent whose answer was
   * lost): `undo` is kept, and `finops rollback` reverses that part.
   */
  partiallyApplied?: boolean;
  /** Live attempts that reached AWS (a retried job after an interruption counts again). */
  attempts?: number;
  /** The earlier result a retried job reported instead of acting again. */
  replayed?: boolean;
  rollback?: RollbackRecord;
}

export interface RollbackRecord {
  status: 'rolled-back' | 'partial' | 'impossible' | 'failed';
  message: string;
  by: string;
  at: string;
  after?: Facts;
  calls?: RecordedCall[];
  requestIds?: string[];
}

/** A remediation run: which scan's recommendations, in which mode, started by whom. Jobs carry only its id. */
export interface RemediationRun {
  runId: string;
  scanId: string;
  mode: RunMode;
  actor: string;
  /** `cli`, `api`, `schedule:<id>`: a scheduled run may use safety.autoApprove. */
  trigger: string;
  createdAt: string;
  /** The recommendations asked for; absent: every open recommendation of the scan with an executor. */
  recommendationIds?: string[];
  partitions: { accountId: string; region: string }[];
}

/** The outcome of one (run, account, region) job. */
export interface BatchResult {
  runId: string;
  accountId: string;
  region: string;
  mode: RunMode;
  finishedAt: string;
  actions: ActionRecord[];
  counts: Partial<Record<ActionStatus, number>>;
}

/** An approval or rejection of one recommendation in the state it was in. */
export interface ApprovalRecord {
  recommendationId: string;
  decision: 'approved' | 'rejected';
  actor: string;
  at: string;
  reason?: string;
  /** The scan whose recommendation and inventory were approved. */
  scanId: string;
  /** Digest of the recommendation's action and the resource's facts and tags: an approval is for that state only. */
  stateDigest: string;
  facts: Facts;
  tags: Record<string, string>;
  evidence: Recommendation['evidence'];
  actionType: string;
  accountId: string;
  region: string;
  resourceId: string;
}

export type AuditEvent = ActionStatus | 'approved' | 'rejected' | 'rollback';

/** One line of the audit trail (a Redis stream): who or what did what to which resource, when, and what came of it. */
export interface AuditEntry {
  /** The stream entry id (`<ms>-<seq>`), set when read back. */
  id?: string;
  at: string;
  event: AuditEvent;
  actor: string;
  trigger?: string;
  mode?: RunMode;
  runId?: string;
  actionId?: string;
  scanId?: string;
  recommendationId?: string;
  actionType?: string;
  accountId?: string;
  region?: string;
  resourceId?: string;
  resourceKind?: string;
  before?: Facts;
  after?: Facts;
  /** The exact calls: planned ones for a dry run, made ones (with request ids) for a live action or rollback. */
  calls?: (PlannedCall | RecordedCall)[];
  requestIds?: string[];
  /** The outcome in words: the status and its reason. */
  result: string;
  monthlySavingsUsd?: number;
}
