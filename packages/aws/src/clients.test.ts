// Endpoints: the client cache never sets one unless aws.endpoint is configured, so AWS_ENDPOINT_URL_<SERVICE> keeps working.
import { DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClientCache } from './clients.js';
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
