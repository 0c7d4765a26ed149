// Turns Cost Explorer failures into AwsAccessError with hints that fit a global, payer-account API.
import { AwsAccessError } from '@finops/core';
import { toAwsAccessError } from '../errors.js';
import type { AwsScope } from '../types.js';

/** Cost Explorer is not enabled for the account, or has no data for it yet. */
export const COST_EXPLORER_NOT_ENABLED_CODES: ReadonlySet<string> = new Set(['DataUnavailableException', 'OptInRequired', 'OptInRequiredException']);

/**
 * The AwsAccessError of a failed Cost Explorer call. Access denied points at the payer account and the Billing
 * console; "not enabled" and "no data yet" say how to turn Cost Explorer on.
 */
export function costExplorerError(error: unknown, scope: AwsScope, action: string): AwsAccessError {
  const converted = toAwsAccessError(error, scope, action, {
    accessDeniedHint:
      `grant ${action} to the scanning identity of account ${scope.accountId} (Cost Explorer answers in the payer/management ` +
      'account for the whole organization; a member account sees its own costs only when the payer allows it); see docs/iam/',
  });
  if (!COST_EXPLORER_NOT_ENABLED_CODES.has(converted.code)) return converted;
  return new AwsAccessError({
    accountId: converted.accountId,
    region: converted.region,
    action: converted.action,
    code: converted.code,
    message: error instanceof Error ? error.message : String(error),
    retryable: false,
    hint:
      `Cost Explorer is not enabled for account ${scope.accountId}, or has no data yet: enable it in the Billing and Cost ` +
      'Management console (data appears within 24 hours), or set costs.enabled: false',
    cause: error,
  });
}
