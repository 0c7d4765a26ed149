// Scan targets: the organization's ACTIVE accounts across pages, fixes for refused listings, and enabled regions only.
import { DescribeRegionsCommand, EC2Client, type DescribeRegionsCommandInput } from '@aws-sdk/client-ec2';
import { ListAccountsCommand, OrganizationsClient, type ListAccountsCommandInput } from '@aws-sdk/client-organizations';
import { AwsAccessError } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { awsConfig, CALLER_ID, mockedAccess } from './__fixtures__/test-access.js';

const organizations = mockClient(OrganizationsClient);
const ec2 = mockClient(EC2Client);
afterEach(() => {
  organizations.reset();
  ec2.reset();
});

describe('organization accounts', () => {
  it('lists ACTIVE accounts once each, 20 a page, reading on past an empty page', async () => {
    const inputs: ListAccountsCommandInput[] = [];
    const pages: Record<string, object> = {
      '': { Accounts: [{ Id: CALLER_ID, State: 'ACTIVE' }, { Id: '333333333333', State: 'SUSPENDED', Status: 'SUSPENDED' }], NextToken: 't2' },
      t2: { Accounts: [], NextToken: 't3' },
      t3: { Accounts: [{ Id: '444444444444', State: 'PENDING_ACTIVATION' }, { Id: '555555555555', Status: 'ACTIVE' }, { Id: CALLER_ID, State: 'ACTIVE' }] },
    };
    organizations.on(ListAccountsCommand).callsFake((input: ListAccountsCommandInput) => {
      inputs.push({ ...input });
      return pages[input.NextToken ?? ''];
    });
    const { access } = mockedAccess({ aws: awsConfig({ organization: true }) });
    expect(await access.resolveAccounts()).toEqual([CALLER_ID, '555555555555']);
    expect(inputs.map((input) => [input.NextToken, input.MaxResults])).toEqual([
      [undefined, 20],
      ['t2', 20],
      ['t3', 20],
    ]);
    access.close();
  });

  it('says how to fix a listing refused outside the management account, or an account without an organization', async () => {
    organizations
      .on(ListAccountsCommand)
      .rejectsOnce(Object.assign(new Error('no permission'), { name: 'AccessDeniedException' }))
      .rejectsOnce(Object.assign(new Error('not in an organization'), { name: 'AWSOrganizationsNotInUseException' }));
    const { access } = mockedAccess({ aws: awsConfig({ organization: true }) });
    const denied = await access.resolveAccounts().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AwsAccessError);
    expect(denied).toMatchObject({ action: 'organizations:ListAccounts', code: 'AccessDeniedException', retryable: false });
    expect((denied as AwsAccessError).hint).toContain('management account or a delegated administrator');

    const alone = await access.resolveAccounts().catch((e: unknown) => e);
    expect(alone).toMatchObject({ code: 'AWSOrganizationsNotInUseException', retryable: false });
    expect((alone as AwsAccessError).hint).toContain('set aws.organization: false');
    access.close();
  });
});

describe('enabled regions', () => {
  it('asks for enabled regions only, and keeps opt-in-not-required and opted-in ones whatever the answer holds', async () => {
    const inputs: DescribeRegionsCommandInput[] = [];
    ec2.on(DescribeRegionsCommand).callsFake((input: DescribeRegionsCommandInput) => {
      inputs.push({ ...input });
      return {
        Regions: [
          { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
          { RegionName: 'me-central-1', OptInStatus: 'opted-in' },
          { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in' },
          { RegionName: 'il-central-1', OptInStatus: 'opting-in' },
          { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
        ],
      };
    });
    const { access } = mockedAccess({ aws: awsConfig({ regions: 'all' }) });
    expect(await access.resolveRegions()).toEqual(['eu-west-1', 'me-central-1', 'us-east-1']);
    expect(inputs).toEqual([{ Filters: [{ Name: 'opt-in-status', Values: ['opt-in-not-required', 'opted-in'] }] }]);
    expect(inputs[0]?.AllRegions).toBeUndefined();
    access.close();
  });
});
