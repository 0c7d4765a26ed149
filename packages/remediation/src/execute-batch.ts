// One remediation job: the actions of one run in one account and region, each checked, limited, idempotent, audited.
import {
  ADVISORY_ACTION_TYPES,
  ActionParamsError,
  createActionContext,
  executorFor,
  factsOf,
  toAwsAccessError,
  type AnyActionExecutor,
  type Facts,
  type Observed,
  type ResumeFrom,
} from '@finops/aws';
import { AwsAccessError, FinopsError, type Recommendation, type Resource } from '@finops/core';
import { ActionIntent, IntentNotRecordedError, lostCallsNote, lostCallsOf, platformActed, requestIdsOf } from './action-intent.js';
import { AuditTrail } from './audit-trail.js';
import { budgetGate, remediationStores, type RemediationDeps } from './remediation-deps.js';
import type { RemediationStore } from './remediation-store.js';
import type { ActionRecord, ActionStatus, ApprovalRecord, ApprovalRef, AuditEntry, BatchResult, RemediationRun } from './remediation-types.js';
import { actionIdFor } from './ids.js';
import { allowedLive, approvalNeeded, approvalProblem, autoApproved, protectedTag } from './safety-policy.js';
import { openRecommendations, scannedResources } from './scan-inputs.js';
import { describeChanges, stateDigest } from './state-digest.js';

/** A run, its scan or its data is gone: the job cannot do anything and must not be retried. */
export class RemediationInputError extends FinopsError {}

/** Another attempt of the same action holds its lock: retry later (the job's backoff). */
export class ActionBusyError extends FinopsError {}

/** The recommendation's params with the safety settings that shape an action laid over them. */
export function effectiveParams(recommendation: Recommendation, safety: RemediationDeps['config']['safety']): Recommendation['action']['params'] {
  const params = recommendation.action.params;
  return recommendation.action.type === 'ebs.delete-snapshot' && safety.archiveSnapshots ? { ...params, archive: true } : params;
}

/** Statuses that count against safety.maxActionsPerRun: the actions that reached (or would reach) AWS. */
const COUNTED: ReadonlySet<ActionStatus> = new Set(['planned', 'applied', 'already-applied', 'failed']);

/** A live record in one of these states is final for its action: it is reported again, never redone. */
const DONE: ReadonlySet<ActionStatus> = new Set(['applied', 'already-applied']);

interface BatchContext {
  deps: RemediationDeps;
  run: RemediationRun;
  store: RemediationStore;
  audit: AuditTrail;
  scanned: Map<string, Resource>;
  approvals: Map<string, ApprovalRecord>;
  dismissed: Map<string, string>;
}

function auditOf(record: ActionRecord): AuditEntry {
  return {
    at: record.at,
    event: record.status,
    actor: record.actor,
    trigger: record.trigger,
    mode: record.mode,
    runId: record.runId,
    actionId: record.actionId,
    scanId: record.scanId,
    recommendationId: record.recommendationId,
    actionType: record.actionType,
    accountId: record.accountId,
    region: record.region,
    resourceId: record.resourceId,
    resourceKind: record.resourceKind,
    ...(record.before ? { before: record.before } : {}),
    ...(record.after ? { after: record.after } : {}),
    ...(record.plannedCalls ? { calls: record.plannedCalls } : liveCalls(record)),
    ...(record.requestIds?.length ? { requestIds: record.requestIds } : {}),
    result: record.reason ? `${record.status}: ${record.reason}` : record.status,
    monthlySavingsUsd: record.monthlySavingsUsd,
  };
}

/** The calls of a live record for its audit entry: those answered, and those whose answer was lost (so marked). */
function liveCalls(record: ActionRecord): Pick<AuditEntry, 'calls'> {
  const lost = (record.lostCalls ?? []).map((call) => ({ ...call, note: 'sent; its answer and request id were lost when the attempt was interrupted' }));
  const calls = [...(record.calls ?? []), ...lost].sort((a, b) => a.at.localeCompare(b.at));
  return calls.length ? { calls } : {};
}

