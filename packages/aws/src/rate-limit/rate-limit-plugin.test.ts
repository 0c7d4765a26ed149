// Every request of every SDK command, each retry included, waits for the limiter with the client's account, region and service.
import { describe, expect, it } from 'vitest';
import { withApiUsage } from '../api-usage.js';
import { createAwsAccess } from '../aws-access.js';
import { awsError, fakeAws } from '../__fixtures__/fake-aws.js';
import { awsConfig, CALLER_ID, FAKE_CREDENTIALS } from '../__fixtures__/test-access.js';
import type { RateLimitKey } from './aws-rate-limits.js';

describe('rate limit plugin', () => {
  it('acquires a token per attempt, before the request is signed and sent, retries after a throttle included', async () => {
    const events: string[] = [];
    const keys: RateLimitKey[] = [];
    let addressAttempts = 0;
    const fake = fakeAws((call) => {
      events.push(`sent ${call.operation}${call.accessKeyId ? ' signed' : ''}`);
      if (call.operation === 'GetCallerIdentity') return { Account: CALLER_ID, Arn: `arn:aws:iam::${CALLER_ID}:user/x` };
      addressAttempts += 1;
      // AWS throttles the first two attempts: each retry is a request AWS counts, so it takes a token too.
      if (addressAttempts <= 2) throw awsError('RequestLimitExceeded', 503);
      return { Addresses: [] };
    });
    const access = createAwsAccess({
      aws: awsConfig({ regions: ['eu-west-1'] }),
      credentials: FAKE_CREDENTIALS,
      plugins: fake.plugins,
      rateLimiter: {
        async acquire(key) {
          keys.push(key);
          events.push(`token ${key.operation}`);
        },
      },
    });
    await access.callerIdentity();
    const { usage } = await withApiUsage(() => access.discover('elastic-ip', { accountId: CALLER_ID, region: 'eu-west-1' }));
    access.close();
    expect(events).toEqual([
      'token GetCallerIdentity',
      'sent GetCallerIdentity signed',
      'token DescribeAddresses',
      'sent DescribeAddresses signed',
      'token DescribeAddresses',
      'sent DescribeAddresses signed',
      'token DescribeAddresses',
      'sent DescribeAddresses signed',
    ]);
    expect(keys[1]).toMatchObject({ accountId: CALLER_ID, region: 'eu-west-1', service: 'ec2', operation: 'DescribeAddresses' });
    // API usage counts the same three attempts, two of them throttled.
    expect(usage.calls).toEqual({ 'ec2.DescribeAddresses': 3 });
    expect(usage.throttled).toBe(2);
  });
});
