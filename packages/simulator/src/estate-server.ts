// Serves one SDK call: counts it, waits the simulated latency, applies denials and throttling, then dispatches it.
import type { Config } from '@finops/core';
import type { ResponseMetadata } from '@smithy/types';
import { accessDeniedError, iamPrefix, serviceError, throttlingError, type ServiceId } from './aws-error.js';
import type { CallContext, EstateView, OperationHandler } from './call-context.js';
import { CostModel } from './cost-model.js';
import type { Partition } from './estate-types.js';
import { generatePartition } from './generate-partition.js';
import { memoryMutationStore, MutationLayer, type MutationStore } from './mutations/index.js';
import { Rng } from './prng.js';
import { bucketFor, RateLimiter } from './rate-limiter.js';
import { cloudwatchOperations } from './services/cloudwatch.js';
import { costExplorerOperations } from './services/cost-explorer.js';
import { pricingOperations } from './services/pricing.js';
import { ec2Operations } from './services/ec2.js';
import { elbOperations } from './services/elb.js';
import { elbv2Operations } from './services/elbv2.js';
import { lambdaOperations } from './services/lambda.js';
import { organizationsOperations } from './services/organizations.js';
import { rdsOperations } from './services/rds.js';
import { roleArnAccount, stsOperations } from './services/sts.js';

export type SimulationOptions = Config['simulation'];

/** SDK client class name → simulated service. */
const CLIENTS: Record<string, ServiceId> = {
  EC2Client: 'ec2',
  RDSClient: 'rds',
  LambdaClient: 'lambda',
  CloudWatchClient: 'cloudwatch',
  CostExplorerClient: 'ce',
  STSClient: 'sts',
  ElasticLoadBalancingV2Client: 'elbv2',
  ElasticLoadBalancingClient: 'elb',
  OrganizationsClient: 'organizations',
  PricingClient: 'pricing',
};

/** Services whose endpoint is global: any client region is accepted. */
const GLOBAL_SERVICES: ReadonlySet<ServiceId> = new Set(['ce', 'sts', 'organizations', 'pricing']);

export interface SimulationStats {
  /** Requests that reached the simulator, by `<service>.<Operation>` (each retry attempt counts, errors included). */
  calls: Record<string, number>;
  /** Requests answered with a throttling error (throttleRate or rate limits). */
  throttled: number;
  /** Requests answered with an access-denied error (simulation.denied). */
  denied: number;
}

export interface ServeRequest {
  accountId: string;
  region: string;
  clientName: string | undefined;
  commandName: string | undefined;
  input: Readonly<Record<string, unknown>>;
  /** See CallContext.binaryDatapoints. */
  binaryDatapoints?: boolean;
}