/**
 * Runs the job of one (run, account, region): every open recommendation of the run in that partition, largest saving
 * first. Safe to run again: an action already applied is reported with its first result and not called again; an
 * action interrupted after its intent was recorded resumes from the resource's real state, and one found done is
 * `applied` with the undo data its interrupted attempt recorded — if that attempt had called AWS (otherwise the
 * change is someone else's: `skipped`, without undo). A retryable AWS failure (throttling, a waiter timing out) is
 * thrown so the job is retried; a permanent one fails that action only.
 */
export async function executeBatch(deps: RemediationDeps, payload: { runId: string; accountId: string; region: string }): Promise<BatchResult> {
  const { store, audit } = remediationStores(deps);
  const run = await store.getRun(payload.runId);
  if (!run) throw new RemediationInputError(`remediation run ${payload.runId} not found (expired after safety.auditRetentionDays, or never created)`);
  const scan = await deps.scans.getScan(run.scanId);
  if (!scan) throw new RemediationInputError(`scan ${run.scanId} of run ${run.runId} has no data left (workers.retention.scanDataDays)`, { hint: 'scan again and start a new run' });
  const { accountId, region } = payload;
  const recommendations = await openRecommendations(deps.scans, run.scanId, accountId, region, run.recommendationIds);
  const context: BatchContext = {
    deps,
    run,
    store,
    audit,
    scanned: await scannedResources(deps.scans, scan, accountId, region),
    approvals: await store.getApprovals(recommendations.map((r) => r.id)),
    dismissed: (await deps.dismissed?.(recommendations.map((r) => r.id))) ?? new Map(),
  };
  const actions: ActionRecord[] = [];
  let counted = 0;
  for (const recommendation of recommendations) {
    const record = await processAction(context, recommendation, counted);
    actions.push(record);
    // A dry run's plan that a live run would not carry out does not use up the limit either.
    if (COUNTED.has(record.status) && record.wouldRunLive !== false && (!record.replayed || record.runId === run.runId)) counted += 1;
  }
  const counts: BatchResult['counts'] = {};
  for (const action of actions) counts[action.status] = (counts[action.status] ?? 0) + 1;
  const result: BatchResult = { runId: run.runId, accountId, region, mode: run.mode, finishedAt: deps.now().toISOString(), actions, counts };
  await store.saveBatch(result);
  deps.logger?.info({ runId: run.runId, accountId, region, mode: run.mode, counts }, 'remediation batch done');
  return result;
}

