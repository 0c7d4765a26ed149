// The executor registry: one executor per action type, listed explicitly; the only code that changes AWS resources.
import type { AnyActionExecutor } from './action-executor.js';
import { deleteDbSnapshot } from './delete-db-snapshot.js';
import { deleteLoadBalancer } from './delete-load-balancer.js';
import { deleteNatGateway } from './delete-nat-gateway.js';
import { deleteSnapshot } from './delete-snapshot.js';
import { deleteVolume } from './delete-volume.js';
import { deleteFunction, updateFunctionArchitecture, updateFunctionMemory } from './lambda-actions.js';
import { modifyVolume } from './modify-volume.js';
import { deleteDbInstance, modifyDbInstance, stopDbInstance } from './rds-instance-actions.js';
import { releaseAddress } from './release-address.js';
import { resizeInstance } from './resize-instance.js';
import { stopInstance } from './stop-instance.js';
import { terminateInstance } from './terminate-instance.js';

/** Every executor, by the action type recommendations carry. */
export const ACTION_EXECUTORS: readonly AnyActionExecutor[] = [
  stopInstance,
  resizeInstance,
  terminateInstance,
  deleteVolume,
  modifyVolume,
  deleteSnapshot,
  releaseAddress,
  deleteNatGateway,
  deleteLoadBalancer,
  stopDbInstance,
  modifyDbInstance,
  deleteDbInstance,
  deleteDbSnapshot,
  updateFunctionMemory,
  updateFunctionArchitecture,
  deleteFunction,
];

/**
 * Action types that ask a person to look at something: they have no executor on purpose and always stay
 * recommendations. Any other type a check emits must have an executor (the contract test checks both).
 */
export const ADVISORY_ACTION_TYPES: Readonly<Record<string, string>> = {
  'lambda.investigate-errors': 'errors are investigated by a person reading the logs: there is nothing to change automatically',
};

export const ACTION_TYPES: readonly string[] = ACTION_EXECUTORS.map((executor) => executor.type);

/** Every IAM action the executors may call, for the remediation role's policy (docs/remediation.md). */
export const REMEDIATION_PERMISSIONS: readonly string[] = [...new Set(ACTION_EXECUTORS.flatMap((executor) => executor.permissions))].sort();

/** The executor of an action type, or undefined: an action without one stays a recommendation. */
export function executorFor(type: string): AnyActionExecutor | undefined {
  return ACTION_EXECUTORS.find((executor) => executor.type === type);
}

export * from './action-executor.js';
export { createActionContext, DEFAULT_WAITER, type ActionContext, type ActionContextOptions, type ClientSource, type PendingCall, type RecordedCall, type WaiterTiming } from './action-context.js';
export { ACTION_ID_TAG } from './executor-support.js';
export { typeChangeProblem } from './instance-type-compatibility.js';
export { zipEntryNames, nativeEntries } from './zip-entries.js';
