// The AWS adapter's entry point: credentials per account, cached clients, discovery, metrics and scan targets.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Config, CostDataset, PriceListProduct, Resource, ResourceKind, ResourceMetrics, UsageTypeCosts } from '@finops/core';
import { assumeRoleCredentials } from './assume-role-credentials.js';
import { AwsClientCache, type ClientCredentials, type ClientPlugins, type ServiceClient, type ServiceId } from './clients.js';
import { collectorFor, consumersOf, SharedListings, type CollectorContext } from './collectors/index.js';
import { checkConnection, type ConnectionCheckOptions, type ConnectionReport } from './connection-check.js';
import { costCacheKey, type CostCache } from './costs/cost-cache.js';
import { costExplorerRegion } from './costs/cost-explorer-region.js';
import { DEFAULT_COST_GROUPINGS } from './costs/cost-request-plan.js';
import { DEFAULT_COST_LOOKBACK_DAYS, fetchCostDataset, type FetchCostsOptions } from './costs/fetch-costs.js';
import { costWindow } from './costs/cost-window.js';
import { fetchUsageTypeCostSeries, type FetchUsageTypeCostsOptions } from './costs/fetch-usage-type-costs.js';
import { fetchPriceListProducts, PRICE_LIST_REGION, type PriceListQuery } from './pricing/fetch-price-list.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { callAws } from './collectors/sdk-calls.js';
import { toAwsAccessError } from './errors.js';
import { fetchResourceMetrics, type FetchMetricsOptions } from './metrics/fetch-metrics.js';
import { listEnabledRegions, listOrganizationAccounts } from './organization-accounts.js';
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
  /**
   * Awaited before every AWS request (each page and each retry included), e.g. Redis token buckets shared by every
   * replica (RedisRateLimiter); retries then back off only briefly (see retryStrategyFor). Default: none, and the
   * SDK's standard backoff after a throttle.
   */
  rateLimiter?: RateLimiter;
  /** Where Cost Explorer results are shared between scans and replicas. Default: none, every fetch asks AWS. */
  costCache?: CostCache;
}

export interface DiscoverOptions {
  /**
   * The scan the discovery belongs to. Collectors of one scan, account and region that read the same listing
   * (DescribeVolumes for volumes and EBS snapshots, DescribeDBInstances for DB instances and DB snapshots) share
   * one when they run in this process within minutes of each other. Without it each collector lists on its own.
   */
  scanId?: string;
  /**
   * Called once with the resources as listed, before the calls a collector makes per resource (Lambda's ListTags)
   * fill them in: whatever needs only their ids, such as their CloudWatch metrics, can start then. Collectors
   * without such calls do not call it; the inventory `discover` returns is the complete one either way.
   */
  onListed?: (resources: readonly Resource[]) => Promise<void>;
}

export interface AwsAccess {
  /** Full, paginated inventory of one kind in one account and region, normalized to the @finops/core model. */
  discover(kind: ResourceKind, scope: AwsScope, options?: DiscoverOptions): Promise<Resource[]>;
  /** CloudWatch utilization for the resources of one partition, batched with GetMetricData. */
  fetchMetrics(
    scope: AwsScope,
    resources: Resource[],
    options: FetchMetricsOptions,
  ): Promise<ResourceMetrics[]>;
  /** Accounts to scan: aws.accounts ids, or the organization's active accounts, or the caller's own account. */
  resolveAccounts(): Promise<string[]>;
  /** `aws.regions`, or every enabled region (DescribeRegions) when it is `all`. */
  resolveRegions(): Promise<string[]>;
  /** The account and partition of the default credentials (one GetCallerIdentity, then cached). */
  callerIdentity(): Promise<CallerIdentity>;
  /**
   * One cheap call per IAM permission the scan needs, per account and region (`finops test-connection`). Changes
   * nothing; with `costExplorer` it makes one Cost Explorer request ($0.01).
   */
  checkConnection(options: ConnectionCheckOptions): Promise<ConnectionReport>;
  /**
   * Daily cost from Cost Explorer (payer account, us-east-1): series by total, service, region, account and tag,
   * the (service, region, account) breakdown, and this month's forecast. Through `costCache` when one is given:
   * a cached answer makes no request and comes back with `cached: true`.
   */
  fetchCosts(options: FetchCostsOptions): Promise<CostDataset>;
  /** Daily cost of one service by usage type (optionally in one region and account), cached like fetchCosts. */
  fetchUsageTypeCosts(options: FetchUsageTypeCostsOptions): Promise<UsageTypeCosts>;
  /** Products of the AWS Price List (pricing:GetProducts in us-east-1), on-demand prices parsed. */
  fetchPriceList(queries: readonly PriceListQuery[]): Promise<PriceListProduct[]>;
  /**
   * The cached SDK client of a service in one account and region, with that account's credentials. For the
   * remediation executors (./actions), the only code that sends mutating calls.
   */
  client<S extends ServiceId>(service: S, scope: AwsScope): Promise<ServiceClient<S>>;
  /** Destroys every cached client. Idempotent. */
  close(): void;
}

