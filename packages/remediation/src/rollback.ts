// Rolling back one applied action: undo what its record says can be undone, explain what cannot, audit either way.
import { createActionContext, executorFor, toAwsAccessError, type RecordedCall, type RollbackOutcome } from '@finops/aws';
import { AwsAccessError, UsageError } from '@finops/core';
import { jobId, jobQueueName, type JobPayload } from '@finops/queues';
import { ActionBusyError, RemediationInputError } from './execute-batch.js';
import { remediationStores, type RemediationDeps } from './remediation-deps.js';
import { failureOf } from './remediation-runs.js';
import type { ActionRecord, RollbackRecord } from './remediation-types.js';

/** A rollback that ended (restored, in part, or impossible) is final: asking again reports it. */
const FINAL: ReadonlySet<RollbackRecord['status']> = new Set(['rolled-back', 'partial', 'impossible']);

/** The action's rollback when it is final (asking again changes nothing), else undefined. */
export function finishedRollback(record: ActionRecord | undefined): RollbackRecord | undefined {
  return record?.rollback && FINAL.has(record.rollback.status) ? record.rollback : undefined;
}

/** Whether an action record can be rolled back; the reason when it cannot. */
function rollbackRefusal(record: ActionRecord): string | undefined {
  if (record.mode !== 'live') return `action ${record.actionId} was a dry run: nothing was changed`;
  // A failure after part of the action went through keeps the undo data of that part: it can be reversed.
  if (record.status === 'failed' && record.partiallyApplied && record.undo) return undefined;
  if (record.status !== 'applied' && record.status !== 'already-applied') return `action ${record.actionId} was not applied (${record.status}${record.reason ? `: ${record.reason}` : ''})`;
  return undefined;
}

/** Checks a rollback request and queues it on the `remediation` queue (the workers hold the AWS access). */
export async function requestRollback(deps: RemediationDeps, request: { actionId: string; actor: string }): Promise<{ jobId: string; payload: JobPayload<'rollback-action'> }> {
  if (!deps.queues) throw new Error('requestRollback needs the queues');
  const { store } = remediationStores(deps);
  const record = await store.getAction(request.actionId);
  if (!record) throw new UsageError(`no action ${request.actionId}`, { hint: 'action ids (act_…) are in `finops audit` and in the run\'s output' });
  const refusal = rollbackRefusal(record);
  if (refusal) throw new UsageError(refusal);
  const payload: JobPayload<'rollback-action'> = { actionId: request.actionId, actor: request.actor, requestedAt: deps.now().toISOString() };
  const id = jobId['rollback-action'](payload);
  const { attempts, backoffMs, retention } = deps.config.workers;
  await deps.queues.get(jobQueueName('rollback-action')).add('rollback-action', payload, {
    jobId: id,
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    removeOnComplete: { age: retention.completedAgeSec, count: retention.completedCount },
    removeOnFail: { age: retention.failedAgeSec, count: retention.failedCount },
  });
  return { jobId: id, payload };
}

/**
 * The rollback job: runs the executor's undo from the action's recorded undo data. Idempotent: a rollback already
 * finished is reported again; the executors' undo converges (a volume restored once is found by its client token).
 */
