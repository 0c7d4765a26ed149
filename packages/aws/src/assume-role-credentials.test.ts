// The cached AssumeRole provider: sharing, renewal before expiry, failures not cached.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsAccessError } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { assumeRoleCredentials } from './assume-role-credentials.js';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

const scope = { accountId: '222222222222', region: 'us-east-1' };
const roleArn = 'arn:aws:iam::222222222222:role/FinOpsReadOnly';
const answer = (key: string, expiration: Date) => ({
  Credentials: { AccessKeyId: key, SecretAccessKey: 's', SessionToken: 't', Expiration: expiration },
});

describe('assumeRoleCredentials', () => {
  it('shares one AssumeRole among concurrent callers and reuses it until shortly before expiry', async () => {
    let clock = Date.parse('2024-06-01T00:00:00Z');
    sts.on(AssumeRoleCommand).resolvesOnce(answer('ASIA1', new Date(clock + 3600_000))).resolvesOnce(answer('ASIA2', new Date(clock + 7200_000)));
    const client = new STSClient({ region: 'us-east-1' });
    const provider = assumeRoleCredentials({ sts: () => client, roleArn, externalId: 'ext', scope, now: () => clock });

    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a.accessKeyId).toBe('ASIA1');
    expect(b).toBe(a);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: roleArn,
      RoleSessionName: 'finops-scan',
      DurationSeconds: 3600,
      ExternalId: 'ext',
    });

    clock += 50 * 60_000; // 10 minutes before expiry: still good
    expect((await provider()).accessKeyId).toBe('ASIA1');
    clock += 6 * 60_000; // 4 minutes before expiry: renewed
    expect((await provider()).accessKeyId).toBe('ASIA2');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('does not cache a failure', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }))
      .resolvesOnce(answer('ASIA3', new Date(Date.now() + 3600_000)));
    const client = new STSClient({ region: 'us-east-1' });
    const provider = assumeRoleCredentials({ sts: () => client, roleArn, scope });

    const error = await provider().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAccessError);
    expect(error).toMatchObject({ action: 'sts:AssumeRole', accountId: '222222222222', retryable: false });
    expect((error as AwsAccessError).hint).toContain(roleArn);
    expect((await provider()).accessKeyId).toBe('ASIA3');
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).not.toHaveProperty('ExternalId');
  });
});
