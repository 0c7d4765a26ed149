// A remediation test bench: the simulated account behind the real AWS adapter, a scan stored in the run's Redis,
// recommendations built from the scan's own inventory, and faults injected into chosen AWS calls; and a queue bench,
// the optimizer's queues and workers alone, for following one remediation job through BullMQ.
import { CALLER_ACCOUNT, createAwsAccess, type AwsAccess, type ClientPlugins } from '@finops/aws';
import { recommendationId } from '@finops/checks';
import { configSchema, createLogger, createRedisConnection, RESOURCE_KINDS, type Config, type ConfigInput, type Recommendation, type Resource, type Risk } from '@finops/core';
import { jobQueueName, QueueSet, RoleWorkers, ScanStore, type JobHandlers, type ScanPlan } from '@finops/queues';
import { redisMutationStore, type RemediationDeps } from '@finops/remediation';
import { createSimulatedAws, memoryMutationStore, SimulatedServiceError, type MutationStore, type SimulatedAws } from '@finops/simulator';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

type Redis = ReturnType<typeof createRedisConnection>;
type Plugin = ReturnType<ClientPlugins>[number];
type Queue = ReturnType<QueueSet['get']>;

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';

export interface RecommendationInput {
  resource: Resource;
  type: string;
  params: Recommendation['action']['params'];
  risk?: Risk;
  monthlySavingsUsd?: number;
  checkId?: string;
}

/** A recommendation as runChecks would build it, for one resource of the scan. */
export function recommend(input: RecommendationInput): Recommendation {
  const { resource } = input;
  const checkId = input.checkId ?? `test-${input.type.replace('.', '-')}`;
  return {
    id: recommendationId({ accountId: resource.accountId, region: resource.region, resourceId: resource.id, checkId }),
    checkId,
    resourceId: resource.id,
    resourceKind: resource.kind,
    ...(resource.name ? { resourceName: resource.name } : {}),
    tags: resource.tags,
    accountId: resource.accountId,
    region: resource.region,
    monthlySavingsUsd: input.monthlySavingsUsd ?? 10,
    risk: input.risk ?? 'low',
    confidence: 1,
    action: { type: input.type, description: `test ${input.type}`, params: input.params },
    status: 'open',
    reason: 'planted by the test',
    evidence: { planted: true },
    priceConfidence: 'exact',
  };
}

/**
 * Throws AWS errors from chosen operations before the simulator sees the call. It sits before the SDK's retry loop,
 * so the error reaches the caller as it would after the SDK gave up, without the adaptive retry slowing the client.
 * It can also look at each call on its way out (`beforeEach`), and act between AWS carrying a call out and the
 * caller hearing back (`afterNext`).
 */
export class Faults {
  readonly #queue = new Map<string, (Error | undefined)[]>();
  readonly #after = new Map<string, (() => Promise<void> | void)[]>();
  /** Awaited before every call that gets past the queued faults reaches AWS, with its operation (`StopInstances`). */
  beforeEach: ((operation: string) => Promise<void>) | undefined;

  /** After the next call of `operation` that AWS answered, runs `hook` before the caller gets the answer. */
  afterNext(operation: string, hook: () => Promise<void> | void): void {
    this.#after.set(operation, [...(this.#after.get(operation) ?? []), hook]);
  }

  /** After `skip` more calls of `operation` (`StopInstances`) go through, the next `times` fail with `error`. */
  failNext(operation: string, error: Error, { times = 1, skip = 0 }: { times?: number; skip?: number } = {}): void {
    const queued = [...Array.from({ length: skip }, () => undefined), ...Array.from({ length: times }, () => error)];
    this.#queue.set(operation, [...(this.#queue.get(operation) ?? []), ...queued]);
  }

  plugin(): Plugin {
    const middleware = (next: (args: object) => Promise<unknown>, context: { commandName?: string }) => async (args: object) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const error = this.#queue.get(operation)?.shift();
      if (error) throw error;
      await this.beforeEach?.(operation);
      const output = await next(args);
      await this.#after.get(operation)?.shift()?.();
      return output;
    };
    return {
      applyToStack: (stack: { add(m: typeof middleware, o: object): void }) => stack.add(middleware, { step: 'initialize', priority: 'high', name: 'testFaults' }),
    } as Plugin;
  }
}

