// The remediation executor contract: one executor per action type, describing, checking, planning, applying, undoing.
import type { Resource, ResourceKind, ResourceOf } from '@finops/core';
import type { ActionContext, UndoData } from './action-context.js';

export type { UndoData };

/** Plain values an executor compares and records: `{ state: 'running', instanceType: 'm5.large' }`. */
export type Facts = Record<string, string | number | boolean | null>;

/** A recommendation's `action.params`, as the checks emit them. */
export type ActionParams = Record<string, string | number | boolean>;

/** One live resource as an executor sees it: the shared model, plus facts the model does not carry. */
export interface Observed<K extends ResourceKind = ResourceKind> {
  resource: ResourceOf<K>;
  /** Extra facts read while describing (read replicas, deletion protection, runtime, layers…). */
  details: Facts;
}

/**
 * Whether an action can run on what was observed:
 * - `ready`: the resource is in the state the action starts from;
 * - `done`: it is already in the state the action leads to (nothing to call);
 * - `blocked`: it cannot or must not run, for the reason given.
 */
export type Readiness = { state: 'ready' } | { state: 'done'; reason: string } | { state: 'blocked'; reason: string };

/** One AWS call of an action: the IAM action and the exact request. A dry run lists them instead of sending them. */
export interface PlannedCall {
  /** `ec2:StopInstances` */
  api: string;
  input: Record<string, unknown>;
  /** Why the call is there, when it is not obvious (`wait until stopped`, `only if no snapshot was taken yet`). */
  note?: string;
}

/** An interrupted earlier attempt of the same action: what the resource looked like before it. */
export interface ResumeFrom {
  before: Facts;
}

export interface Applied {
  /** The resource after the action, verified; undefined when the action removed it. */
  after: { resource: Resource; details: Facts } | undefined;
  /** What a rollback needs; undefined when nothing can be undone. */
  undo: UndoData | undefined;
  /** Things an operator should know (`the address's public IP may not be recoverable`). */
  notes: string[];
}

export interface RollbackOutcome {
  /** `rolled-back`: restored; `partial`: restored in part (see message); `impossible`: nothing can be restored. */
  status: 'rolled-back' | 'partial' | 'impossible';
  message: string;
  /** Facts of what now exists, when something was restored. */
  after?: Facts;
}

export interface ActionExecutor<K extends ResourceKind = ResourceKind, P = unknown> {
  /** The action type recommendations carry: `ec2.stop-instance`. */
  type: string;
  /** One line: `Stop an EC2 instance`. */
  title: string;
  resourceKind: K;
  /** Whether the action removes the resource (delete, release): gone afterwards means done. */
  removes: boolean;
  /** IAM actions the executor calls, describes and waiters included. */
  permissions: readonly string[];
  /** How much a rollback restores, and what it cannot. */
  rollback: { restores: 'all' | 'part' | 'nothing'; note: string };
  /**
   * Reads the recommendation's params; throws {@link ActionParamsError} naming the bad param. `resourceId` is the
   * recommendation's resource, used when the params do not repeat it.
   */
  parseParams(params: ActionParams, resourceId: string): P;
  /** The facts the action depends on: compared with the scan before acting, recorded as before and after. */
  facts(resource: ResourceOf<K>): Facts;
  /** Re-describes the resource; undefined when it no longer exists. */
  describe(context: ActionContext, params: P): Promise<Observed<K> | undefined>;
  /** Whether the action can run on the observed resource (`resume` after an interrupted attempt of it). */
  readiness(observed: Observed<K>, params: P, resume?: ResumeFrom): Readiness;
  /** The exact calls a live run would make from this state: what a dry run records. */
  plan(observed: Observed<K>, params: P, actionId: string): PlannedCall[];
  /**
   * Makes the calls and verifies the new state with waiters. Converges: after an interrupted attempt it makes only
   * the calls still needed (a snapshot already taken under this action id is reused, never taken twice). Before its
   * first mutating call it records the undo data it will return (`context.recordUndo`), completed before the call
   * that needs the rest (a final snapshot's id before the delete): a retry finding the change made keeps it.
   */
  apply(context: ActionContext, observed: Observed<K>, params: P, resume?: ResumeFrom): Promise<Applied>;
  /** Undoes what can be undone from the recorded undo data, and says what cannot. */
  undo(context: ActionContext, undo: UndoData): Promise<RollbackOutcome>;
}

/** An executor of any kind, as the registry holds it. */
export type AnyActionExecutor = { [K in ResourceKind]: ActionExecutor<K, any> }[ResourceKind];

/** Declares an executor with its resource and params types inferred. */
export function defineExecutor<K extends ResourceKind, P>(executor: ActionExecutor<K, P>): ActionExecutor<K, P> {
  return executor;
}

/** A recommendation's params do not fit its executor: a bug in the check that emitted it, or a hand-edited record. */
export class ActionParamsError extends Error {
  constructor(
    readonly actionType: string,
    readonly param: string,
    message: string,
  ) {
    super(`${actionType}: params.${param}: ${message}`);
    this.name = 'ActionParamsError';
  }
}

/** The facts of any resource through its executor, when the kinds match. */
export function factsOf(executor: AnyActionExecutor, resource: Resource): Facts | undefined {
  if (resource.kind !== executor.resourceKind) return undefined;
  return (executor as unknown as { facts(resource: Resource): Facts }).facts(resource);
}
