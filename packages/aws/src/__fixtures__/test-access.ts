// Test helpers: a parsed aws config and an AwsAccess whose caller is account 111111111111 under aws-sdk-client-mock.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { configSchema, type Config, type ConfigInput, type Ec2Instance, type RdsInstance } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsAccess, type AwsAccess, type AwsAccessOptions } from '../aws-access.js';
import type { AwsLogger, AwsScope } from '../types.js';

export const CALLER_ID = '111111111111';
export const SCOPE: AwsScope = { accountId: CALLER_ID, region: 'eu-west-1' };
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDTESTTESTTESTTEST', secretAccessKey: 'secret' };

export function awsConfig(aws: NonNullable<ConfigInput['aws']> = {}): Config['aws'] {
  return configSchema.parse({ aws }).aws;
}

/** A logger that remembers what it was told, for assertions. */
export function recordingLogger(): AwsLogger & { warnings: { obj: object; msg?: string }[] } {
  const warnings: { obj: object; msg?: string }[] = [];
  return { debug() {}, warn: (obj, msg) => warnings.push({ obj, msg }), warnings };
}

/** STS is mocked to say the caller is {@link CALLER_ID}; returns the access and the STS mock. */
export function mockedAccess(options: Partial<AwsAccessOptions> = {}): { access: AwsAccess; sts: ReturnType<typeof mockClient> } {
  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).resolves({
    Account: CALLER_ID,
    Arn: `arn:aws:iam::${CALLER_ID}:user/finops-scanner`,
    UserId: 'AIDAEXAMPLEUSERID',
  });
  const access = createAwsAccess({ aws: awsConfig({ regions: ['eu-west-1'] }), credentials: FAKE_CREDENTIALS, ...options });
  return { access, sts };
}

/** What every resource of SCOPE carries: its account, its region and (a fresh object each time) no tags. */
export function inScope(): { accountId: string; region: string; tags: Record<string, string> } {
  return { accountId: SCOPE.accountId, region: SCOPE.region, tags: {} };
}

/** A running on-demand m5.large in SCOPE, launched long before any test's window: metrics tests' usual resource. */
export function runningInstance(id: string, overrides: Partial<Ec2Instance> = {}): Ec2Instance {
  return {
    kind: 'ec2-instance',
    id,
    ...inScope(),
    instanceType: 'm5.large',
    state: 'running',
    launchTime: '2024-01-01T00:00:00.000Z',
    platform: 'linux',
    architecture: 'x86_64',
    lifecycle: 'on-demand',
    volumeIds: [],
    ...overrides,
  };
}

/** An available single-AZ PostgreSQL db.m5.large in SCOPE, created long before any test's window. */
export function availableDatabase(id: string, overrides: Partial<RdsInstance> = {}): RdsInstance {
  return {
    kind: 'rds-instance',
    id,
    ...inScope(),
    dbInstanceClass: 'db.m5.large',
    engine: 'postgres',
    multiAz: false,
    storageType: 'gp3',
    allocatedStorageGiB: 20,
    status: 'available',
    createdAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}