export function throttling(): Error {
  return new SimulatedServiceError({ name: 'RequestLimitExceeded', message: 'Request limit exceeded.', httpStatusCode: 503, requestId: 'fault', throttling: true });
}

export interface Harness {
  config: Config;
  redis: Redis;
  scans: ScanStore;
  sim: SimulatedAws;
  access: AwsAccess;
  faults: Faults;
  store: MutationStore;
  deps: RemediationDeps;
  plan: ScanPlan;
  inventory: Resource[];
  /** The resources of one kind as AWS shows them now (not as scanned). */
  discover<K extends Resource['kind']>(kind: K): Promise<Extract<Resource, { kind: K }>[]>;
  /** Stores these recommendations as the scan's, replacing any. */
  recommendations(list: Recommendation[]): Promise<void>;
  /**
   * Changes a resource behind the platform's back, as someone in the console would: `collection` and `id` name the
   * simulator's record (`instances`, `i-…`), `patch` its fields.
   */
  tamper(collection: string, id: string, patch: Record<string, unknown>): Promise<void>;
  prefix: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: ConfigInput;
  /** Keep the simulated estate's changes in Redis under the bench's prefix, as the services do (default: in memory). */
  redisOverlay?: boolean;
}

/** A completed scan of one simulated account and region, stored under a fresh prefix. */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const prefix = uniquePrefix('remediation');
  const input = options.config ?? {};
  const config = configSchema.parse({
    ...input,
    aws: { provider: 'simulated', regions: [REGION], maxAttempts: 1, ...input.aws },
    simulation: { accounts: [ACCOUNT], resourcesPerRegion: 60, ...input.simulation },
    redis: { prefix, managed: { enabled: false, useLocalDefault: false } },
    safety: { dryRun: false, ...input.safety },
  });
  const redis = createRedisConnection(testRedisUrl(), { role: 'producer', name: 'remediation-test' });
  const scans = new ScanStore(redis, { prefix, ttlSeconds: 3600 });
  const store = options.redisOverlay ? redisMutationStore(redis, prefix) : memoryMutationStore();
  const sim = createSimulatedAws(config.simulation, [REGION], { mutationStore: store });
  const faults = new Faults();
  const access = createAwsAccess({
    aws: config.aws,
    plugins: (scope) => [faults.plugin(), sim.plugin({ ...scope, accountId: scope.accountId === CALLER_ACCOUNT ? ACCOUNT : scope.accountId })],
    credentials: { accessKeyId: 'AKIDTESTTESTTESTTEST', secretAccessKey: 'secret' },
  });
  const scope = { accountId: ACCOUNT, region: REGION };
  const discover = async <K extends Resource['kind']>(kind: K) => (await access.discover(kind, scope)) as Extract<Resource, { kind: K }>[];
  const plan: ScanPlan = {
    scanId: `scan-test-${prefix.slice(2, -1)}`,
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    provider: 'simulated',
    dryRun: false,
    accounts: [ACCOUNT],
    regions: [REGION],
    kinds: [...RESOURCE_KINDS],
    trigger: 'test',
  } as ScanPlan;
  await scans.createScan(plan);
  const inventory: Resource[] = [];
  for (const kind of plan.kinds) {
    const resources = await discover(kind);
    await scans.saveInventory(plan.scanId, ACCOUNT, REGION, kind, resources);
    inventory.push(...resources);
  }
  await scans.completeScan(plan.scanId, { finishedAt: new Date().toISOString(), reportDir: '/nonexistent' });
  const deps: RemediationDeps = {
    config,
    redis,
    scans,
    access,
    now: () => new Date(),
    waiter: { minDelay: 0.01, maxDelay: 0.05, maxWaitTime: 5 },
  };
  return {
    config,
    redis,
    scans,
    sim,
    access,
    faults,
    store,
    deps,
    plan,
    inventory,
    discover,
    prefix,
    recommendations: (list) => scans.saveRecommendations(plan.scanId, ACCOUNT, REGION, list),
    tamper: async (collection, id, patch) => {
      const key = `${collection}/${id}`;
      const entry = (await store.load(ACCOUNT, REGION)).entries[key];
      await store.save(ACCOUNT, REGION, { [key]: { patch: { ...(entry && 'patch' in entry ? entry.patch : {}), ...patch } } });
    },
    close: async () => {
      access.close();
      await cleanupPrefix(redis, prefix);
      await redis.quit();
    },
  };
}

