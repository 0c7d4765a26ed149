// Every SDK command of every client waits for the limiter, with the client's account, region and service.
import { describe, expect, it } from 'vitest';
import { createAwsAccess } from '../aws-access.js';
import { fakeAws } from '../__fixtures__/fake-aws.js';
import { awsConfig, CALLER_ID, FAKE_CREDENTIALS } from '../__fixtures__/test-access.js';
import type { RateLimitKey } from './aws-rate-limits.js';

describe('rate limit plugin', () => {
  it('acquires a token per command (per page) before the request is sent', async () => {
    const events: string[] = [];
    const keys: RateLimitKey[] = [];
    const fake = fakeAws((call) => {
      events.push(`sent ${call.operation}`);
      if (call.operation === 'GetCallerIdentity') return { Account: CALLER_ID, Arn: `arn:aws:iam::${CALLER_ID}:user/x` };
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
    await access.discover('elastic-ip', { accountId: CALLER_ID, region: 'eu-west-1' });
    access.close();
    expect(events).toEqual(['token GetCallerIdentity', 'sent GetCallerIdentity', 'token DescribeAddresses', 'sent DescribeAddresses']);
    expect(keys[1]).toMatchObject({ accountId: CALLER_ID, region: 'eu-west-1', service: 'ec2', operation: 'DescribeAddresses' });
  });
});