async function processAction(context: BatchContext, recommendation: Recommendation, counted: number): Promise<ActionRecord> {
  const { deps, run, store } = context;
  const actionId = actionIdFor({ mode: run.mode, scanId: run.scanId, runId: run.runId, recommendationId: recommendation.id, action: recommendation.action });
  const existing = await store.getAction(actionId);
  // Idempotency: an action applied once (by this run's earlier attempt, or an earlier run on the same scan) is
  // reported with its first result, and so is one applied in part (its record keeps the undo of that part); within
  // one run, every final outcome is.
  if (existing && (DONE.has(existing.status) || existing.partiallyApplied || (existing.runId === run.runId && existing.status !== 'in-progress'))) {
    return { ...existing, replayed: true };
  }
  const interrupted = existing?.status === 'in-progress' && existing.before ? existing : undefined;
  // An interrupted attempt that called AWS began the action: it is completed from its intent, and the gates below
  // (dismissal, safety.allowedActions, approvals, the run's limit) only apply to actions not yet begun. What a gate
  // would say now is put on the record instead of replacing it (which would lose the undo data).
  const begun = interrupted !== undefined && platformActed(interrupted);
  const overruled: string[] = [];
  const base: ActionRecord = {
    actionId,
    runId: run.runId,
    scanId: run.scanId,
    mode: run.mode,
    status: 'skipped',
    recommendationId: recommendation.id,
    checkId: recommendation.checkId,
    actionType: recommendation.action.type,
    accountId: recommendation.accountId,
    region: recommendation.region,
    resourceId: recommendation.resourceId,
    resourceKind: recommendation.resourceKind,
    ...(recommendation.resourceName !== undefined ? { resourceName: recommendation.resourceName } : {}),
    monthlySavingsUsd: recommendation.monthlySavingsUsd,
    risk: recommendation.risk,
    actor: run.actor,
    trigger: run.trigger,
    at: deps.now().toISOString(),
    ...(existing?.attempts ? { attempts: existing.attempts } : {}),
  };
  const finish = async (outcome: Partial<ActionRecord> & { status: ActionStatus }): Promise<ActionRecord> => {
    const note = begun && overruled.length ? gatesNote(overruled) : undefined;
    const reason = note ? (outcome.reason ? `${outcome.reason}; ${note}` : note) : outcome.reason;
    const record: ActionRecord = { ...base, ...outcome, ...(reason ? { reason } : {}), ...(note ? { notes: [...(outcome.notes ?? []), note] } : {}), at: deps.now().toISOString() };
    await store.saveAction(record);
    await context.audit.append(auditOf(record));
    return record;
  };
  /** A gate's refusal: final for an action not yet begun; for a begun one, only noted (see `begun`). */
  const refuse = async (outcome: { status: ActionStatus; reason: string }): Promise<ActionRecord | undefined> => {
    if (!begun) return finish(outcome);
    overruled.push(`${outcome.status} (${outcome.reason})`);
    return undefined;
  };
  const executor = executorFor(recommendation.action.type);
  if (!executor) {
    const advisory = ADVISORY_ACTION_TYPES[recommendation.action.type];
    return finish({ status: 'not-allowed', reason: advisory ? `${recommendation.action.type} is advice only: ${advisory}` : `no executor handles ${recommendation.action.type}: it stays a recommendation` });
  }
  let params: unknown;
  try {
    params = executor.parseParams(effectiveParams(recommendation, deps.config.safety), recommendation.resourceId);
  } catch (error) {
    if (error instanceof ActionParamsError) return finish({ status: 'failed', errorCode: 'InvalidActionParams', reason: error.message });
    throw error;
  }
  const protectedBy = protectedTag(recommendation.tags, deps.config.safety);
  if (protectedBy) return finish({ status: 'skipped', reason: `protected by tag ${protectedBy}` });
  const dismissal = context.dismissed.get(recommendation.id);
  if (dismissal) {
    const refused = await refuse({ status: 'skipped', reason: `dismissed: ${dismissal}` });
    if (refused) return refused;
  }
  const live = run.mode === 'live';
  const notes: string[] = [];
  if (!allowedLive(executor.type, deps.config.safety)) {
    if (live) {
      const refused = await refuse({ status: 'not-allowed', reason: `${executor.type} is not in safety.allowedActions: it stays a recommendation` });
      if (refused) return refused;
    } else notes.push(`a live run would not do it: ${executor.type} is not in safety.allowedActions`);
  }
  const holding = await budgetGate(deps).holding({ accountId: recommendation.accountId, kind: recommendation.resourceKind, tags: recommendation.tags });
  const needed = approvalNeeded(recommendation, deps.config.safety, holding);
  let approval: ApprovalRef | undefined;
  const recorded = context.approvals.get(recommendation.id);
  if (needed && autoApproved(recommendation, run.trigger, deps.config.safety)) {
    approval = { by: 'safety.autoApprove', at: base.at, auto: true };
  } else if (needed) {
    // The state check comes after describing the resource; what needs no AWS call is refused here.
    const problem = approvalProblem(recorded, undefined, deps.now(), deps.config.safety);
    if (problem && live) {
      const refused = await refuse({ status: recorded?.decision === 'rejected' ? 'skipped' : 'needs-approval', reason: `${needed}: ${problem}` });
      if (refused) return refused;
    } else if (problem) notes.push(`a live run needs an approval first (${needed}): ${problem}`);
    else if (recorded) approval = { by: recorded.actor, at: recorded.at, auto: false };
  }
  if (counted >= deps.config.safety.maxActionsPerRun && notes.length === 0 && !begun) {
    return finish({ status: 'pending', reason: `safety.maxActionsPerRun (${deps.config.safety.maxActionsPerRun}) reached in account ${recommendation.accountId}, ${recommendation.region}: run again to continue` });
  }
  return act(context, { executor, params, recommendation, base, finish, interrupted, live, notes, approval, approvalNeeded: Boolean(needed) && !approval?.auto, recorded });
}

