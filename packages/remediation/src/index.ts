// @finops/remediation: dry runs by default, approvals, limits, verified idempotent actions, rollback and the audit trail.
export * from './remediation-types.js';
export { type RemediationDeps, remediationStores } from './remediation-deps.js';
export { NO_BUDGET_REQUIRES_APPROVAL, type BudgetApprovalGate } from './budget-gate.js';
export { AuditTrail, type AuditQuery } from './audit-trail.js';
export { RemediationStore } from './remediation-store.js';
export { actionIdFor, newRunId } from './ids.js';
export { stateDigest, describeChanges } from './state-digest.js';
export { runMode, protectedTag, approvalNeeded, autoApproved, approvalProblem, unknownActionTypes, type Safety } from './safety-policy.js';
export { executeBatch, RemediationInputError, ActionBusyError } from './execute-batch.js';
export { IntentNotRecordedError } from './action-intent.js';
export { decide, type DecisionRequest } from './approvals.js';
export { previewRun, startRun, runProgress, waitForRun, type RunRequest, type RunPreview, type PreviewStatus, type RunProgress } from './remediation-runs.js';
export { requestRollback, executeRollback, actionRecord, finishedRollback, waitForRollback, type RollbackWait } from './rollback.js';
export { actionsSection, actionsWindow, REPORT_AUDIT_LIMIT, type ActionsSection, type ActionsWindow, type ActionsWindowInput } from './actions-section.js';
export { redisMutationStore } from './redis-mutation-store.js';
export { resolveScan } from './scan-inputs.js';
export { defaultActor } from './actor.js';
