// The organization's accounts (Organizations ListAccounts) and the account's enabled regions (EC2 DescribeRegions).
import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { paginateListAccounts, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { AwsAccessError } from '@finops/core';
import { callAws } from './collectors/sdk-calls.js';
import { toAwsAccessError } from './errors.js';
import type { AwsScope } from './types.js';

/** ListAccounts returns at most 20 accounts a page. */
const ACCOUNTS_PAGE_SIZE = 20;
/** Region opt-in states whose regions can be scanned. */
const ENABLED_OPT_IN = ['opt-in-not-required', 'opted-in'];

/**
 * Ids of the organization's ACTIVE accounts, in listing order. Suspended, closed and still-joining accounts cannot
 * be entered, so they are left out. Throws AwsAccessError with a fix when the caller cannot list the organization.
 */
export async function listOrganizationAccounts(organizations: OrganizationsClient, scope: AwsScope): Promise<string[]> {
  const ids: string[] = [];
  try {
    // ListAccounts may answer an empty page that still has a NextToken: the paginator reads on.
    for await (const page of paginateListAccounts({ client: organizations, pageSize: ACCOUNTS_PAGE_SIZE }, {})) {
      for (const account of page.Accounts ?? []) {
        // `State` replaces the deprecated `Status`; older answers carry only the latter.
        if (account.Id && (account.State ?? account.Status) === 'ACTIVE' && !ids.includes(account.Id)) ids.push(account.Id);
      }
    }
  } catch (error) {
    throw organizationError(error, scope);
  }
  return ids;
}

/** The AwsAccessError of a failed ListAccounts, with the fix for the two usual causes. */
export function organizationError(error: unknown, scope: AwsScope): AwsAccessError {
  const accessError = toAwsAccessError(error, scope, 'organizations:ListAccounts', {
    accessDeniedHint:
      `grant organizations:ListAccounts to the scanning identity in account ${scope.accountId}; ListAccounts answers only in ` +
      'the management account or a delegated administrator account — elsewhere list the accounts under aws.accounts instead',
  });
  if (accessError.code !== 'AWSOrganizationsNotInUseException') return accessError;
  return new AwsAccessError({
    accountId: accessError.accountId,
    region: accessError.region,
    action: accessError.action,
    code: accessError.code,
    message: accessError.message,
    retryable: false,
    hint: `account ${scope.accountId} is not in an organization: set aws.organization: false and list the accounts under aws.accounts`,
    cause: error,
  });
}

/** The account's enabled regions, sorted: those that need no opt-in and those opted into. */
export async function listEnabledRegions(ec2: EC2Client, scope: AwsScope): Promise<string[]> {
  // Without AllRegions, DescribeRegions lists only enabled regions; the filter says so explicitly, and the check
  // below keeps a region in any other opt-in state out even if an endpoint ignored the filter.
  const output = await callAws(scope, 'ec2:DescribeRegions', () =>
    ec2.send(new DescribeRegionsCommand({ Filters: [{ Name: 'opt-in-status', Values: ENABLED_OPT_IN }] })),
  );
  const names = (output.Regions ?? [])
    .filter((region) => region.RegionName && ENABLED_OPT_IN.includes(region.OptInStatus ?? ''))
    .map((region) => region.RegionName as string);
  return [...new Set(names)].sort();
}