/** A promise and the function that settles it. */
export function latch(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export interface QueueBench {
  prefix: string;
  config: Config;
  redis: Redis;
  queues: QueueSet;
  deps: RemediationDeps;
  /** The queue of the bench's job. */
  queue: Queue;
  /** The queue's own getJobState and getJob, bound before any test spies on them. */
  readState: Queue['getJobState'];
  readJob: Queue['getJob'];
  /** Waits (30 s at most) until job `id` is in `state`, read with `readState`. */
  until(id: string, state: string): Promise<void>;
  /** A latch that `close()` opens before closing the workers, so that no job it holds keeps them from closing. */
  latch(): { opened: Promise<void>; open: () => void };
  /** Starts optimizer workers running these handlers (a job without one here completes at once), and waits until they are ready. */
  start(handlers: JobHandlers, concurrency: number): Promise<void>;
  /** Opens its latches, closes the workers and the queues, deletes the bench's keys and quits its connections. */
  close(): Promise<void>;
}

/**
 * The optimizer's queues on a fresh prefix of the run's Redis (no simulated account, no scan), with the remediation
 * deps that read them; `job` names the queue a test follows: `queueBench('run-progress', 'remediate')`.
 */
export function queueBench(name: string, job: 'remediate' | 'rollback-action'): QueueBench {
  const prefix = uniquePrefix(name);
  const config = configSchema.parse({ redis: { prefix, managed: { enabled: false, useLocalDefault: false } }, logging: { level: 'silent' } });
  const redis = createRedisConnection(testRedisUrl(), { role: 'producer', name: `${name}-test` });
  const workerConnection = createRedisConnection(testRedisUrl(), { role: 'worker', name: `${name}-worker` });
  const queues = new QueueSet({ connection: redis, prefix, regions: [REGION] });
  const deps: RemediationDeps = { config, redis, scans: new ScanStore(redis, { prefix, ttlSeconds: 600 }), queues, now: () => new Date() };
  const queue = queues.get(jobQueueName(job));
  const readState = queue.getJobState.bind(queue);
  const readJob = queue.getJob.bind(queue);
  let workers: RoleWorkers | undefined;
  const latches: ReturnType<typeof latch>[] = [];
  const done = async () => undefined;
  return {
    prefix,
    config,
    redis,
    queues,
    deps,
    queue,
    readState,
    readJob,
    until: async (id, state) => {
      const deadline = Date.now() + 30_000;
      while ((await readState(id)) !== state) {
        if (Date.now() > deadline) throw new Error(`job ${id} never became ${state}: it is ${await readState(id)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    latch: () => {
      const created = latch();
      latches.push(created);
      return created;
    },
    start: async (handlers, concurrency) => {
      workers = new RoleWorkers({
        role: 'optimizer',
        handlers: { check: done, optimize: done, remediate: done, 'rollback-action': done, ...handlers },
        connection: workerConnection,
        prefix,
        concurrency,
        regions: [REGION],
        logger: createLogger(config.logging, { service: `${name}-test` }),
        shutdownTimeoutMs: 5000,
      });
      await workers.ready();
    },
    close: async () => {
      for (const l of latches) l.open();
      await workers?.close();
      await queues.close();
      await cleanupPrefix(redis, prefix);
      await Promise.all([redis.quit(), workerConnection.quit()]);
    },
  };
}
