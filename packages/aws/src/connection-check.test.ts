// checkConnection through real clients answered by a fake: "not found" proves a permission, refusals are reported once.
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsAccess, type AwsAccess } from './aws-access.js';
import { awsError, fakeAws, type FakeCall } from './__fixtures__/fake-aws.js';
import { awsConfig, CALLER_ID, FAKE_CREDENTIALS } from './__fixtures__/test-access.js';

let access: AwsAccess | undefined;
afterEach(() => {
  access?.close();
  access = undefined;
});

/** Every call succeeds with an empty answer, except what `refuse` throws for. */
function create(refuse: (call: FakeCall) => Error | undefined, aws = awsConfig({ regions: ['eu-west-1'] })) {
  const fake = fakeAws((call) => {
    const error = refuse(call);
    if (error) throw error;
    if (call.operation === 'GetCallerIdentity') return { Account: call.accountId === 'caller' ? CALLER_ID : call.accountId, Arn: `arn:aws:iam::${CALLER_ID}:user/finops` };
    if (call.operation === 'AssumeRole') return { Credentials: { AccessKeyId: 'ASIAMEMBER', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3600_000) } };
    return {};
  });
  access = createAwsAccess({ aws, credentials: FAKE_CREDENTIALS, plugins: fake.plugins });
  return { access, calls: fake.calls };
}

const base = { regions: ['eu-west-1'], costExplorer: false, organization: false, describeRegions: false, homeRegion: 'us-east-1' };

describe('checkConnection', () => {
  it('counts "not found" for a made-up resource as allowed, and a refusal as denied with its fix', async () => {
    const { access, calls } = create((call) => {
      if (call.operation === 'DescribeTargetHealth') return awsError('TargetGroupNotFoundException');
      if (call.operation === 'DescribeInstanceHealth') return awsError('AccessDenied', 403);
      return undefined;
    });
    const report = await access.checkConnection({ ...base, accounts: [CALLER_ID], kinds: ['load-balancer'] });
    const byAction = new Map(report.results.map((r) => [r.action, r]));
    expect(byAction.get('elasticloadbalancing:DescribeTargetHealth')).toMatchObject({ status: 'ok' });
    expect(byAction.get('elasticloadbalancing:DescribeInstanceHealth')).toMatchObject({
      status: 'denied',
      code: 'AccessDenied',
      required: true,
      hint: expect.stringContaining('grant elasticloadbalancing:DescribeInstanceHealth'),
    });
    expect(report.ok).toBe(false);
    // Small pages: the probes never list a whole region.
    expect(calls.find((c) => c.operation === 'DescribeLoadBalancers')?.input).toMatchObject({ PageSize: 5 });
    expect(calls.find((c) => c.operation === 'GetMetricData')?.input.MetricDataQueries).toHaveLength(1);
  });

  it('reports a refused organization listing once, and no credentials at all as one failed identity check', async () => {
    const org = create((call) => (call.operation === 'ListAccounts' ? awsError('AccessDeniedException', 400) : undefined), awsConfig({ organization: true }));
    const report = await org.access.checkConnection({ ...base, organization: true, accounts: () => org.access.resolveAccounts(), kinds: ['ec2-instance'] });
    expect(report.ok).toBe(false);
    expect(report.results).toEqual([expect.objectContaining({ action: 'organizations:ListAccounts', status: 'denied', hint: expect.stringContaining('management account') })]);
    org.access.close();

    const none = create((call) => (call.operation === 'GetCallerIdentity' ? awsError('InvalidClientTokenId', 403) : undefined));
    const empty = await none.access.checkConnection({ ...base, accounts: [CALLER_ID], kinds: ['ec2-instance'] });
    expect(empty).toEqual({ ok: false, results: [expect.objectContaining({ action: 'sts:GetCallerIdentity', status: 'error', code: 'InvalidClientTokenId' })] });
  });
});