/** `*` matches any run of characters; IAM action names compare case-insensitively. */
function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
  return regex.test(action);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class EstateServer implements EstateView {
  readonly seed: number;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly resourcesPerRegion: number;
  readonly epochMs: number;
  readonly #options: SimulationOptions;
  readonly #partitions = new Map<string, Partition>();
  readonly #streams = new Map<string, Rng>();
  readonly #limiter = new RateLimiter();
  readonly #handlers: Record<ServiceId, Record<string, OperationHandler>>;
  #costModel: CostModel | undefined;
  readonly #stats: SimulationStats = { calls: {}, throttled: 0, denied: 0 };
  /** Mutating calls change the estate through an overlay kept in the store (see ./mutations). */
  readonly #mutations: MutationLayer;

  constructor(options: SimulationOptions, regions: readonly string[], epochMs: number, mutationStore: MutationStore = memoryMutationStore()) {
    this.#mutations = new MutationLayer(mutationStore);
    this.#options = options;
    this.seed = options.seed;
    this.accounts = [...options.accounts];
    this.regions = [...regions];
    this.resourcesPerRegion = options.resourcesPerRegion;
    this.epochMs = epochMs;
    this.#handlers = {
      ec2: ec2Operations,
      rds: rdsOperations,
      lambda: lambdaOperations,
      cloudwatch: cloudwatchOperations,
      ce: costExplorerOperations(() => this.costModel()),
      sts: stsOperations,
      elbv2: elbv2Operations,
      elb: elbOperations,
      organizations: organizationsOperations,
      pricing: pricingOperations(() => this.regions),
    };
  }

  /** The partition of an account and region, generated on first use. */
  partition(accountId: string, region: string): Partition {
    const key = `${accountId}|${region}`;
    let partition = this.#partitions.get(key);
    if (!partition) {
      partition = generatePartition({ seed: this.seed, accountId, region, resourcesPerRegion: this.resourcesPerRegion, epochMs: this.epochMs });
      this.#partitions.set(key, partition);
    }
    return partition;
  }

  /**
   * Builds every partition and the cost model now rather than on their first call: a long-running simulated AWS
   * does it before it answers, so no call waits behind a partition being generated.
   */
  prepare(): void {
    for (const accountId of this.accounts) for (const region of this.regions) this.partition(accountId, region);
    this.costModel();
  }

  costModel(): CostModel {
    this.#costModel ??= new CostModel(this);
    return this.#costModel;
  }

  stats(): SimulationStats {
    return { calls: { ...this.#stats.calls }, throttled: this.#stats.throttled, denied: this.#stats.denied };
  }

  /** The per-(account, region, service) stream deciding latency and random throttling, call after call. */
  #stream(accountId: string, region: string, service: ServiceId): Rng {
    const key = `${accountId}|${region}|${service}`;
    let rng = this.#streams.get(key);
    if (!rng) {
      rng = new Rng(`${this.seed}|calls|${key}`);
      this.#streams.set(key, rng);
    }
    return rng;
  }

  /** Answers one call with the command's output (with `$metadata`), or throws the AWS error it would get. */
  async serve(request: ServeRequest): Promise<Record<string, unknown> & { $metadata: ResponseMetadata }> {
    const { accountId, region, clientName, commandName, input } = request;
    const service = clientName ? CLIENTS[clientName] : undefined;
    const operation = commandName?.endsWith('Command') ? commandName.slice(0, -'Command'.length) : (commandName ?? 'Unknown');
    if (!service) {
      throw serviceError(
        'UnsupportedOperation',
        `The simulated AWS has no ${clientName ?? 'unnamed client'} (command ${commandName ?? 'unknown'}): only ${Object.keys(CLIENTS).join(', ')} are simulated`,
        'simulated',
      );
    }
    const rng = this.#stream(accountId, region, service);
    const requestId = `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
    const key = `${service}.${operation}`;
    this.#stats.calls[key] = (this.#stats.calls[key] ?? 0) + 1;

    const handler = this.#handlers[service][operation] as OperationHandler | undefined;
    const mutation = handler ? undefined : this.#mutations.handler(service, operation);
    if (!handler && !mutation) {
      throw serviceError(
        'UnsupportedOperation',
        `The simulated AWS does not implement ${clientName} ${commandName} (${service}:${operation}); add it to packages/simulator or avoid the call`,
        requestId,
      );
    }
    const { min, max } = this.#options.latencyMs;
    const latency = max > min ? rng.between(min, max) : min;
    if (latency > 0) await sleep(latency);

    if (!GLOBAL_SERVICES.has(service) && !this.regions.includes(region)) {
      throw serviceError(
        service === 'ec2' ? 'AuthFailure' : 'UnrecognizedClientException',
        `Region ${region} is not enabled in the simulated estate (regions: ${this.regions.join(', ')})`,
        requestId,
        service === 'ec2' ? 401 : 403,
      );
    }
    const action = `${iamPrefix(service)}:${operation}`;
    // sts:AssumeRole is denied by the account it would enter, not the one calling.
    const deniedAccount = service === 'sts' && operation === 'AssumeRole' ? (roleArnAccount(input.RoleArn) ?? accountId) : accountId;
    const denied = this.#options.denied.some(
      (entry) =>
        (entry.accountId === undefined || entry.accountId === deniedAccount) &&
        (entry.region === undefined || entry.region === region) &&
        (entry.action === undefined || actionMatches(entry.action, action)),
    );
    if (denied) {
      this.#stats.denied += 1;
      throw accessDeniedError(service, action, deniedAccount, requestId);
    }
    const nowMs = Date.now();
    if (this.#options.rateLimits && !this.#limiter.take(accountId, region, bucketFor(service, operation, input), nowMs)) {
      this.#stats.throttled += 1;
      throw throttlingError(service, requestId);
    }
    if (this.#options.throttleRate > 0 && rng.next() < this.#options.throttleRate) {
      this.#stats.throttled += 1;
      throw throttlingError(service, requestId);
    }
    const { estate, overlay } = await this.#mutations.view(this, accountId, region);
    const call: CallContext = { service, operation, accountId, region, input, requestId, nowMs, estate, ...(request.binaryDatapoints ? { binaryDatapoints: true } : {}) };
    const output = handler ? await handler(call) : await this.#mutations.run(mutation!, call, overlay);
    return { ...output, $metadata: { httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0 } };
  }
}
