// toAwsAccessError: throttling is retryable, permission and region problems are permanent with a hint.
import { AwsAccessError } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { errorCodeOf, isThrottlingError, toAwsAccessError } from './errors.js';

const scope = { accountId: '222222222222', region: 'eu-south-1' };
const sdkError = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: status ? { httpStatusCode: status } : {}, ...extra });

describe('toAwsAccessError', () => {
  it.each([
    'RequestLimitExceeded',
    'Throttling',
    'ThrottlingException',
    'TooManyRequestsException',
    'LimitExceededException',
    'RequestThrottled',
    'SlowDown',
  ])('treats %s as retryable throttling', (code) => {
    const error = toAwsAccessError(sdkError(code, 400), scope, 'ec2:DescribeVolumes');
    expect(error).toBeInstanceOf(AwsAccessError);
    expect(error).toMatchObject({ code, retryable: true, accountId: '222222222222', region: 'eu-south-1', action: 'ec2:DescribeVolumes' });
    expect(isThrottlingError(sdkError(code))).toBe(true);
  });

  it('treats a bare HTTP 429 as throttling', () => {
    const error = Object.assign(new Error('Too Many Requests'), { $metadata: { httpStatusCode: 429 } });
    expect(isThrottlingError(error)).toBe(true);
    expect(toAwsAccessError(error, scope, 'lambda:ListFunctions')).toMatchObject({ code: '429', retryable: true });
  });

  it.each(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'])(
    'makes %s permanent, with a hint naming the permission',
    (code) => {
      const error = toAwsAccessError(sdkError(code, 403), scope, 'ec2:DescribeVolumes');
      expect(error.retryable).toBe(false);
      expect(error.hint).toBe('grant ec2:DescribeVolumes to the scanning role in account 222222222222; see docs/iam/');
      expect(error.message).toBe(`ec2:DescribeVolumes in account 222222222222, eu-south-1: ${code}: ${code} happened`);
      expect(error.cause).toBeInstanceOf(Error);
    },
  );

  it('names the region for OptInRequired', () => {
    const error = toAwsAccessError(sdkError('OptInRequired', 401), scope, 'ec2:DescribeInstances');
    expect(error.retryable).toBe(false);
    expect(error.hint).toBe('region eu-south-1 is not enabled in account 222222222222: enable it or remove it from aws.regions');
  });

  it.each(['AuthFailure', 'InvalidClientTokenId', 'UnrecognizedClientException'])('makes %s a permanent credential error', (code) => {
    const error = toAwsAccessError(sdkError(code, 401), scope, 'ec2:DescribeInstances');
    expect(error.retryable).toBe(false);
    expect(error.hint).toContain('credentials');
    expect(error.hint).toContain('eu-south-1');
  });

  it('retries server faults and network failures', () => {
    expect(toAwsAccessError(sdkError('InternalError', 500), scope, 'ec2:DescribeVolumes').retryable).toBe(true);
    expect(toAwsAccessError(sdkError('Whatever', 503), scope, 'ec2:DescribeVolumes').retryable).toBe(true);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toAwsAccessError(reset, scope, 'ec2:DescribeVolumes')).toMatchObject({ code: 'ECONNRESET', retryable: true });
  });

  it('does not retry an unknown client error', () => {
    expect(toAwsAccessError(sdkError('InvalidParameterValue', 400), scope, 'ec2:DescribeVolumes').retryable).toBe(false);
    expect(toAwsAccessError('boom', scope, 'ec2:DescribeVolumes')).toMatchObject({ code: 'UnknownError', message: expect.stringContaining('boom') });
  });

  it('explains missing credentials', () => {
    const error = toAwsAccessError(sdkError('CredentialsProviderError'), scope, 'sts:GetCallerIdentity');
    expect(error.retryable).toBe(false);
    expect(error.hint).toContain('AWS_PROFILE');
  });

  it('passes an AwsAccessError through unchanged, keeping the innermost action', () => {
    const inner = toAwsAccessError(sdkError('AccessDenied', 403), scope, 'sts:AssumeRole');
    expect(toAwsAccessError(inner, scope, 'ec2:DescribeVolumes')).toBe(inner);
  });

  it('reads the code from name, Code or code', () => {
    expect(errorCodeOf({ Code: 'SlowDown' })).toBe('SlowDown');
    expect(errorCodeOf(new Error('plain'))).toBe('UnknownError');
  });
});
