// Helpers for this package's tests only: simulation options and real SDK clients wired to a simulator.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { RDSClient } from '@aws-sdk/client-rds';
import { STSClient } from '@aws-sdk/client-sts';
import type { SimulatedAws } from './create-simulated-aws.js';
import type { SimulationOptions } from './estate-server.js';

export const MANAGEMENT = '111111111111';
export const MEMBER = '222222222222';
export const CREDENTIALS = { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated-secret' };

export function simulationOptions(overrides: Partial<SimulationOptions> = {}): SimulationOptions {
  return {
    seed: 42,
    accounts: [MANAGEMENT, MEMBER],
    resourcesPerRegion: 60,
    latencyMs: { min: 0, max: 0 },
    throttleRate: 0,
    rateLimits: false,
    denied: [],
    ...overrides,
  };
}

export interface SdkClients {
  ec2: EC2Client;
  rds: RDSClient;
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
  ce: CostExplorerClient;
  sts: STSClient;
  elbv2: ElasticLoadBalancingV2Client;
  elb: ElasticLoadBalancingClient;
  organizations: OrganizationsClient;
}

/** Real SDK clients of one account and region, each carrying the simulator's plugin, as the AWS adapter builds them. */
export function sdkClients(sim: Pick<SimulatedAws, 'plugin'>, accountId: string, region: string, config: { maxAttempts?: number; retryMode?: string } = {}): SdkClients {
  const base = { region, credentials: CREDENTIALS, maxAttempts: config.maxAttempts ?? 3, retryMode: config.retryMode };
  const clients: SdkClients = {
    ec2: new EC2Client(base),
    rds: new RDSClient(base),
    lambda: new LambdaClient(base),
    cloudwatch: new CloudWatchClient(base),
    ce: new CostExplorerClient({ ...base, region: 'us-east-1' }),
    sts: new STSClient(base),
    elbv2: new ElasticLoadBalancingV2Client(base),
    elb: new ElasticLoadBalancingClient(base),
    organizations: new OrganizationsClient({ ...base, region: 'us-east-1' }),
  };
  for (const [name, client] of Object.entries(clients)) {
    client.middlewareStack.use(sim.plugin({ accountId, region: name === 'ce' || name === 'organizations' ? 'us-east-1' : region }));
  }
  return clients;
}

/** Runs `fn` and returns the error it throws (fails when it does not throw). */
export async function errorOf(fn: () => Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; $fault?: string }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; $fault?: string };
  }
  throw new Error('expected the call to throw');
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
