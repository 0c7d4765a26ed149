// Throttling the SDK retries, rate limits, denied actions, unsupported calls, regions, latency and STS.
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeAddressesCommand, DescribeInstancesCommand, DescribeVolumesCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { DeserializeMiddleware, HandlerExecutionContext, MetadataBearer } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { createSimulatedAws } from './create-simulated-aws.js';
import { errorOf, MANAGEMENT, MEMBER, sdkClients, simulationOptions } from './test-support.js';

const REGION = 'eu-west-1';

describe('faults', () => {
  it('throws throttling errors the SDK retries until the call succeeds', async () => {
    const sim = createSimulatedAws(simulationOptions({ throttleRate: 0.4 }), [REGION]);
    const { ec2 } = sdkClients(sim, MANAGEMENT, REGION, { maxAttempts: 10 });
    const attempts: number[] = [];
    // The throttle draws are seeded: call until two attempts were throttled (bounded, so the test ends either way).
    for (let i = 0; i < 20 && sim.stats().throttled < 2; i++) {
      const out = await ec2.send(new DescribeAddressesCommand({}));
      expect(out.Addresses?.length).toBeGreaterThan(0);
      attempts.push(out.$metadata.attempts ?? 0);
    }
    const { throttled, calls } = sim.stats();
    // Every throttle was followed by a retry of the SDK's own retry middleware.
    expect(throttled).toBeGreaterThan(0);
    expect(attempts.some((n) => n > 1)).toBe(true);
    expect(attempts.reduce((s, n) => s + n - 1, 0)).toBe(throttled);
    expect(calls['ec2.DescribeAddresses']).toBe(attempts.reduce((s, n) => s + n, 0));
  }, 60_000);

  it('shapes throttling errors per service so the SDK classifies them as throttling', async () => {
    const sim = createSimulatedAws(simulationOptions({ throttleRate: 1 }), [REGION]);
    const { ec2, rds, lambda, cloudwatch, ce } = sdkClients(sim, MANAGEMENT, REGION, { maxAttempts: 1 });
    const ec2Error = await errorOf(() => ec2.send(new DescribeInstancesCommand({})));
    expect(ec2Error.name).toBe('RequestLimitExceeded');
    expect(ec2Error.$metadata?.httpStatusCode).toBe(503);
    expect((ec2Error as unknown as { $retryable?: { throttling?: boolean } }).$retryable?.throttling).toBe(true);
    expect((await errorOf(() => rds.send(new DescribeDBInstancesCommand({})))).name).toBe('Throttling');
    const lambdaError = await errorOf(() => lambda.send(new ListFunctionsCommand({})));
    expect(lambdaError.name).toBe('ThrottlingException');
    expect(lambdaError.$metadata?.httpStatusCode).toBe(429);
    const now = new Date();
    expect((await errorOf(() => cloudwatch.send(new GetMetricDataCommand({ StartTime: new Date(now.getTime() - 3_600_000), EndTime: now, MetricDataQueries: [] })))).name).toBe(
      'ThrottlingException',
    );
    expect((await errorOf(() => ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2020-01-01', End: '2020-01-02' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] })))).name).toBe(
      'ThrottlingException',
    );
    expect(sim.stats().throttled).toBe(5);
  });

  it('enforces per-API token buckets when rateLimits is on', async () => {
    const sim = createSimulatedAws(simulationOptions({ rateLimits: true }), [REGION]);
    const { ec2, lambda } = sdkClients(sim, MANAGEMENT, REGION, { maxAttempts: 1 });
    const outcomes = await Promise.allSettled(Array.from({ length: 130 }, () => ec2.send(new DescribeAddressesCommand({}))));
    const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
    // 100 burst plus what refilled (20/s) while the calls ran.
    expect(ok).toBeGreaterThanOrEqual(100);
    expect(ok).toBeLessThan(130);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect((rejected?.reason as Error).name).toBe('RequestLimitExceeded');
    // Another API has its own bucket; Lambda's control plane allows 15 a second.
    await ec2.send(new DescribeVolumesCommand({ MaxResults: 5 }));
    const lambdaOutcomes = await Promise.allSettled(Array.from({ length: 25 }, () => lambda.send(new ListFunctionsCommand({}))));
    expect(lambdaOutcomes.filter((o) => o.status === 'fulfilled').length).toBeLessThan(25);
    // Another account has its own buckets.
    const other = sdkClients(sim, MEMBER, REGION, { maxAttempts: 1 });
    await other.ec2.send(new DescribeAddressesCommand({}));
  });

  it('answers denied actions with each service\'s access-denied error, without retries', async () => {
    const sim = createSimulatedAws(
      simulationOptions({
        denied: [
          { accountId: MEMBER, region: REGION, action: 'ec2:DescribeVolumes' },
          { accountId: MEMBER, action: 'lambda:*' },
          { action: 'rds:DescribeDBInstances', region: 'us-east-1' },
          { accountId: MEMBER, action: 'sts:AssumeRole' },
        ],
      }),
      [REGION, 'us-east-1'],
    );
    const member = sdkClients(sim, MEMBER, REGION, { maxAttempts: 5 });
    const denied = await errorOf(() => member.ec2.send(new DescribeVolumesCommand({})));
    expect(denied.name).toBe('UnauthorizedOperation');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect(denied.$metadata?.attempts).toBe(1);
    expect(denied.message).toContain('ec2:DescribeVolumes');
    expect((await errorOf(() => member.lambda.send(new ListFunctionsCommand({})))).name).toBe('AccessDeniedException');
    // Other actions, accounts and regions are untouched.
    await member.ec2.send(new DescribeInstancesCommand({}));
    await member.rds.send(new DescribeDBInstancesCommand({}));
    await sdkClients(sim, MANAGEMENT, REGION).ec2.send(new DescribeVolumesCommand({}));
    expect((await errorOf(() => sdkClients(sim, MANAGEMENT, 'us-east-1').rds.send(new DescribeDBInstancesCommand({})))).name).toBe('AccessDenied');
    // AssumeRole is denied by the account it would enter.
    const { sts } = sdkClients(sim, MANAGEMENT, REGION);
    const assume = (accountId: string) => sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/FinOpsReadOnly`, RoleSessionName: 'finops' }));
    expect((await errorOf(() => assume(MEMBER))).name).toBe('AccessDenied');
    expect((await assume(MANAGEMENT)).Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(sim.stats().denied).toBe(4);
  });

  it('names the client and command of anything it does not simulate', async () => {
    const sim = createSimulatedAws(simulationOptions(), [REGION]);
    const { ec2 } = sdkClients(sim, MANAGEMENT, REGION);
    const error = await errorOf(() => ec2.send(new DescribeVpcsCommand({})));
    expect(error.name).toBe('UnsupportedOperation');
    expect(error.message).toContain('EC2Client DescribeVpcsCommand');
    // A client the simulator does not know at all (as an S3 client would reach it).
    let middleware: DeserializeMiddleware<object, MetadataBearer> | undefined;
    sim.plugin({ accountId: MANAGEMENT, region: REGION }).applyToStack({
      add: (m: DeserializeMiddleware<object, MetadataBearer>) => {
        middleware = m;
      },
    } as never);
    const context: HandlerExecutionContext = { clientName: 'S3Client', commandName: 'ListBucketsCommand' };
    const unknown = await errorOf(async () => middleware?.(async () => ({ output: { $metadata: {} }, response: {} }), context)({ input: {}, request: {} }));
    expect(unknown.name).toBe('UnsupportedOperation');
    expect(unknown.message).toContain('S3Client');
    expect(() => sim.plugin({ accountId: '999999999999', region: REGION })).toThrow(/999999999999/);
  });

  it('refuses regional calls outside the simulated regions, and waits the configured latency', async () => {
    const sim = createSimulatedAws(simulationOptions({ latencyMs: { min: 30, max: 40 } }), [REGION]);
    const outside = sdkClients(sim, MANAGEMENT, 'ap-south-1');
    const error = await errorOf(() => outside.ec2.send(new DescribeInstancesCommand({})));
    expect(error.name).toBe('AuthFailure');
    expect(error.message).toContain('ap-south-1');
    const { ec2 } = sdkClients(sim, MANAGEMENT, REGION);
    const started = performance.now();
    await ec2.send(new DescribeAddressesCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });

  it('STS answers with the scope\'s account and fake credentials for simulated accounts only', async () => {
    const sim = createSimulatedAws(simulationOptions(), [REGION]);
    const { sts } = sdkClients(sim, MEMBER, REGION);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(MEMBER);
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MANAGEMENT}:role/FinOpsReadOnly`, RoleSessionName: 'scan-1' }));
    expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MANAGEMENT}:assumed-role/FinOpsReadOnly/scan-1`);
    expect(assumed.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now());
    const outsider = await errorOf(() => sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::333333333333:role/FinOpsReadOnly', RoleSessionName: 'scan-1' })));
    expect(outsider.name).toBe('AccessDenied');
    expect((await errorOf(() => sts.send(new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'scan-1' })))).name).toBe('ValidationError');
  });
});
