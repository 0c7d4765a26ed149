// EC2 instance discovery from recorded DescribeInstances pages.
import { DescribeInstancesCommand, EC2Client, type DescribeInstancesCommandInput } from '@aws-sdk/client-ec2';
import { AwsAccessError, type Ec2Instance } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess, SCOPE } from '../__fixtures__/test-access.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

/** Answers DescribeInstances from the three recorded pages, keyed by NextToken, and records each input as sent. */
function answerFromPages(): DescribeInstancesCommandInput[] {
  const inputs: DescribeInstancesCommandInput[] = [];
  const pages: Record<string, string> = {
    '': 'ec2.DescribeInstances_1',
    eyJ2IjoiMiIsImMiOiJwYWdlMiJ9: 'ec2.DescribeInstances_2',
    eyJ2IjoiMiIsImMiOiJwYWdlMyJ9: 'ec2.DescribeInstances_3',
  };
  ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
    inputs.push({ ...input });
    return fixture(pages[input.NextToken ?? ''] as string);
  });
  return inputs;
}

describe('ec2-instance collector', () => {
  it('reads every page, including an empty page that still has a NextToken, with MaxResults 1000', async () => {
    const inputs = answerFromPages();
    const { access } = mockedAccess();
    const instances = (await access.discover('ec2-instance', SCOPE)) as Ec2Instance[];
    expect(inputs.map((input) => input.NextToken)).toEqual([undefined, 'eyJ2IjoiMiIsImMiOiJwYWdlMiJ9', 'eyJ2IjoiMiIsImMiOiJwYWdlMyJ9']);
    expect(inputs.every((input) => input.MaxResults === 1000)).toBe(true);
    // Page 1 holds 3 instances, page 2 none, page 3 three of which one is terminated.
    expect(instances.map((instance) => instance.id)).toEqual([
      'i-0a1b2c3d4e5f60001',
      'i-0a1b2c3d4e5f60002',
      'i-0a1b2c3d4e5f60003',
      'i-0a1b2c3d4e5f60004',
      'i-0a1b2c3d4e5f60006',
    ]);
    access.close();
  });

  it('normalizes platform, architecture, lifecycle, state time, volumes and the Name tag', async () => {
    answerFromPages();
    const { access } = mockedAccess();
    const byId = new Map(((await access.discover('ec2-instance', SCOPE)) as Ec2Instance[]).map((i) => [i.id, i]));

    expect(byId.get('i-0a1b2c3d4e5f60001')).toMatchObject({
      accountId: SCOPE.accountId,
      region: SCOPE.region,
      name: 'web-1',
      tags: { Name: 'web-1', team: 'storefront' },
      instanceType: 'm5.large',
      state: 'running',
      platform: 'linux',
      architecture: 'x86_64',
      lifecycle: 'on-demand',
      launchTime: '2024-01-02T03:04:05.000Z',
      volumeIds: ['vol-0a1b2c3d4e5f60001', 'vol-0a1b2c3d4e5f60002'],
      availabilityZone: 'eu-west-1a',
    });
    expect(byId.get('i-0a1b2c3d4e5f60001')?.stateChangedAt).toBeUndefined();

    expect(byId.get('i-0a1b2c3d4e5f60002')).toMatchObject({
      platform: 'windows',
      state: 'stopped',
      stateChangedAt: '2024-01-02T03:04:05.000Z',
      stateTransitionReason: 'User initiated (2024-01-02 03:04:05 GMT)',
      volumeIds: ['vol-0a1b2c3d4e5f60003'],
    });
    expect(byId.get('i-0a1b2c3d4e5f60003')).toMatchObject({ architecture: 'arm64', lifecycle: 'spot', volumeIds: [] });
    expect(byId.get('i-0a1b2c3d4e5f60003')?.name).toBeUndefined();
    // Values AWS may add later fall back instead of failing the scan.
    expect(byId.get('i-0a1b2c3d4e5f60004')).toMatchObject({
      architecture: 'x86_64',
      lifecycle: 'on-demand',
      stateTransitionReason: 'Server.ScheduledStop',
      tags: {},
    });
    access.close();
  });

  it('keeps going when an instance carries almost nothing', async () => {
    answerFromPages();
    const { access } = mockedAccess();
    const before = Date.now();
    const bare = ((await access.discover('ec2-instance', SCOPE)) as Ec2Instance[]).find((i) => i.id === 'i-0a1b2c3d4e5f60006');
    expect(bare).toMatchObject({ instanceType: 'unknown', state: 'unknown', platform: 'linux', volumeIds: [], tags: {} });
    // An unknown launch time reads as "now", so no age-based check fires on it.
    expect(Date.parse(bare?.launchTime ?? '')).toBeGreaterThanOrEqual(before - 1000);
    access.close();
  });

  it('turns a refused call into a non-retryable AwsAccessError naming the IAM action', async () => {
    ec2.on(DescribeInstancesCommand).rejects(
      Object.assign(new Error('You are not authorized to perform this operation.'), {
        name: 'UnauthorizedOperation',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const { access } = mockedAccess();
    const error = await access.discover('ec2-instance', SCOPE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAccessError);
    expect(error).toMatchObject({
      accountId: SCOPE.accountId,
      region: SCOPE.region,
      action: 'ec2:DescribeInstances',
      code: 'UnauthorizedOperation',
      retryable: false,
    });
    expect((error as AwsAccessError).hint).toContain('grant ec2:DescribeInstances');
    access.close();
  });
});
