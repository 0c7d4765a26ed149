// The safety rules as pure functions: live mode, allowed actions, protected tags, approvals, auto-approval.
import { RISK_LEVELS, UsageError, type Config, type Recommendation, type Risk, type Tags } from '@finops/core';
import type { ApprovalRecord } from './remediation-types.js';

export type Safety = Config['safety'];

/**
 * Live mode needs both the request (`--live`, `live: true`) and `safety.dryRun: false`; anything less is a dry run.
 * Asking for live while the config says dry run is an error, not a silent dry run.
 */
export function runMode(requestedLive: boolean, safety: Safety): 'dry-run' | 'live' {
  if (!requestedLive) return 'dry-run';
  if (safety.dryRun) {
    throw new UsageError('live mode was asked for, but safety.dryRun is true', {
      hint: 'set safety.dryRun: false in the config (or FINOPS_DRY_RUN=false) as well to change anything',
    });
  }
  return 'live';
}

/** The protected tag key the resource carries, if any: such a resource is never changed. */
export function protectedTag(tags: Tags, safety: Safety): string | undefined {
  return safety.protectedTags.find((key) => Object.hasOwn(tags, key));
}

export function allowedLive(actionType: string, safety: Safety): boolean {
  return safety.allowedActions.includes(actionType);
}

function riskRank(risk: Risk | string): number {
  return RISK_LEVELS.indexOf(risk as Risk);
}

/** Why an approval is needed before the action runs live, or undefined when it is not. */
export function approvalNeeded(recommendation: Pick<Recommendation, 'risk'>, safety: Safety, budgetsOverThreshold: readonly string[]): string | undefined {
  if (riskRank(recommendation.risk) >= riskRank(safety.approvalRequiredFrom)) {
    return `risk ${recommendation.risk} is at or above safety.approvalRequiredFrom (${safety.approvalRequiredFrom})`;
  }
  if (budgetsOverThreshold.length > 0) return `budget ${budgetsOverThreshold.join(', ')} is over its approval threshold`;
  return undefined;
}

/** safety.autoApprove covers low-risk action kinds, and only in scheduled runs (`schedule:<id>`). */
export function autoApproved(recommendation: Pick<Recommendation, 'risk' | 'action'>, trigger: string, safety: Safety): boolean {
  return trigger.startsWith('schedule:') && recommendation.risk === 'low' && safety.autoApprove.includes(recommendation.action.type);
}

/**
 * Whether a recorded decision approves the action in its present state: approved (not rejected), younger than
 * safety.approvalMaxAgeDays, and for the same state (`digest` of the action, facts and tags now).
 */
export function approvalProblem(approval: ApprovalRecord | undefined, digest: string | undefined, now: Date, safety: Safety): string | undefined {
  if (!approval) return 'no approval recorded';
  if (approval.decision === 'rejected') return `rejected by ${approval.actor} at ${approval.at}${approval.reason ? `: ${approval.reason}` : ''}`;
  const ageDays = (now.getTime() - Date.parse(approval.at)) / 86_400_000;
  if (ageDays > safety.approvalMaxAgeDays) return `the approval by ${approval.actor} is ${Math.floor(ageDays)} days old (safety.approvalMaxAgeDays ${safety.approvalMaxAgeDays})`;
  if (digest !== undefined && approval.stateDigest !== digest) {
    return `the approval by ${approval.actor} at ${approval.at} is void: the resource or the recommended action changed since`;
  }
  return undefined;
}

/** Action types named in safety.allowedActions or safety.autoApprove that no executor knows: likely typos. */
export function unknownActionTypes(safety: Safety, known: readonly string[]): string[] {
  return [...new Set([...safety.allowedActions, ...safety.autoApprove])].filter((type) => !known.includes(type));
}
