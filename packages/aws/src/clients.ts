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
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Pluggable } from '@smithy/types';
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
  /** Awaited before every command of every client (see createAwsAccess). */
  rateLimiter?: RateLimiter;
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
    const { aws, plugins } = this.#options;
    const config = {
      region: scope.region,
      maxAttempts: aws.maxAttempts,
      // Adaptive mode adds a client-side rate limiter after the first throttle; its state lives in this client,
      // which is why there is exactly one client per (account, region, service).
      retryMode: 'adaptive',
      // Set only when configured, so AWS_ENDPOINT_URL[_<SERVICE>] and profile endpoint_url keep working.
      ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
    const ClientClass = CLIENT_CLASSES[service] as unknown as new (config: object) => AnyClient;
    const client = new ClientClass(config);
    client.middlewareStack.use(apiUsagePlugin(service, scope));
    if (this.#options.rateLimiter) client.middlewareStack.use(rateLimitPlugin(this.#options.rateLimiter, { ...scope, service }));
    for (const plugin of plugins?.({ ...scope, service }) ?? []) client.middlewareStack.use(plugin);
    return client;
  }
}