/**
 * The account id plugins see for the STS client that runs before the caller's account is known
 * (GetCallerIdentity) and that assumes member-account roles.
 */
export const CALLER_ACCOUNT = 'caller';

/** What the scan needs to know about its own identity. */
export interface CallerIdentity {
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
  const clients = new AwsClientCache({ aws, plugins: options.plugins, rateLimiter: options.rateLimiter });
  const callerScope: AwsScope = { accountId: CALLER_ACCOUNT, region: aws.defaultRegion };
  const roleProviders = new Map<string, ClientCredentials>();
  const sharedListings = new SharedListings({ consumers: consumersOf });
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

  /** Cost Explorer is global: the caller's (payer's) account, at its partition's endpoint. */
  async function costExplorerScope(): Promise<AwsScope> {
    const identity = await callerIdentity();
    return { accountId: identity.accountId, region: costExplorerRegion(identity.partition) };
  }

  /** Runs `fetch` through the cost cache (when there is one) under a key of the payer account and the question. */
  async function throughCostCache<T extends { cached: boolean }>(
    scope: AwsScope,
    operation: string,
    parameters: Record<string, unknown>,
    fetch: () => Promise<Omit<T, 'cached'>>,
  ): Promise<T> {
    if (!options.costCache) return { ...(await fetch()), cached: false } as T;
    const { value, cached } = await options.costCache.getOrFetch(costCacheKey(scope.accountId, operation, parameters), fetch);
    return { ...value, cached } as T;
  }

  return {
    async discover(kind, scope, discoverOptions = {}) {
      const collector = collectorFor(kind);
      const { scanId, onListed } = discoverOptions;
      const context: CollectorContext = {
        scope,
        listed: async (resources) => onListed?.(resources),
        client: (service) => client(service, scope),
        logger,
        shared(listing) {
          if (!collector.sharedListings?.includes(listing)) {
            throw new Error(`the ${kind} collector reads the shared listing ${listing.name} without declaring it in sharedListings`);
          }
          const list = () => listing.list(context);
          return scanId ? sharedListings.read(listing, { scanId, scope, kind }, list) : list();
        },
      };
      return collector.collect(context);
    },

    async fetchMetrics(scope, resources, metricOptions) {
      if (resources.length === 0) return [];
      const cloudwatch = await client('cloudwatch', scope);
      return fetchResourceMetrics(cloudwatch, scope, resources, metricOptions, logger);
    },

    async resolveAccounts() {
      if (aws.organization) {
        const home = await callerHome();
        return listOrganizationAccounts(await client('organizations', home), home);
      }
      if (aws.accounts.length > 0) return unique(aws.accounts.map((account) => account.id));
      return [(await callerIdentity()).accountId];
    },

    async resolveRegions() {
      if (aws.regions !== 'all') return [...aws.regions];
      const home = await callerHome();
      return listEnabledRegions(await client('ec2', home), home);
    },

    async fetchCosts(costOptions) {
      const scope = await costExplorerScope();
      const now = costOptions.now ?? new Date();
      const lookbackDays = costOptions.lookbackDays ?? DEFAULT_COST_LOOKBACK_DAYS;
      const accounts = unique(costOptions.accounts).sort();
      const groupings = [...(costOptions.groupings ?? DEFAULT_COST_GROUPINGS)].sort();
      // The window is part of the key: a new day asks again, and the TTL covers Cost Explorer's refreshes within it.
      const window = costWindow(now, lookbackDays);
      const ce = await client('ce', scope);
      return throughCostCache<CostDataset>(scope, 'costs', { ...window, accounts, groupings, granularity: 'DAILY' }, () =>
        fetchCostDataset(ce, scope, { ...costOptions, lookbackDays, accounts, groupings, now }, logger),
      );
    },

    async fetchUsageTypeCosts(usageOptions) {
      const scope = await costExplorerScope();
      const { service, region, accountId, start, end } = usageOptions;
      const ce = await client('ce', scope);
      return throughCostCache<UsageTypeCosts>(scope, 'usage-types', { service, region, accountId, start, end }, () =>
        fetchUsageTypeCostSeries(ce, scope, usageOptions),
      );
    },

    async fetchPriceList(queries) {
      // Prices are public: the caller's own credentials, no role and no account lookup needed.
      const scope: AwsScope = { accountId: CALLER_ACCOUNT, region: PRICE_LIST_REGION };
      const pricing = clients.get('pricing', scope, staticCredentials);
      return fetchPriceListProducts(pricing, scope, queries);
    },

    client,

    callerIdentity,

    checkConnection: (checkOptions) => checkConnection({ callerIdentity, client }, checkOptions),

    close() {
      sharedListings.clear();
      clients.destroy();
    },
  };
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))];
}
