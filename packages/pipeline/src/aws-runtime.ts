// Composes AWS access for a process: the real adapter, with the simulated account plugged in when configured.
import { CALLER_ACCOUNT, RedisRateLimiter, createAwsAccess, type AwsAccess, type CostCache, type RateLimiter } from '@finops/aws';
import { AWS_REGIONS, type Config } from '@finops/core';
import { redisMutationStore } from '@finops/remediation';
import { connectSimulatedAws, createSimulatedAws, type MutationStore, type SimulatedAws } from '@finops/simulator';
import type { Logger } from '@finops/core';
import type { Redis } from 'ioredis';
import { RedisCostCache } from './cost-cache.js';

export interface AwsRuntime {
  access: AwsAccess;
  /**
   * Present when `aws.provider` is `simulated` and this process simulates the estate itself: the same adapter code
   * then talks to the simulated estate. Absent with `simulation.endpoint`, whose process holds the estate.
   */
  simulator?: SimulatedAws;
  /** Accounts a scan covers by default. */
  accounts(): Promise<string[]>;
  /** Regions a scan covers by default. */
  regions(): Promise<string[]>;
  close(): void;
}

/**
 * The regions worker pools of this config serve: `workers.regions`, else the scanned regions plus the home region
 * (aws.defaultRegion), whose analysis queue runs each scan's `costs` job. Pinned pools serve exactly their
 * regions: one of them must include the home region when costs are enabled.
 */
export function servedRegions(config: Config): string[] {
  if (config.workers.regions) return config.workers.regions;
  const scanned = config.aws.regions === 'all' ? [...AWS_REGIONS] : config.aws.regions;
  return config.costs.enabled && !scanned.includes(config.aws.defaultRegion) ? [...scanned, config.aws.defaultRegion] : scanned;
}

/** What a process with Redis shares with its replicas: AWS rate limits and Cost Explorer results. */
export interface AwsRuntimeOptions {
  rateLimiter?: RateLimiter;
  costCache?: CostCache;
  /** Where the simulated account keeps what remediation changed, so every process sees one estate. */
  mutationStore?: MutationStore;
}

/** Rate limits (aws.rateLimits) and the cost cache (costs.cacheTtlHours) in the platform's Redis. */
export function redisSharedAws(config: Config, redis: Redis, logger: Logger): AwsRuntimeOptions {
  let lastWarning = 0;
  const rateLimiter = config.aws.rateLimits.enabled
    ? new RedisRateLimiter({
        redis,
        prefix: config.redis.prefix,
        overrides: config.aws.rateLimits.overrides,
        onError: (error) => {
          // Once a minute at most: every AWS call would otherwise log the same Redis outage.
          if (Date.now() - lastWarning < 60_000) return;
          lastWarning = Date.now();
          logger.warn({ err: error.message }, 'rate limiter unavailable: AWS calls go out unlimited until Redis answers');
        },
      })
    : undefined;
  // The fetch lock is renewed while its holder lives, like a job's lock: a holder killed mid-fetch frees it as soon.
  const costCache = new RedisCostCache({
    redis,
    prefix: config.redis.prefix,
    ttlSeconds: config.costs.cacheTtlHours * 3600,
    lockMs: config.workers.lockDurationMs,
  });
  return { ...(rateLimiter ? { rateLimiter } : {}), costCache, mutationStore: redisMutationStore(redis, config.redis.prefix) };
}

/** The simulator needs no secrets; fixed fake keys let the SDK sign requests as it would for AWS. */
const SIMULATED_CREDENTIALS = { accessKeyId: 'ASIASIMULATED000000', secretAccessKey: 'simulated-secret-access-key' };

/** The regions the simulated account has: aws.regions, or three of them for `all`. */
export function simulatedRegions(config: Config): string[] {
  return config.aws.regions === 'all' ? ['us-east-1', 'us-west-2', 'eu-west-1'] : [...config.aws.regions];
}

export function createAwsRuntime(config: Config, logger: Logger, options: AwsRuntimeOptions = {}): AwsRuntime {
  const { mutationStore, ...shared } = options;
  if (config.aws.provider === 'simulated') {
    const regions = simulatedRegions(config);
    // With an endpoint, its process holds the estate; without one, this process simulates it.
    const remote = config.simulation.endpoint ? connectSimulatedAws(config.simulation.endpoint, config.simulation.accounts) : undefined;
    const simulator = remote ? undefined : createSimulatedAws(config.simulation, regions, mutationStore ? { mutationStore } : {});
    const estate = (remote ?? simulator)!;
    const access = createAwsAccess({
      aws: config.aws,
      // The default credentials belong to the first simulated account, as a real scanner runs in its management account.
      plugins: (scope) => [estate.plugin({ ...scope, accountId: scope.accountId === CALLER_ACCOUNT ? estate.accounts[0]! : scope.accountId })],
      credentials: SIMULATED_CREDENTIALS,
      logger,
      ...shared,
    });
    return {
      access,
      ...(simulator ? { simulator } : {}),
      accounts: async () => (config.aws.accounts.length ? config.aws.accounts.map((a) => a.id) : [...estate.accounts]),
      regions: async () => regions,
      close: () => {
        access.close();
        remote?.close();
      },
    };
  }
  const access = createAwsAccess({ aws: config.aws, logger, ...shared });
  return {
    access,
    accounts: () => access.resolveAccounts(),
    regions: () => access.resolveRegions(),
    close: () => access.close(),
  };
}
