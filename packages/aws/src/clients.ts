// The SDK client cache: one client per (account, region, service), created on first use and destroyed on close.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { PricingClient } from '@aws-sdk/client-pricing';
import { RDSClient } from '@aws-sdk/client-rds';
import { STSClient } from '@aws-sdk/client-sts';
import type { Config } from '@finops/core';
import { ConfiguredRetryStrategy, StandardRetryStrategy } from '@smithy/core/retry';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Pluggable, RetryStrategyV2 } from '@smithy/types';
import { apiUsagePlugin } from './api-usage.js';
import { rateLimitPlugin } from './rate-limit/rate-limit-plugin.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import type { AwsScope } from './types.js';

/** Client class of each service, keyed by the short name used in usage counts (`ec2.DescribeInstances`). */
const CLIENT_CLASSES = {
  ec2: EC2Client,
  rds: RDSClient,
  lambda: LambdaClient,
  cloudwatch: CloudWatchClient,
  sts: STSClient,
  organizations: OrganizationsClient,
  ce: CostExplorerClient,
  /** The Price List query API (pricing:GetProducts). */
  pricing: PricingClient,
  /** ALB, NLB and GWLB. */
  elbv2: ElasticLoadBalancingV2Client,
  /** Classic load balancers. */
  elb: ElasticLoadBalancingClient,
} as const;

export type ServiceId = keyof typeof CLIENT_CLASSES;
export type ServiceClient<S extends ServiceId> = InstanceType<(typeof CLIENT_CLASSES)[S]>;
export type ClientCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/**
 * Extra middleware for every client, e.g. the simulator. Typed `any` on purpose: each SDK client types its stack
 * by its own command unions, so one plugin that serves every client cannot be typed more narrowly.
 */
export type ClientPlugins = (scope: AwsScope & { service: string }) => Pluggable<any, any>[];

export interface AwsClientCacheOptions {
  aws: Config['aws'];
  plugins?: ClientPlugins;
  /** Awaited before every request of every client, each retry included (see createAwsAccess). */
  rateLimiter?: RateLimiter;
}

/** The backoff before a retry when the rate limiter paces every attempt: full jitter over base × 2^(retry − 1), capped. */
export const PACED_RETRY_BACKOFF = { baseMs: 100, capMs: 10_000 } as const;

/**
 * Milliseconds to wait before retry `retry` (1 = the first retry) of a paced client: a uniform draw from
 * [0, min(capMs, baseMs × 2^(retry − 1))), so 0–100 ms, then 0–200 ms, … 0–10 s. `random` is for tests.
 */
export function pacedRetryBackoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(PACED_RETRY_BACKOFF.capMs, PACED_RETRY_BACKOFF.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The SDK's standard retry strategy (throttles and transient errors, with its retry quota that stops retrying when
 * most attempts fail, and Retry-After honoured), never the adaptive one.
 *
 * Adaptive mode adds a client-side rate limiter that cuts the sending rate on every throttle and recovers slowly:
 * against throttles that come at random rather than from a rate it settles far below AWS's rate (534 Lambda
 * functions with 20% of attempts throttled: 247 s adaptive, 61 s standard, ≈ 45 s AWS's bound).
 *
 * With a rate limiter every attempt already waits for a token of the Redis bucket shared by all replicas, at 95%
 * of AWS's rate (rate-limit/aws-rate-limits.ts), so retries cannot outrun AWS's limit however soon they start: the
 * backoff only needs to spread them, and a short one (PACED_RETRY_BACKOFF, ≈ 50 ms for a first retry) lets a
 * throttle cost about one more attempt rather than a sleep (500 functions, 20% throttled, 50–100 ms a call: 630
 * attempts ≈ 511 × 1/(1 − 0.2), 46 s, the time the bucket needs for them). The SDK's own backoff after a throttle
 * is 0–1 s × 2^n: half a second on average for each throttled page of a sequential listing. Without a rate
 * limiter nothing else paces the calls, so the SDK's standard backoff stays.
 */
export function retryStrategyFor(maxAttempts: number, paced: boolean): RetryStrategyV2 {
  return paced ? new ConfiguredRetryStrategy(maxAttempts, (retry) => pacedRetryBackoffMs(retry)) : new StandardRetryStrategy({ maxAttempts });
}

/** The minimal surface the cache needs from any SDK client. */
interface AnyClient {
  middlewareStack: { use(pluggable: Pluggable<any, any>): void };
  destroy(): void;
}

export class AwsClientCache {
  readonly #options: AwsClientCacheOptions;
  readonly #clients = new Map<string, AnyClient>();
  #closed = false;

  constructor(options: AwsClientCacheOptions) {
    this.#options = options;
  }

  /**
   * The client of a service in one account and region. `credentials` is read only when the client is created:
   * callers pass the same credentials for an account every time.
   */
  get<S extends ServiceId>(service: S, scope: AwsScope, credentials: ClientCredentials | undefined): ServiceClient<S> {
    if (this.#closed) throw new Error('AwsAccess is closed: create a new one with createAwsAccess()');
    const key = `${scope.accountId}/${scope.region}/${service}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = this.#create(service, scope, credentials);
      this.#clients.set(key, client);
    }
    return client as unknown as ServiceClient<S>;
  }

  /** Destroys every client (closing their sockets). Safe to call twice. */
  destroy(): void {
    this.#closed = true;
    for (const client of this.#clients.values()) {
      try {
        client.destroy();
      } catch {
        // A client that fails to close must not keep the others open.
      }
    }
    this.#clients.clear();
  }

  #create(service: ServiceId, scope: AwsScope, credentials: ClientCredentials | undefined): AnyClient {
    const { aws, plugins, rateLimiter } = this.#options;
    const config = {
      region: scope.region,
      maxAttempts: aws.maxAttempts,
      // One strategy per client: its retry quota is per (account, region, service), like AWS's buckets.
      retryStrategy: retryStrategyFor(aws.maxAttempts, rateLimiter !== undefined),
      // Set only when configured, so AWS_ENDPOINT_URL[_<SERVICE>] and profile endpoint_url keep working.
      ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
    const ClientClass = CLIENT_CLASSES[service] as unknown as new (config: object) => AnyClient;
    const client = new ClientClass(config);
    client.middlewareStack.use(apiUsagePlugin(service, scope));
    if (rateLimiter) client.middlewareStack.use(rateLimitPlugin(rateLimiter, { ...scope, service }));
    for (const plugin of plugins?.({ ...scope, service }) ?? []) client.middlewareStack.use(plugin);
    return client;
  }
}
