// AWS-shaped service errors: the names, HTTP statuses and $metadata the SDK's retry and error handling look at.
import type { ResponseMetadata } from '@smithy/types';

/**
 * The simulated services, by the prefix of their IAM actions (`ec2:DescribeVolumes`) — except the two load balancing
 * APIs, named like their SDK clients: both authorize under `elasticloadbalancing` (see {@link iamPrefix}).
 */
export type ServiceId = 'ec2' | 'rds' | 'lambda' | 'cloudwatch' | 'ce' | 'sts' | 'elbv2' | 'elb' | 'organizations' | 'pricing';

/** The IAM action prefix of a service: `elasticloadbalancing` for both load balancing APIs. */
export function iamPrefix(service: ServiceId): string {
  return service === 'elbv2' || service === 'elb' ? 'elasticloadbalancing' : service;
}

export interface ServiceErrorFields {
  name: string;
  message: string;
  httpStatusCode: number;
  requestId: string;
  fault?: 'client' | 'server';
  /** Marks throttling for the SDK's classifier (it also matches on the name). */
  throttling?: boolean;
}

/**
 * Thrown by the simulator exactly where the SDK would throw a service exception. It carries what the SDK's
 * exceptions carry (`name`, `$fault`, `$metadata`, EC2's `Code`), so `isThrottlingError` and adapters that read
 * `error.name` treat it like the real thing. It is not an instance of the per-service exception classes.
 */
export class SimulatedServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: ResponseMetadata;
  readonly $retryable?: { throttling: boolean };
  /** The AWS error code; EC2 and other query-protocol services expose it as `Code` too. */
  readonly Code: string;

  constructor(fields: ServiceErrorFields) {
    super(fields.message);
    this.name = fields.name;
    this.Code = fields.name;
    this.$fault = fields.fault ?? (fields.httpStatusCode >= 500 ? 'server' : 'client');
    this.$metadata = { httpStatusCode: fields.httpStatusCode, requestId: fields.requestId, attempts: 1, totalRetryDelay: 0 };
    if (fields.throttling) this.$retryable = { throttling: true };
  }
}

/** Each service's throttling error (EC2 answers 503, like AWS). */
const THROTTLING: Record<ServiceId, { name: string; status: number; message: string }> = {
  ec2: { name: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' },
  rds: { name: 'Throttling', status: 400, message: 'Rate exceeded' },
  lambda: { name: 'ThrottlingException', status: 429, message: 'Rate exceeded' },
  cloudwatch: { name: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  ce: { name: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  sts: { name: 'Throttling', status: 400, message: 'Rate exceeded' },
  elbv2: { name: 'Throttling', status: 400, message: 'Rate exceeded' },
  elb: { name: 'Throttling', status: 400, message: 'Rate exceeded' },
  organizations: { name: 'TooManyRequestsException', status: 400, message: 'You have sent too many requests in too short a period of time.' },
  pricing: { name: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
};

/** Each service's "IAM said no" error. */
const DENIED: Record<ServiceId, string> = {
  ec2: 'UnauthorizedOperation',
  rds: 'AccessDenied',
  lambda: 'AccessDeniedException',
  cloudwatch: 'AccessDenied',
  ce: 'AccessDeniedException',
  sts: 'AccessDenied',
  elbv2: 'AccessDenied',
  elb: 'AccessDenied',
  organizations: 'AccessDeniedException',
  pricing: 'AccessDeniedException',
};

/** Each service's bad-parameter error. */
const INVALID_PARAMETER: Record<ServiceId, string> = {
  ec2: 'InvalidParameterValue',
  rds: 'InvalidParameterValue',
  lambda: 'InvalidParameterValueException',
  cloudwatch: 'InvalidParameterValue',
  ce: 'ValidationException',
  sts: 'ValidationError',
  elbv2: 'ValidationError',
  elb: 'ValidationError',
  organizations: 'InvalidInputException',
  pricing: 'InvalidParameterException',
};

/** Each service's error for a pagination token it did not issue. */
const INVALID_TOKEN: Record<ServiceId, string> = {
  ec2: 'InvalidPaginationToken',
  rds: 'InvalidParameterValue',
  lambda: 'InvalidParameterValueException',
  cloudwatch: 'InvalidNextToken',
  ce: 'InvalidNextTokenException',
  sts: 'ValidationError',
  elbv2: 'ValidationError',
  elb: 'ValidationError',
  organizations: 'InvalidInputException',
  pricing: 'InvalidNextTokenException',
};

export function throttlingError(service: ServiceId, requestId: string): SimulatedServiceError {
  const { name, status, message } = THROTTLING[service];
  return new SimulatedServiceError({ name, message, httpStatusCode: status, requestId, throttling: true });
}

export function accessDeniedError(service: ServiceId, action: string, accountId: string, requestId: string): SimulatedServiceError {
  const principal = `arn:aws:sts::${accountId}:assumed-role/FinOpsReadOnly/finops-simulated`;
  const message =
    service === 'ec2'
      ? `You are not authorized to perform this operation. User: ${principal} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`
      : `User: ${principal} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  return new SimulatedServiceError({ name: DENIED[service], message, httpStatusCode: 403, requestId });
}

export function invalidParameterError(service: ServiceId, message: string, requestId: string): SimulatedServiceError {
  return new SimulatedServiceError({ name: INVALID_PARAMETER[service], message, httpStatusCode: 400, requestId });
}

export function invalidTokenError(service: ServiceId, message: string, requestId: string): SimulatedServiceError {
  return new SimulatedServiceError({ name: INVALID_TOKEN[service], message, httpStatusCode: 400, requestId });
}

/** A named error of one service, e.g. `InvalidVolume.NotFound` or CloudWatch's `ValidationError`. */
export function serviceError(name: string, message: string, requestId: string, httpStatusCode = 400): SimulatedServiceError {
  return new SimulatedServiceError({ name, message, httpStatusCode, requestId });
}