/** What the record and its audit entry say of the gates a begun action was completed past. */
function gatesNote(overruled: readonly string[]): string {
  return `not re-evaluated now: ${overruled.join('; ')} — the action had begun (its interrupted attempt had called AWS), so it was completed from its intent rather than dropped with its undo data`;
}

/**
 * The outcome of an action that stopped after part of it was carried out: `failed`, with `partiallyApplied` and the
 * undo data the executor recorded before its first call, so `finops rollback` can reverse what was done.
 */
function partialOutcome(intent: ActionRecord, why: string): Partial<ActionRecord> {
  const done = [...(intent.calls ?? []).filter((call) => call.ok).map((call) => call.api), ...lostCallsOf(intent).map((call) => `${call.api} (answer lost)`)];
  return {
    partiallyApplied: true,
    ...(intent.undo ? { undo: intent.undo } : {}),
    reason: `${why}; applied in part: ${done.join(', ')} went through${intent.undo ? ` — \`finops rollback ${intent.actionId}\` reverses it` : ', and nothing was recorded to undo it'}`,
  };
}

interface ActInput {
  executor: AnyActionExecutor;
  params: unknown;
  recommendation: Recommendation;
  base: ActionRecord;
  finish: (outcome: Partial<ActionRecord> & { status: ActionStatus }) => Promise<ActionRecord>;
  /** The `in-progress` record an interrupted attempt of this action left (with the state before it). */
  interrupted: ActionRecord | undefined;
  live: boolean;
  notes: string[];
  approval: ApprovalRef | undefined;
  approvalNeeded: boolean;
  recorded: ApprovalRecord | undefined;
}

/** The executor's methods with the resource kind erased: the registry pairs each executor with its own kind. */
interface ErasedExecutor {
  facts(resource: Resource): Facts;
  describe(context: unknown, params: unknown): Promise<Observed | undefined>;
  readiness(observed: Observed, params: unknown, resume?: ResumeFrom): ReturnType<AnyActionExecutor['readiness']>;
  plan(observed: Observed, params: unknown, actionId: string): ReturnType<AnyActionExecutor['plan']>;
  apply(context: unknown, observed: Observed, params: unknown, resume?: ResumeFrom): ReturnType<AnyActionExecutor['apply']>;
}

/**
 * A retry found the action's change already made. If the interrupted attempt had called AWS, the change is the
 * platform's: `applied`, with what that attempt put on record before calling (undo data, calls and request ids).
 * Otherwise someone else made it: `skipped`, with no undo that would reverse a change the platform did not make.
 */
function confirmOnRetry(input: ActInput, interrupted: ActionRecord, found: string, current: { before?: Facts; after?: Facts }): Promise<ActionRecord> {
  const calls = interrupted.calls ?? [];
  const history = calls.length ? { calls, requestIds: requestIdsOf(calls) } : {};
  if (!platformActed(interrupted)) {
    return input.finish({
      status: 'skipped',
      ...(current.before ? { before: current.before } : {}),
      ...history,
      reason: `nothing to do: ${found}; the interrupted attempt of this action had not changed anything in AWS, so the change is someone else's and has no undo here`,
    });
  }
  const lost = lostCallsOf(interrupted);
  const lostNote = lostCallsNote(lost);
  const approval = interrupted.approval ?? input.approval;
  return input.finish({
    status: 'applied',
    before: interrupted.before,
    ...(current.after ? { after: current.after } : {}),
    ...history,
    ...(lost.length ? { lostCalls: lost } : {}),
    ...(interrupted.undo ? { undo: interrupted.undo } : {}),
    notes: lostNote ? [lostNote] : [],
    ...(interrupted.attempts ? { attempts: interrupted.attempts } : {}),
    ...(approval ? { approval } : {}),
    reason: `confirmed on retry: an interrupted attempt had made the change (${found})${lostNote ? `; ${lostNote}` : ''}`,
  });
}

