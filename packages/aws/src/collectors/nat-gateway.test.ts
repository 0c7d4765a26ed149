// NAT gateway discovery from recorded DescribeNatGateways pages.
import { DescribeNatGatewaysCommand, EC2Client, type DescribeNatGatewaysCommandInput } from '@aws-sdk/client-ec2';
import type { NatGateway } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess, SCOPE } from '../__fixtures__/test-access.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

describe('nat-gateway collector', () => {
  it('reads every page with MaxResults 1000, across an empty page with a token, and skips deleted and failed gateways', async () => {
    const inputs: DescribeNatGatewaysCommandInput[] = [];
    const pages: Record<string, string> = {
      '': 'ec2.DescribeNatGateways_1',
      'bmF0LXBhZ2UtMg==': 'ec2.DescribeNatGateways_2',
      'bmF0LXBhZ2UtMw==': 'ec2.DescribeNatGateways_3',
    };
    ec2.on(DescribeNatGatewaysCommand).callsFake((input: DescribeNatGatewaysCommandInput) => {
      inputs.push({ ...input });
      return fixture(pages[input.NextToken ?? ''] as string);
    });
    const { access } = mockedAccess();
    const before = Date.now();
    const gateways = (await access.discover('nat-gateway', SCOPE)) as NatGateway[];

    expect(inputs.map((input) => input.NextToken)).toEqual([undefined, 'bmF0LXBhZ2UtMg==', 'bmF0LXBhZ2UtMw==']);
    expect(inputs.every((input) => input.MaxResults === 1000)).toBe(true);
    expect(gateways.map((gateway) => gateway.id)).toEqual(['nat-0a1b2c3d4e5f60001', 'nat-0a1b2c3d4e5f60003', 'nat-0a1b2c3d4e5f60005']);
    expect(gateways[0]).toEqual({
      kind: 'nat-gateway',
      id: 'nat-0a1b2c3d4e5f60001',
      accountId: SCOPE.accountId,
      region: SCOPE.region,
      name: 'egress-a',
      tags: { Name: 'egress-a', team: 'platform' },
      state: 'available',
      connectivityType: 'public',
      subnetId: 'subnet-0a1b2c3d4e5f60001',
      vpcId: 'vpc-0a1b2c3d4e5f60001',
      createTime: '2023-04-05T06:07:08.000Z',
      publicIps: ['203.0.113.21'],
    });
    expect(gateways[1]).toMatchObject({ connectivityType: 'private', publicIps: [], tags: {} });
    expect(gateways[1]?.name).toBeUndefined();
    // A gateway without ConnectivityType predates private NAT (public); one without CreateTime reads as new.
    expect(gateways[2]).toMatchObject({ state: 'pending', connectivityType: 'public' });
    expect(Date.parse(gateways[2]?.createTime ?? '')).toBeGreaterThanOrEqual(before - 1000);
    access.close();
  });

  it('turns a refused listing into an AwsAccessError naming ec2:DescribeNatGateways', async () => {
    ec2.on(DescribeNatGatewaysCommand).rejects(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' }));
    const { access } = mockedAccess();
    await expect(access.discover('nat-gateway', SCOPE)).rejects.toMatchObject({
      action: 'ec2:DescribeNatGateways',
      code: 'UnauthorizedOperation',
      retryable: false,
    });
    access.close();
  });
});
