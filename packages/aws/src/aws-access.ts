// The AWS adapter's entry point: credentials per account, cached clients, discovery, metrics and scan targets.
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { paginateListAccounts } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Config, Resource, ResourceKind, ResourceMetrics } from '@finops/core';
import { assumeRoleCredentials } from './assume-role-credentials.js';
import { AwsClientCache, type ClientCredentials, type ClientPlugins, type ServiceClient, type ServiceId } from './clients.js';
import { collectorFor } from './collectors/index.js';
import { callAws, collectPages } from './collectors/sdk-calls.js';
import { toAwsAccessError } from './errors.js';
import { fetchResourceMetrics } from './metrics/fetch-metrics.js';
import { silentLogger, type AwsLogger, type AwsScope } from './types.js';

export interface AwsAccessOptions {
  aws: Config['aws'];
  /** Extra middleware per client, e.g. the simulator. Called once per client, when it is created. */
  plugins?: ClientPlugins;
  /**
   * Static credentials for the caller (the simulator uses fake ones). Default: the SDK's default chain. Either
   * way, accounts other than the caller's are reached by AssumeRole into aws.accounts[].roleName / aws.roleName.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  logger?: AwsLogger;
}

export interface AwsAccess {
  /** Full, paginated inventory of one kind in one account and region, normalized to the @finops/core model. */
  discover(kind: ResourceKind, scope: AwsScope): Promise<Resource[]>;
  /** CloudWatch utilization for the resources of one partition, batched with GetMetricData. */
  fetchMetrics(
    scope: AwsScope,
    resources: Resource[],
    options: { lookbackDays: number; periodSec: number; now?: Date },
  ): Promise<ResourceMetrics[]>;
  /** Accounts to scan: aws.accounts ids, or the organization's active accounts, or the caller's own account. */
  resolveAccounts(): Promise<string[]>;
  /** `aws.regions`, or every enabled region (DescribeRegions) when it is `all`. */
  resolveRegions(): Promise<string[]>;
  /** Destroys every cached client. Idempotent. */
  close(): void;
}

/**
 * The account id plugins see for the STS client that runs before the caller's account is known
 * (GetCallerIdentity) and that assumes member-account roles.
 */
export const CALLER_ACCOUNT = 'caller';

/** What the scan needs to know about its own identity. */
interface CallerIdentity {
  accountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: member-account role ARNs live in the caller's partition. */
  partition: string;
}

/**
 * Creates the adapter. Nothing is called until a method is: clients are created on first use, one per
 * (account, region, service), and the caller's identity is looked up once.
 *
 * @example
 * const access = createAwsAccess({ aws: config.aws, logger });
 * const volumes = await access.discover('ebs-volume', { accountId: '111111111111', region: 'eu-west-1' });
 * access.close();
 */
export function createAwsAccess(options: AwsAccessOptions): AwsAccess {
  const { aws, credentials: staticCredentials, logger = silentLogger } = options;
  const clients = new AwsClientCache({ aws, plugins: options.plugins });
  const callerScope: AwsScope = { accountId: CALLER_ACCOUNT, region: aws.defaultRegion };
  const roleProviders = new Map<string, ClientCredentials>();
  let caller: Promise<CallerIdentity> | undefined;

  const callerSts = () => clients.get('sts', callerScope, staticCredentials);

  function callerIdentity(): Promise<CallerIdentity> {
    if (!caller) {
      const lookup = callAws(callerScope, 'sts:GetCallerIdentity', () =>
        callerSts().send(new GetCallerIdentityCommand({})),
      ).then((output) => {
        if (!output.Account) {
          throw toAwsAccessError(
            Object.assign(new Error('GetCallerIdentity returned no account id'), { name: 'InvalidIdentityResponse' }),
            callerScope,
            'sts:GetCallerIdentity',
          );
        }
        return { accountId: output.Account, partition: output.Arn?.split(':')[1] || 'aws' };
      });
      caller = lookup;
      // A failed lookup (no credentials yet, a network blip) is tried again by the next call.
      lookup.catch(() => {
        if (caller === lookup) caller = undefined;
      });
    }
    return caller;
  }

  /** The caller's own account uses the base credentials; any other account a role assumed with them. */
  async function credentialsFor(accountId: string): Promise<ClientCredentials | undefined> {
    const identity = await callerIdentity();
    if (accountId === identity.accountId) return staticCredentials;
    let provider = roleProviders.get(accountId);
    if (!provider) {
      const account = aws.accounts.find((candidate) => candidate.id === accountId);
      const roleArn = `arn:${identity.partition}:iam::${accountId}:role/${account?.roleName ?? aws.roleName}`;
      const externalId = account?.externalId ?? aws.externalId;
      logger.debug({ accountId, roleArn }, 'assuming role for account');
      provider = assumeRoleCredentials({ sts: callerSts, roleArn, externalId, scope: { accountId, region: aws.defaultRegion } });
      roleProviders.set(accountId, provider);
    }
    return provider;
  }

  async function client<S extends ServiceId>(service: S, scope: AwsScope): Promise<ServiceClient<S>> {
    const credentials = await credentialsFor(scope.accountId);
    return clients.get(service, scope, credentials);
  }

  async function callerHome(): Promise<AwsScope> {
    return { accountId: (await callerIdentity()).accountId, region: aws.defaultRegion };
  }

  return {
    async discover(kind, scope) {
      const collector = collectorFor(kind);
      return collector.collect({ scope, client: (service) => client(service, scope), logger });
    },

    async fetchMetrics(scope, resources, metricOptions) {
      if (resources.length === 0) return [];
      const cloudwatch = await client('cloudwatch', scope);
      return fetchResourceMetrics(cloudwatch, scope, resources, metricOptions, logger);
    },

    async resolveAccounts() {
      if (aws.organization) {
        const home = await callerHome();
        const organizations = await client('organizations', home);
        const accounts = await collectPages(
          home,
          'organizations:ListAccounts',
          // ListAccounts returns at most 20 per page, and may return an empty page that still has a NextToken.
          paginateListAccounts({ client: organizations, pageSize: 20 }, {}),
          (page) => page.Accounts,
        );
        // `State` replaces the deprecated `Status`; older answers carry only the latter.
        return unique(accounts.filter((account) => (account.State ?? account.Status) === 'ACTIVE').map((account) => account.Id));
      }
      if (aws.accounts.length > 0) return unique(aws.accounts.map((account) => account.id));
      return [(await callerIdentity()).accountId];
    },

    async resolveRegions() {
      if (aws.regions !== 'all') return [...aws.regions];
      const home = await callerHome();
      const ec2 = await client('ec2', home);
      // Without AllRegions, DescribeRegions lists only the regions enabled for the account.
      const output = await callAws(home, 'ec2:DescribeRegions', () => ec2.send(new DescribeRegionsCommand({})));
      return unique(
        (output.Regions ?? [])
          .filter((region) => region.OptInStatus !== 'not-opted-in')
          .map((region) => region.RegionName),
      ).sort();
    },

    close() {
      clients.destroy();
    },
  };
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))];
}