async function act(context: BatchContext, input: ActInput): Promise<ActionRecord> {
  const { deps, store } = context;
  const { recommendation, base, finish, interrupted, live, notes } = input;
  const resume: ResumeFrom | undefined = interrupted?.before ? { before: interrupted.before } : undefined;
  const executor = input.executor as unknown as ErasedExecutor;
  if (!deps.access) throw new RemediationInputError('remediation needs AWS access here: run it in the optimizer workers');
  const safety = deps.config.safety;
  // A lease as long as a job's lock, renewed while this attempt lives (waiters included): a concurrent attempt is
  // turned away, and a crashed holder's lease expires with its job's lock, so the retry resumes at once.
  const leaseMs = deps.config.workers.lockDurationMs;
  const token = live ? await store.lock(base.actionId, leaseMs) : undefined;
  if (live && !token) throw new ActionBusyError(`action ${base.actionId} is being applied by another attempt`, { hint: 'the job is retried later' });
  const stopRenewing = token ? store.keepLocked(base.actionId, token, leaseMs) : undefined;
  // Set once the intent is on record: every mutating call, its answer and the undo data are written to it first.
  let intent: ActionIntent | undefined;
  const recording = (): ActionIntent => {
    if (!intent) throw new Error(`${input.executor.type} made a mutating call before its intent was recorded: a bug in the executor, nothing was sent`);
    return intent;
  };
  const actionContext = createActionContext({
    access: deps.access,
    scope: { accountId: recommendation.accountId, region: recommendation.region },
    actionId: base.actionId,
    waiter: { maxWaitTime: safety.waitTimeoutSec, ...deps.waiter },
    ...(deps.fetchBytes ? { fetchBytes: deps.fetchBytes } : {}),
    beforeCall: (call) => recording().sending(call),
    onCall: (call) => recording().answered(call),
    onUndo: (undo) => recording().undo(undo),
  });
  try {
    const observed = await executor.describe(actionContext, input.params);
    if (!observed) {
      if (interrupted && input.executor.removes) return confirmOnRetry(input, interrupted, 'the resource is gone', {});
      return finish({ status: 'skipped', reason: 'the resource no longer exists' });
    }
    const facts = executor.facts(observed.resource);
    const tags = observed.resource.tags;
    // Checked first: a protected resource is never touched, whatever else changed.
    const protectedBy = protectedTag(tags, safety);
    if (protectedBy && interrupted && platformActed(interrupted)) {
      // Never touched again, but what the interrupted attempt did stays on record with its undo data.
      const { calls = [], lostCalls = [] } = interrupted;
      return finish({
        status: 'failed',
        before: interrupted.before,
        after: facts,
        calls,
        requestIds: requestIdsOf(calls),
        ...(lostCalls.length ? { lostCalls } : {}),
        ...(interrupted.attempts ? { attempts: interrupted.attempts } : {}),
        ...partialOutcome(interrupted, `protected by tag ${protectedBy} since its interrupted attempt: no further call was made`),
      });
    }
    if (protectedBy) return finish({ status: 'skipped', before: facts, reason: `protected by tag ${protectedBy}` });
    if (!resume) {
      const scanned = context.scanned.get(`${recommendation.resourceKind}/${recommendation.resourceId}`);
      const scannedFacts = scanned ? factsOf(input.executor, scanned) : undefined;
      const changes = describeChanges({ facts: scannedFacts ?? facts, tags: recommendation.tags }, { facts, tags });
      if (changes.length > 0) return finish({ status: 'skipped', before: facts, reason: `changed since the scan: ${changes.join('; ')}` });
    }
    if (live && input.approvalNeeded && !resume) {
      const problem = approvalProblem(input.recorded, stateDigest(recommendation.id, recommendation.action, facts, tags), deps.now(), safety);
      if (problem) return finish({ status: 'needs-approval', before: facts, reason: problem });
    }
    const readiness = executor.readiness(observed, input.params, resume);
    if (readiness.state === 'done') {
      return interrupted
        ? confirmOnRetry(input, interrupted, readiness.reason, { before: facts, after: facts })
        : finish({ status: 'skipped', before: facts, reason: `nothing to do: ${readiness.reason}` });
    }
    if (readiness.state === 'blocked') return finish({ status: 'skipped', before: facts, reason: readiness.reason });
    if (!live) {
      return finish({
        status: 'planned',
        before: facts,
        plannedCalls: executor.plan(observed, input.params, base.actionId),
        wouldRunLive: notes.length === 0,
        ...(notes.length ? { reason: notes.join('; ') } : {}),
      });
    }
    const before = resume?.before ?? facts;
    const attempts = (base.attempts ?? 0) + 1;
    const kept = input.approval ?? interrupted?.approval;
    const approval = kept ? { approval: kept } : {};
    // The intent is on record before AWS is called, and each call before it goes out: a crash between a call and its
    // record leaves this behind, and the retry looks at the resource's real state instead of calling again blindly.
    intent = await ActionIntent.start(store, { ...base, status: 'in-progress', before, attempts, ...approval }, interrupted);
    try {
      const applied = await executor.apply(actionContext, observed, input.params, resume);
      const { calls = [], lostCalls = [] } = intent.record;
      const lostNote = lostCallsNote(lostCalls);
      return await finish({
        status: 'applied',
        before,
        after: applied.after ? executor.facts(applied.after.resource) : undefined,
        calls,
        requestIds: requestIdsOf(calls),
        ...(lostCalls.length ? { lostCalls } : {}),
        ...(applied.undo ? { undo: applied.undo } : {}),
        notes: lostNote ? [...applied.notes, lostNote] : applied.notes,
        attempts,
        ...approval,
        ...(lostNote ? { reason: lostNote } : {}),
      });
    } catch (error) {
      // Not an AWS failure: AWS may have carried the call out. The retry reads what the record holds.
      if (error instanceof IntentNotRecordedError) throw error;
      const failure = error instanceof AwsAccessError ? error : toAwsAccessError(error, actionContext.scope, input.executor.type);
      if (failure.retryable) {
        await intent.interrupted(`interrupted: ${failure.code}: ${failure.message}`);
        throw failure;
      }
      const { calls = [], lostCalls = [] } = intent.record;
      const reason = failure.hint ? `${failure.message} (${failure.hint})` : failure.message;
      return await finish({
        status: 'failed',
        before,
        calls,
        requestIds: requestIdsOf(calls),
        ...(lostCalls.length ? { lostCalls } : {}),
        errorCode: failure.code,
        reason,
        attempts,
        ...approval,
        // An earlier call of this action went through: keep its undo data so a rollback can reverse that part.
        ...(platformActed(intent.record) ? partialOutcome(intent.record, reason) : {}),
      });
    }
  } catch (error) {
    // A describe that failed for good (access denied on the describe call) fails this action only.
    if (error instanceof AwsAccessError && !error.retryable) {
      return finish({ status: 'failed', errorCode: error.code, reason: error.message });
    }
    throw error;
  } finally {
    stopRenewing?.();
    if (token) await store.unlock(base.actionId, token);
  }
}
