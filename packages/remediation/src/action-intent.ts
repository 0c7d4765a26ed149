// The intent record of a live action: kept in Redis before and after each AWS change, so a retry knows what was done.
import type { PendingCall, RecordedCall, UndoData } from '@finops/aws';
import { FinopsError } from '@finops/core';
import type { RemediationStore } from './remediation-store.js';
import type { ActionRecord } from './remediation-types.js';

/**
 * The intent could not be written to Redis: the attempt stops where it is (no further call is sent) and the job is
 * retried; what the record already holds tells the retry what AWS may have done. Never an AWS failure of the action.
 */
export class IntentNotRecordedError extends FinopsError {}

export function requestIdsOf(calls: readonly RecordedCall[]): string[] {
  return calls.flatMap((call) => (call.requestId ? [call.requestId] : []));
}

/**
 * The `in-progress` record of one live attempt of an action, saved (and awaited) at each step: when the attempt
 * starts, before each mutating call goes out (`sending`), once AWS answered it (`calls`, `requestIds`), and when the
 * executor records its undo data. A call an earlier attempt sent without recording the answer is moved to
 * `lostCalls`; the calls and undo data of earlier attempts are kept.
 *
 * @example
 * const intent = await ActionIntent.start(store, { ...base, status: 'in-progress', before }, interrupted);
 * createActionContext({ ..., beforeCall: (c) => intent.sending(c), onCall: (c) => intent.answered(c), onUndo: (u) => intent.undo(u) });
 */
export class ActionIntent {
  private constructor(
    private readonly store: RemediationStore,
    private current: ActionRecord,
  ) {}

  /** Records the intent of a new attempt, carrying over what an interrupted attempt of the same action left. */
  static async start(store: RemediationStore, record: ActionRecord, interrupted: ActionRecord | undefined): Promise<ActionIntent> {
    const lostCalls = lostCallsOf(interrupted);
    const intent = new ActionIntent(store, {
      ...record,
      status: 'in-progress',
      ...(interrupted?.calls?.length ? { calls: interrupted.calls, requestIds: requestIdsOf(interrupted.calls) } : {}),
      ...(lostCalls.length ? { lostCalls } : {}),
      ...(interrupted?.undo ? { undo: interrupted.undo } : {}),
    });
    await intent.save();
    return intent;
  }

  get record(): ActionRecord {
    return this.current;
  }

  /** Before a mutating call goes out. */
  async sending(call: PendingCall): Promise<void> {
    this.current = { ...this.current, sending: call };
    await this.save();
  }

  /** Once AWS answered a mutating call (or refused it). */
  async answered(call: RecordedCall): Promise<void> {
    const { sending: _answered, ...rest } = this.current;
    const calls = [...(rest.calls ?? []), call];
    this.current = { ...rest, calls, requestIds: requestIdsOf(calls) };
    await this.save();
  }

  /** What a rollback needs, before the change it undoes. */
  async undo(undo: UndoData): Promise<void> {
    this.current = { ...this.current, undo };
    await this.save();
  }

  /** The attempt failed in a way a retry may fix: the record stays `in-progress`, with why. */
  async interrupted(reason: string): Promise<void> {
    this.current = { ...this.current, reason };
    await this.save();
  }

  private async save(): Promise<void> {
    try {
      await this.store.saveAction(this.current);
    } catch (error) {
      throw new IntentNotRecordedError(`the intent of action ${this.current.actionId} could not be recorded: ${(error as Error).message}`, {
        hint: 'check the connection to Redis; the job is retried and resumes from the resource\'s real state',
        cause: error,
      });
    }
  }
}

/** Calls an interrupted attempt sent without recording their answer: its `lostCalls` and the one it was `sending`. */
export function lostCallsOf(interrupted: ActionRecord | undefined): PendingCall[] {
  return [...(interrupted?.lostCalls ?? []), ...(interrupted?.sending ? [interrupted.sending] : [])];
}

/**
 * Whether an interrupted attempt may have changed the resource: AWS accepted one of its mutating calls, or one went
 * out and its answer was lost. A change found with neither was not the platform's (someone else made it).
 */
export function platformActed(interrupted: ActionRecord): boolean {
  return (interrupted.calls ?? []).some((call) => call.ok) || lostCallsOf(interrupted).length > 0;
}

/** The sentence the record and the audit entry carry for calls whose answer (and AWS request id) was lost. */
export function lostCallsNote(lost: readonly PendingCall[]): string | undefined {
  if (lost.length === 0) return undefined;
  const list = lost.map((call) => `${call.api} sent at ${call.at}`).join(', ');
  return `request id not captured: the answer to ${list} was lost when the attempt was interrupted (process killed or Redis unreachable); AWS CloudTrail has the call`;
}
