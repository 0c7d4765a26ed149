// createAwsAccess end to end through real SDK clients answered by a fake simulator plugin: usage, credentials, accounts, regions, endpoints.
import { AwsAccessError, type Resource } from '@finops/core';
import { afterEach, describe, expect, it } from 'vitest';
import { withApiUsage } from './api-usage.js';
import { CALLER_ACCOUNT, createAwsAccess, type AwsAccess, type AwsAccessOptions } from './aws-access.js';
import { awsError, fakeAws, type FakeCall, type FakeHandler } from './__fixtures__/fake-aws.js';
import { awsConfig, CALLER_ID, FAKE_CREDENTIALS, runningInstance } from './__fixtures__/test-access.js';

const MEMBER_ID = '222222222222';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers like a small AWS estate; `override` takes precedence for the operations it returns a value for. */
function estate(override: (call: FakeCall) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined> = () => undefined): FakeHandler {
  return async (call) => {
    const answer = await override(call);
    if (answer) return answer;
    switch (`${call.service}.${call.operation}`) {
      case 'sts.GetCallerIdentity':
        return { Account: CALLER_ID, Arn: `arn:aws:iam::${CALLER_ID}:user/finops`, UserId: 'AIDAFAKE' };
      case 'sts.AssumeRole': {
        const account = String(call.input.RoleArn).split(':')[4];
        return {
          Credentials: {
            AccessKeyId: `ASIA${account}`,
            SecretAccessKey: 'assumed-secret',
            SessionToken: 'assumed-token',
            Expiration: new Date(Date.now() + 3600_000),
          },
        };
      }
      case 'ec2.DescribeAddresses':
        return { Addresses: [{ AllocationId: `eipalloc-${call.accountId}`, PublicIp: '203.0.113.7', Domain: 'vpc' }] };
      case 'rds.DescribeDBInstances':
        return { DBInstances: [] };
      case 'cloudwatch.GetMetricData':
        return { MetricDataResults: [] };
      default:
        throw awsError('UnknownOperationException');
    }
  };
}

let access: AwsAccess | undefined;
afterEach(() => {
  access?.close();
  access = undefined;
});

function create(handler: FakeHandler, options: Partial<AwsAccessOptions> = {}) {
  const fake = fakeAws(handler);
  access = createAwsAccess({
    aws: awsConfig({ regions: ['eu-west-1'], accounts: [{ id: CALLER_ID }, { id: MEMBER_ID, externalId: 'ext-222' }] }),
    credentials: FAKE_CREDENTIALS,
    plugins: fake.plugins,
    ...options,
  });
  return { access, ...fake };
}

const home = { accountId: CALLER_ID, region: 'eu-west-1' };

/** Looks up the caller once, outside any usage scope, so scopes under test count only their own calls. */
async function warmUp(target: AwsAccess): Promise<void> {
  await target.discover('rds-instance', home);
}
const member = { accountId: MEMBER_ID, region: 'eu-west-1' };

