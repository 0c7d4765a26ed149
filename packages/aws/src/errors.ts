// Classifies SDK errors and turns them into AwsAccessError with the action that failed and a hint on how to fix it.
import { AwsAccessError } from '@finops/core';
import type { AwsScope } from './types.js';

/** Error codes AWS services use when a caller exceeds a request rate (EC2, RDS, Lambda, CloudWatch, S3, CE). */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'LimitExceededException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  '429',
]);

/** The caller lacks an IAM permission. */
const ACCESS_DENIED_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'Forbidden',
]);

/** Whether an AWS error code means the caller lacks an IAM permission (`UnauthorizedOperation`, `AccessDenied`, …). */
export function isAccessDeniedCode(code: string): boolean {
  return ACCESS_DENIED_CODES.has(code);
}

/** The credentials were refused: invalid, expired, or issued for a region the account has not enabled. */
const CREDENTIAL_CODES: ReadonlySet<string> = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
]);

/** Transient failures on AWS's side or on the way there: worth another attempt later. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServiceError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'Unavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function shapeOf(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

function httpStatusOf(error: unknown): number | undefined {
  const status = shapeOf(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The AWS error code of an SDK error: the service's code (the SDK puts it in `name`), a Node system error code
 * (`ECONNRESET`), or the HTTP status when nothing better is known.
 */
export function errorCodeOf(error: unknown): string {
  const shape = shapeOf(error);
  for (const candidate of [shape.Code, shape.code, shape.name]) {
    // `Error` is only the generic name of a JavaScript error, not an AWS code.
    if (typeof candidate === 'string' && candidate && candidate !== 'Error') return candidate;
  }
  const status = httpStatusOf(error);
  if (status !== undefined) return String(status);
  return 'UnknownError';
}

export function isThrottlingError(error: unknown): boolean {
  const shape = shapeOf(error);
  if (httpStatusOf(error) === 429) return true;
  const retryable = shape.$retryable;
  if (typeof retryable === 'object' && retryable !== null && (retryable as { throttling?: unknown }).throttling === true) {
    return true;
  }
  return THROTTLING_CODES.has(errorCodeOf(error));
}

function isRetryable(error: unknown, code: string): boolean {
  if (isThrottlingError(error)) return true;
  if (ACCESS_DENIED_CODES.has(code) || CREDENTIAL_CODES.has(code) || code === 'OptInRequired') return false;
  if (TRANSIENT_CODES.has(code)) return true;
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 500) return true;
  const shape = shapeOf(error);
  return shape.$fault === 'server' || (typeof shape.$retryable === 'object' && shape.$retryable !== null);
}

function hintFor(code: string, scope: AwsScope, action: string, retryable: boolean): string | undefined {
  const where = `account ${scope.accountId}`;
  if (ACCESS_DENIED_CODES.has(code)) return `grant ${action} to the scanning role in ${where}; see docs/iam/`;
  if (code === 'OptInRequired') {
    return `region ${scope.region} is not enabled in ${where}: enable it or remove it from aws.regions`;
  }
  if (CREDENTIAL_CODES.has(code)) {
    return (
      `the credentials used for ${where} were refused in ${scope.region}: check that they are valid and not expired; ` +
      `if ${scope.region} is an opt-in region, enable it in the account or remove it from aws.regions`
    );
  }
  if (code === 'CredentialsProviderError') {
    return 'no AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or use aws.provider: simulated';
  }
  if (code === 'ENOTFOUND' || code === 'ECONNREFUSED') {
    return `the ${action.split(':')[0]} endpoint cannot be reached: check network access, aws.endpoint and AWS_ENDPOINT_URL`;
  }
  if (retryable && THROTTLING_CODES.has(code)) {
    return 'AWS throttled the scan even after retries: it is retried later; lower workers.concurrency.discovery to scan more gently';
  }
  return undefined;
}

/**
 * Turns any error of an AWS call into an {@link AwsAccessError} naming the account, region and IAM action.
 * An AwsAccessError passes through unchanged, so wrapping twice keeps the innermost (most precise) action.
 *
 * @example toAwsAccessError(err, { accountId: '111111111111', region: 'eu-west-1' }, 'ec2:DescribeVolumes')
 */
export function toAwsAccessError(
  error: unknown,
  scope: AwsScope,
  action: string,
  options: { accessDeniedHint?: string } = {},
): AwsAccessError {
  if (error instanceof AwsAccessError) return error;
  const code = errorCodeOf(error);
  const retryable = isRetryable(error, code);
  const rawMessage = shapeOf(error).message;
  const message = typeof rawMessage === 'string' && rawMessage ? rawMessage : String(error);
  const hint =
    ACCESS_DENIED_CODES.has(code) && options.accessDeniedHint
      ? options.accessDeniedHint
      : hintFor(code, scope, action, retryable);
  return new AwsAccessError({ accountId: scope.accountId, region: scope.region, action, code, message, retryable, hint, cause: error });
}
