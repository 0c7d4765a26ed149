// The client cache: endpoints (never set unless aws.endpoint is), and the standard retry strategy with its short
// backoff when the rate limiter paces every attempt, against the simulator's injected throttling.
import { DescribeAddressesCommand } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { configSchema } from '@finops/core';
import { createSimulatedAws } from '@finops/simulator';
import { ConfiguredRetryStrategy, StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryStrategyV2 } from '@smithy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { withApiUsage } from './api-usage.js';
import { AwsClientCache, PACED_RETRY_BACKOFF, pacedRetryBackoffMs } from './clients.js';
import type { RateLimitKey } from './rate-limit/aws-rate-limits.js';
import { fakeAws } from './__fixtures__/fake-aws.js';
import { awsConfig, FAKE_CREDENTIALS } from './__fixtures__/test-access.js';

const scope = { accountId: '111111111111', region: 'eu-west-1' };
const saved = { ...process.env };

afterEach(() => {
  for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2', 'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function cache(aws = awsConfig()) {
  const fake = fakeAws(() => ({}));
  return { clients: new AwsClientCache({ aws, plugins: fake.plugins }), calls: fake.calls };
}

describe('client endpoints', () => {
  it('addresses the load balancing APIs at their regional endpoints by default', async () => {
    const { clients, calls } = cache();
    await clients.get('elbv2', scope, FAKE_CREDENTIALS).send(new DescribeLoadBalancersCommand({}));
    await clients.get('elb', scope, FAKE_CREDENTIALS).send(new DescribeClassicLoadBalancersCommand({}));
    expect(calls.map((call) => call.host)).toEqual(['elasticloadbalancing.eu-west-1.amazonaws.com', 'elasticloadbalancing.eu-west-1.amazonaws.com']);
    clients.destroy();
  });

  it('lets AWS_ENDPOINT_URL_<SERVICE> point one client elsewhere, and AWS_ENDPOINT_URL every other', async () => {
    process.env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 = 'http://elbv2.example.test:4510';
    process.env.AWS_ENDPOINT_URL = 'http://everything.example.test:4566';
    const { clients, calls } = cache();
    await clients.get('elbv2', scope, FAKE_CREDENTIALS).send(new DescribeLoadBalancersCommand({}));
    await clients.get('elb', scope, FAKE_CREDENTIALS).send(new DescribeClassicLoadBalancersCommand({}));
    await clients.get('organizations', scope, FAKE_CREDENTIALS).send(new ListAccountsCommand({}));
    expect(calls.map((call) => call.host)).toEqual(['elbv2.example.test:4510', 'everything.example.test:4566', 'everything.example.test:4566']);
    clients.destroy();
  });

  it('puts aws.endpoint over both when it is configured', async () => {
    process.env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 = 'http://elbv2.example.test:4510';
    const { clients, calls } = cache(awsConfig({ endpoint: 'http://localhost:4566' }));
    await clients.get('elbv2', scope, FAKE_CREDENTIALS).send(new DescribeLoadBalancersCommand({}));
    expect(calls.map((call) => call.host)).toEqual(['localhost:4566']);
    clients.destroy();
  });
});

/** The retry strategy a client was built with. */
async function strategyOf(client: { config: unknown }): Promise<RetryStrategyV2 & { mode?: string; maxAttempts(): Promise<number> }> {
  return (client.config as { retryStrategy: () => Promise<RetryStrategyV2 & { mode?: string; maxAttempts(): Promise<number> }> }).retryStrategy();
}

/** A rate limiter that grants at once and remembers every token taken. */
function recordingLimiter() {
  const keys: RateLimitKey[] = [];
  return { keys, limiter: { acquire: async (key: RateLimitKey) => void keys.push(key) } };
}

describe('retries', () => {
  it('uses the standard strategy with aws.maxAttempts, the short backoff only when the rate limiter paces every attempt', async () => {
    const aws = awsConfig();
    expect(aws.maxAttempts).toBe(10);
    const paced = new AwsClientCache({ aws, rateLimiter: recordingLimiter().limiter });
    const pacedStrategy = await strategyOf(paced.get('lambda', scope, FAKE_CREDENTIALS));
    expect(pacedStrategy).toBeInstanceOf(ConfiguredRetryStrategy);
    expect(pacedStrategy.mode).toBe('standard');
    expect(await pacedStrategy.maxAttempts()).toBe(10);
    // One strategy (and so one retry quota) per client, like AWS's buckets per (account, region, API).
    expect(await strategyOf(paced.get('ec2', scope, FAKE_CREDENTIALS))).not.toBe(pacedStrategy);

    const unpaced = new AwsClientCache({ aws: awsConfig({ maxAttempts: 4 }) });
    const unpacedStrategy = await strategyOf(unpaced.get('lambda', scope, FAKE_CREDENTIALS));
    expect(unpacedStrategy).toBeInstanceOf(StandardRetryStrategy);
    expect(unpacedStrategy).not.toBeInstanceOf(ConfiguredRetryStrategy);
    expect(unpacedStrategy.mode).toBe('standard');
    expect(await unpacedStrategy.maxAttempts()).toBe(4);
    paced.destroy();
    unpaced.destroy();
  });

  it('draws the paced backoff from 0 to base × 2^(retry − 1), capped', () => {
    const almostOne = () => 0.999_999;
    expect(pacedRetryBackoffMs(1, () => 0)).toBe(0);
    expect(pacedRetryBackoffMs(1, almostOne)).toBe(PACED_RETRY_BACKOFF.baseMs - 1);
    expect(pacedRetryBackoffMs(2, almostOne)).toBe(2 * PACED_RETRY_BACKOFF.baseMs - 1);
    expect(pacedRetryBackoffMs(4, () => 0.5)).toBe(4 * PACED_RETRY_BACKOFF.baseMs);
    expect(pacedRetryBackoffMs(20, almostOne)).toBe(PACED_RETRY_BACKOFF.capMs - 1);
  });

  it('retries simulated throttles at once through the rate limiter, each attempt counted and given its own token', async () => {
    const simulation = configSchema.parse({ simulation: { seed: 7, accounts: [scope.accountId], resourcesPerRegion: 200, throttleRate: 0.3 } }).simulation;
    const sim = createSimulatedAws(simulation, [scope.region]);
    const { keys, limiter } = recordingLimiter();
    const clients = new AwsClientCache({ aws: awsConfig(), rateLimiter: limiter, plugins: (s) => [sim.plugin(s)] });
    const lambda = clients.get('lambda', scope, FAKE_CREDENTIALS);
    const ec2 = clients.get('ec2', scope, FAKE_CREDENTIALS);
    const calls = 60;
    const { result: outputs, usage } = await withApiUsage(async () => {
      const out = [];
      for (let i = 0; i < calls / 2; i += 1) {
        out.push(await lambda.send(new ListFunctionsCommand({ MaxItems: 50 })));
        out.push(await ec2.send(new DescribeAddressesCommand({})));
      }
      return out;
    });
    const attempts = outputs.map((output) => output.$metadata.attempts ?? 0);
    const { throttled } = sim.stats();
    // Throttles happened, and every call succeeded after its retries.
    expect(throttled).toBeGreaterThan(5);
    expect(attempts.filter((n) => n > 1).length).toBeGreaterThan(0);
    // Every attempt reached AWS once, was counted once and took one token from the shared bucket.
    const sent = Object.values(sim.stats().calls).reduce((sum, n) => sum + n, 0);
    const counted = Object.values(usage.calls).reduce((sum, n) => sum + n, 0);
    expect(counted).toBe(sent);
    expect(keys).toHaveLength(sent);
    expect(usage.throttled).toBe(throttled);
    expect(keys.filter((key) => key.operation === 'DescribeAddresses')).toHaveLength(usage.calls['ec2.DescribeAddresses'] ?? -1);
    // The SDK's own backoff after a throttle is 0–1 s × 2^n; the paced one stays within 100 ms × 2^(n−1) per retry.
    for (const output of outputs) {
      const retries = (output.$metadata.attempts ?? 1) - 1;
      const ceiling = Array.from({ length: retries }, (_, i) => Math.min(PACED_RETRY_BACKOFF.capMs, PACED_RETRY_BACKOFF.baseMs * 2 ** i)).reduce((a, b) => a + b, 0);
      expect(output.$metadata.totalRetryDelay ?? 0).toBeLessThanOrEqual(ceiling);
    }
    clients.destroy();
  });
});