describe('API usage accounting through real clients', () => {
  it('counts every call by <service>.<Operation>', async () => {
    const { access } = create(estate());
    const { result, usage } = await withApiUsage(() => access.discover('elastic-ip', home));
    expect(result).toHaveLength(1);
    expect(usage).toEqual({
      calls: { 'sts.GetCallerIdentity': 1, 'ec2.DescribeAddresses': 1 },
      throttled: 0,
      metricsRequested: 0,
      costExplorerRequests: 0,
    });
  });

  it('counts the extra attempt when a call is throttled and then succeeds', async () => {
    let throttles = 1;
    const { access, calls } = create(
      estate((call) => {
        if (call.operation === 'DescribeAddresses' && throttles > 0) {
          throttles -= 1;
          throw awsError('RequestLimitExceeded', 503);
        }
        return undefined;
      }),
    );
    await warmUp(access);
    const { result, usage } = await withApiUsage(() => access.discover('elastic-ip', home));
    expect(result).toHaveLength(1);
    expect(calls.filter((call) => call.operation === 'DescribeAddresses')).toHaveLength(2);
    expect(usage.calls).toEqual({ 'ec2.DescribeAddresses': 2 });
    expect(usage.throttled).toBe(1);
  });

  it('turns exhausted throttling into a retryable AwsAccessError, every attempt counted', async () => {
    const { access } = create(
      estate((call) => {
        if (call.operation === 'DescribeAddresses') throw awsError('RequestLimitExceeded', 503);
        return undefined;
      }),
      { aws: awsConfig({ maxAttempts: 2 }) },
    );
    await warmUp(access);
    const { result: error, usage } = await withApiUsage(() => access.discover('elastic-ip', home).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(AwsAccessError);
    expect(error).toMatchObject({ action: 'ec2:DescribeAddresses', code: 'RequestLimitExceeded', retryable: true });
    expect(usage.calls).toEqual({ 'ec2.DescribeAddresses': 2 });
    expect(usage.throttled).toBe(2);
  });

  it('keeps two concurrent scopes apart and lets an outer scope see its inner ones', async () => {
    const { access } = create(estate(async () => {
      await sleep(5);
      return undefined;
    }));
    await warmUp(access);
    const { usage: outer, result } = await withApiUsage(() =>
      Promise.all([
        withApiUsage(async () => {
          await access.discover('elastic-ip', home);
          await access.discover('elastic-ip', home);
        }),
        withApiUsage(() => access.discover('rds-instance', home)),
      ]),
    );
    const [a, b] = result;
    expect(a.usage.calls).toEqual({ 'ec2.DescribeAddresses': 2 });
    expect(b.usage.calls).toEqual({ 'rds.DescribeDBInstances': 1 });
    expect(outer.calls).toEqual({ 'ec2.DescribeAddresses': 2, 'rds.DescribeDBInstances': 1 });
  });

  it('counts GetMetricData metric queries', async () => {
    const { access } = create(estate());
    const instance = (id: string): Resource => runningInstance(id, { accountId: CALLER_ID, instanceType: 't3.micro' });
    const { result, usage } = await withApiUsage(() =>
      access.fetchMetrics(home, [instance('i-1'), instance('i-2')], { lookbackDays: 14, periodSec: 3600 }),
    );
    // One call: the hourly CPU and daily network queries share the window from the midnight before the hourly one.
    expect(usage.calls['cloudwatch.GetMetricData']).toBe(1);
    expect(usage.metricsRequested).toBe(6);
    expect(result.map((entry) => entry.metrics.cpuUtilization)).toEqual([null, null]);
  });
});

describe('accounts and credentials', () => {
  it('uses the caller’s credentials at home and one assumed role per member account', async () => {
    const { access, calls, scopes } = create(estate());
    const { usage } = await withApiUsage(async () => {
      await access.discover('elastic-ip', home);
      await access.discover('elastic-ip', member);
      await access.discover('rds-instance', member);
    });

    const assume = calls.filter((call) => call.operation === 'AssumeRole');
    expect(assume).toHaveLength(1);
    expect(assume[0]?.input).toMatchObject({
      RoleArn: `arn:aws:iam::${MEMBER_ID}:role/FinOpsReadOnly`,
      ExternalId: 'ext-222',
      RoleSessionName: 'finops-scan',
    });
    expect(assume[0]?.accessKeyId).toBe(FAKE_CREDENTIALS.accessKeyId);
    const signedBy = (accountId: string, operation: string) =>
      calls.find((call) => call.accountId === accountId && call.operation === operation)?.accessKeyId;
    expect(signedBy(CALLER_ID, 'DescribeAddresses')).toBe(FAKE_CREDENTIALS.accessKeyId);
    expect(signedBy(MEMBER_ID, 'DescribeAddresses')).toBe(`ASIA${MEMBER_ID}`);
    expect(signedBy(MEMBER_ID, 'DescribeDBInstances')).toBe(`ASIA${MEMBER_ID}`);
    expect(usage.calls).toMatchObject({ 'sts.AssumeRole': 1, 'sts.GetCallerIdentity': 1 });
    expect(scopes).toEqual([
      { accountId: CALLER_ACCOUNT, region: 'us-east-1', service: 'sts' },
      { accountId: CALLER_ID, region: 'eu-west-1', service: 'ec2' },
      { accountId: MEMBER_ID, region: 'eu-west-1', service: 'ec2' },
      { accountId: MEMBER_ID, region: 'eu-west-1', service: 'rds' },
    ]);
  });

  it('reports a refused AssumeRole against the member account, with the role to fix', async () => {
    const { access } = create(
      estate((call) => {
        if (call.operation === 'AssumeRole') throw awsError('AccessDenied', 403);
        return undefined;
      }),
    );
    const error = await access.discover('elastic-ip', member).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAccessError);
    expect(error).toMatchObject({ accountId: MEMBER_ID, action: 'sts:AssumeRole', code: 'AccessDenied', retryable: false });
    expect((error as AwsAccessError).hint).toContain(`arn:aws:iam::${MEMBER_ID}:role/FinOpsReadOnly`);
  });

  it('resolves the organization’s active accounts across pages, including an empty page with a NextToken', async () => {
    const pages: Record<string, Record<string, unknown>> = {
      '': { Accounts: [{ Id: '111111111111', State: 'ACTIVE' }, { Id: '333333333333', State: 'SUSPENDED' }], NextToken: 'p2' },
      p2: { Accounts: [], NextToken: 'p3' },
      p3: { Accounts: [{ Id: '444444444444', Status: 'ACTIVE' }, { Id: '555555555555', State: 'CLOSED', Status: 'SUSPENDED' }] },
    };
    const { access, calls } = create(
      estate((call) => (call.operation === 'ListAccounts' ? pages[String(call.input.NextToken ?? '')] : undefined)),
      { aws: awsConfig({ organization: true }) },
    );
    expect(await access.resolveAccounts()).toEqual(['111111111111', '444444444444']);
    const listCalls = calls.filter((call) => call.operation === 'ListAccounts');
    expect(listCalls.map((call) => call.input.NextToken)).toEqual([undefined, 'p2', 'p3']);
    expect(listCalls[0]?.accountId).toBe(CALLER_ID);
  });

  it('resolves configured accounts without a call, and the caller’s account otherwise', async () => {
    const first = create(estate());
    expect(await first.access.resolveAccounts()).toEqual([CALLER_ID, MEMBER_ID]);
    expect(first.calls).toHaveLength(0);
    first.access.close();

    const second = create(estate(), { aws: awsConfig() });
    expect(await second.access.resolveAccounts()).toEqual([CALLER_ID]);
    expect(second.calls.map((call) => call.operation)).toEqual(['GetCallerIdentity']);
  });

  it('resolves regions from config, or every enabled region when it is "all"', async () => {
    const listed = create(estate(), { aws: awsConfig({ regions: ['eu-west-1', 'us-east-1'] }) });
    expect(await listed.access.resolveRegions()).toEqual(['eu-west-1', 'us-east-1']);
    listed.access.close();

    const all = create(
      estate((call) =>
        call.operation === 'DescribeRegions'
          ? {
              Regions: [
                { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
                { RegionName: 'af-south-1', OptInStatus: 'opted-in' },
                { RegionName: 'eu-south-1', OptInStatus: 'not-opted-in' },
              ],
            }
          : undefined,
      ),
      { aws: awsConfig({ regions: 'all' }) },
    );
    expect(await all.access.resolveRegions()).toEqual(['af-south-1', 'us-east-1']);
    expect(all.calls.find((call) => call.operation === 'DescribeRegions')?.input.AllRegions).toBeUndefined();
  });
});

describe('clients', () => {
  it('creates one client per (account, region, service) and reuses it', async () => {
    const { access, scopes } = create(estate());
    await access.discover('elastic-ip', home);
    await access.discover('elastic-ip', home);
    await access.discover('ebs-volume', home).catch(() => undefined);
    await access.discover('elastic-ip', { ...home, region: 'eu-west-2' });
    expect(scopes.filter((scope) => scope.service === 'ec2')).toEqual([
      { ...home, service: 'ec2' },
      { ...home, region: 'eu-west-2', service: 'ec2' },
    ]);
  });

  it('leaves the endpoint to the SDK unless aws.endpoint is set', async () => {
    const standard = create(estate());
    await standard.access.discover('elastic-ip', home);
    expect(standard.calls.at(-1)?.host).toBe('ec2.eu-west-1.amazonaws.com');
    standard.access.close();

    const previous = process.env.AWS_ENDPOINT_URL_EC2;
    process.env.AWS_ENDPOINT_URL_EC2 = 'http://ec2.example.test:4510';
    try {
      const fromEnvironment = create(estate());
      await fromEnvironment.access.discover('elastic-ip', home);
      expect(fromEnvironment.calls.at(-1)?.host).toBe('ec2.example.test:4510');
      fromEnvironment.access.close();
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_EC2;
      else process.env.AWS_ENDPOINT_URL_EC2 = previous;
    }

    const configured = create(estate(), { aws: awsConfig({ endpoint: 'http://localhost:4566' }) });
    await configured.access.discover('elastic-ip', home);
    expect(configured.calls.at(-1)?.host).toBe('localhost:4566');
  });

  it('closes idempotently and refuses to work afterwards', async () => {
    const { access } = create(estate());
    await access.discover('elastic-ip', home);
    access.close();
    access.close();
    await expect(access.discover('elastic-ip', home)).rejects.toThrow(/closed/);
  });
});