export async function executeRollback(deps: RemediationDeps, payload: JobPayload<'rollback-action'>): Promise<ActionRecord> {
  const { store, audit } = remediationStores(deps);
  const record = await store.getAction(payload.actionId);
  if (!record) throw new RemediationInputError(`no action ${payload.actionId} (expired after safety.auditRetentionDays?)`);
  if (record.rollback && FINAL.has(record.rollback.status)) return record;
  const refusal = rollbackRefusal(record);
  if (refusal) throw new RemediationInputError(refusal);
  const executor = executorFor(record.actionType);
  const at = deps.now().toISOString();
  const calls: RecordedCall[] = [];
  let outcome: RollbackOutcome & { failed?: boolean };
  if (!executor) {
    outcome = { status: 'impossible', message: `no executor handles ${record.actionType} any more` };
  } else if (!record.undo) {
    outcome = {
      status: 'impossible',
      message: `nothing was recorded to undo ${record.actionType} on ${record.resourceId}${record.before ? `; its state before was ${JSON.stringify(record.before)}` : ''} (${executor.rollback.note})`,
    };
  } else {
    if (!deps.access) throw new RemediationInputError('a rollback needs AWS access: it runs in the optimizer workers');
    const lockId = `rollback-${record.actionId}`;
    const token = await store.lock(lockId, 4 * deps.config.safety.waitTimeoutSec * 1000 + 60_000);
    if (!token) throw new ActionBusyError(`the rollback of ${record.actionId} is running in another attempt`);
    try {
      const context = createActionContext({
        access: deps.access,
        scope: { accountId: record.accountId, region: record.region },
        actionId: record.actionId,
        waiter: { maxWaitTime: deps.config.safety.waitTimeoutSec, ...deps.waiter },
        ...(deps.fetchBytes ? { fetchBytes: deps.fetchBytes } : {}),
        onCall: (call) => {
          calls.push(call);
        },
      });
      try {
        outcome = await executor.undo(context, record.undo);
      } catch (error) {
        const failure = error instanceof AwsAccessError ? error : toAwsAccessError(error, context.scope, `${record.actionType} rollback`);
        if (failure.retryable) throw failure;
        outcome = { status: 'impossible', message: `the rollback failed: ${failure.code}: ${failure.message}`, failed: true };
      }
    } finally {
      await store.unlock(lockId, token);
    }
  }
  // The undo of an action applied in part reverses that part only: say so beside what the executor reports.
  const done = (record.calls ?? []).filter((call) => call.ok).map((call) => call.api);
  const message = record.partiallyApplied ? `the action was applied in part (${done.join(', ') || 'calls whose answer was lost'}): ${outcome.message}` : outcome.message;
  const rollback: RollbackRecord = {
    status: outcome.failed ? 'failed' : outcome.status,
    message,
    by: payload.actor,
    at,
    ...(outcome.after ? { after: outcome.after } : {}),
    ...(calls.length ? { calls, requestIds: calls.flatMap((c) => (c.requestId ? [c.requestId] : [])) } : {}),
  };
  const updated: ActionRecord = { ...record, rollback };
  await store.saveAction(updated);
  await audit.append({
    at,
    event: 'rollback',
    actor: payload.actor,
    mode: 'live',
    runId: record.runId,
    actionId: record.actionId,
    scanId: record.scanId,
    recommendationId: record.recommendationId,
    actionType: record.actionType,
    accountId: record.accountId,
    region: record.region,
    resourceId: record.resourceId,
    resourceKind: record.resourceKind,
    ...(record.after ? { before: record.after } : {}),
    ...(outcome.after ? { after: outcome.after } : {}),
    ...(calls.length ? { calls, requestIds: rollback.requestIds } : {}),
    result: `${rollback.status}: ${rollback.message}`,
  });
  deps.logger?.info({ actionId: record.actionId, status: rollback.status }, `rollback: ${rollback.message}`);
  return updated;
}

/** The action record, with its rollback once the job finished. */
export async function actionRecord(deps: Pick<RemediationDeps, 'config' | 'redis' | 'now'>, actionId: string): Promise<ActionRecord | undefined> {
  return remediationStores(deps).store.getAction(actionId);
}

/** How a wait for a queued rollback ended. */
export type RollbackWait =
  /** The rollback job finished: `record.rollback` is its result; `earlier` when it is a rollback finished before. */
  | { outcome: 'finished'; record: ActionRecord; earlier: boolean }
  /** The rollback job used all its attempts; `reason` is BullMQ's failedReason. */
  | { outcome: 'job-failed'; jobId: string; reason: string }
  /** Nothing finished in time; `state` is the job's BullMQ state at the end (`waiting` with no worker, …). */
  | { outcome: 'timed-out'; jobId: string; state: string };

function sameRollback(a: RollbackRecord | undefined, b: RollbackRecord | undefined): boolean {
  return a !== undefined && b !== undefined && a.at === b.at && a.by === b.by && a.status === b.status;
}

/**
 * Follows a rollback queued by {@link requestRollback} until its job finishes, fails for good, or `timeoutMs` passes.
 * `previous` is the action's rollback as read before the request: a job that completes leaving it unchanged found a
 * rollback already finished (`earlier: true`). No clock is compared across processes. Each round reads the job's
 * state first, then the record (a completed job's record is final), and a failure's reason as `runProgress` does.
 *
 * @example
 * const previous = (await actionRecord(deps, id))?.rollback;
 * const wait = await waitForRollback(deps, await requestRollback(deps, { actionId: id, actor }), { previous, timeoutMs: 60_000 });
 */
export async function waitForRollback(
  deps: RemediationDeps,
  queued: { jobId: string; payload: JobPayload<'rollback-action'> },
  options: { timeoutMs: number; previous?: RollbackRecord; pollMs?: number },
): Promise<RollbackWait> {
  if (!deps.queues) throw new Error('waitForRollback needs the queues');
  const queue = deps.queues.get(jobQueueName('rollback-action'));
  const { store } = remediationStores(deps);
  const { jobId: id, payload } = queued;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const state = await queue.getJobState(id);
    const record = await store.getAction(payload.actionId);
    const rollback = record?.rollback;
    if (record && rollback && (state === 'completed' || !sameRollback(rollback, options.previous))) {
      return { outcome: 'finished', record, earlier: sameRollback(rollback, options.previous) };
    }
    if (state === 'failed') {
      const reason = await failureOf(queue, id);
      if (reason !== undefined) return { outcome: 'job-failed', jobId: id, reason };
    }
    if (Date.now() >= deadline) return { outcome: 'timed-out', jobId: id, state };
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs ?? 300, Math.max(1, deadline - Date.now()))));
  }
}
