// The simulator's entry point: a deterministic AWS estate served to real SDK clients through a middleware plugin.
import { ConfigError, RESOURCE_KINDS, type ResourceKind } from '@finops/core';
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeMiddleware,
  HandlerExecutionContext,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';
import { startOfUtcDay } from './clock.js';
import type { InjectedAnomaly } from './cost-model.js';
import { EstateServer, type SimulationOptions, type SimulationStats } from './estate-server.js';
import { classifyPartition, type HealthyResource, type PlantedWaste } from './ground-truth.js';
import { partitionSize } from './partition-size.js';
import type { MutationStore } from './mutations/index.js';

export const SIMULATOR_MIDDLEWARE_NAME = 'finopsSimulatedAws';

export interface SimulatedAws {
  readonly accounts: string[];
  readonly regions: string[];
  /**
   * A plugin for any SDK client of this account and region: it answers every command from the estate at the
   * deserialize step, so nothing leaves the process. Add it with `client.middlewareStack.use(...)`.
   */
  plugin(scope: { accountId: string; region: string }): Pluggable<object, MetadataBearer>;
  /** Ground truth for tests: every resource planted as waste, per check id (exhaustive for PLANTED_CHECK_IDS). */
  plantedWaste(): PlantedWaste[];
  /** Resources planted as busy or healthy: no check may recommend anything for them. */
  healthyResources(): HealthyResource[];
  /** Cost anomalies injected into Cost Explorer's daily costs. */
  injectedAnomalies(): InjectedAnomaly[];
  /** Resources per kind over every partition, computed from the generation plan (no partition is built). */
  inventoryCounts(): Record<ResourceKind, number>;
  /** What this process served so far. */
  stats(): SimulationStats;
}

export interface SimulatedAwsExtras {
  /**
   * Where mutating calls (StopInstances, DeleteVolume, ModifyDBInstance…) keep their changes. Give every process the
   * same shared store (Redis, see @finops/remediation) so a scan in one process sees what an action in another did.
   * Default: a store private to this simulator.
   */
  mutationStore?: MutationStore;
}

/** One SDK call as the simulator sees it: which client and command, with what input. */
export interface SdkCall {
  clientName: string | undefined;
  commandName: string | undefined;
  input: Record<string, unknown>;
}

/** A plugin is for an account the simulation has (simulation.accounts), or a configuration error. */
export function assertSimulatedAccount(accountId: string, accounts: readonly string[]): void {
  if (!accounts.includes(accountId)) {
    throw new ConfigError([{ source: 'simulation', path: 'simulation.accounts', message: `account ${accountId} is not simulated (${accounts.join(', ')})` }]);
  }
}

/**
 * A plugin whose middleware answers every command at the deserialize step with `answer`'s output (or its error),
 * so nothing is sent over the network. The in-process simulator and the simulated-AWS endpoint's clients share it.
 */
export function answeringPlugin(answer: (call: SdkCall) => Promise<MetadataBearer>): Pluggable<object, MetadataBearer> {
  const middleware: DeserializeMiddleware<object, MetadataBearer> =
    (_next: DeserializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
    async (args: DeserializeHandlerArguments<object>) => {
      const output = await answer({ clientName: context.clientName, commandName: context.commandName, input: args.input as Record<string, unknown> });
      return { output, response: { statusCode: 200, headers: {}, body: undefined } };
    };
  return {
    applyToStack(stack) {
      stack.add(middleware, { step: 'deserialize', priority: 'high', name: SIMULATOR_MIDDLEWARE_NAME, override: true });
    },
  };
}

function validate(options: SimulationOptions, regions: string[]): void {
  const issues = [];
  if (options.accounts.length === 0) issues.push({ source: 'simulation', path: 'simulation.accounts', message: 'expected at least one account' });
  if (regions.length === 0) issues.push({ source: 'simulation', path: 'aws.regions', message: 'expected at least one region to simulate' });
  if (options.latencyMs.min > options.latencyMs.max) {
    issues.push({ source: 'simulation', path: 'simulation.latencyMs', message: `min ${options.latencyMs.min} must not exceed max ${options.latencyMs.max}` });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * Creates the simulated estate of `options.accounts` × `regions`. Nothing is generated until a partition is first
 * needed; every process given the same options on the same UTC day builds the same estate.
 *
 * @example
 * const sim = createSimulatedAws(config.simulation, ['eu-west-1']);
 * const ec2 = new EC2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
 * ec2.middlewareStack.use(sim.plugin({ accountId: '111111111111', region: 'eu-west-1' }));
 */
export function createSimulatedAws(options: SimulationOptions, regions: string[], extras: SimulatedAwsExtras = {}): SimulatedAws {
  validate(options, regions);
  // Ages count back from today's midnight UTC (the real clock), so processes started the same day agree.
  const server = new EstateServer(options, [...new Set(regions)], startOfUtcDay(Date.now()), extras.mutationStore);
  const partitions = () => server.accounts.flatMap((accountId) => server.regions.map((region) => server.partition(accountId, region)));

  return {
    accounts: [...server.accounts],
    regions: [...server.regions],

    plugin({ accountId, region }) {
      assertSimulatedAccount(accountId, server.accounts);
      return answeringPlugin((call) => server.serve({ accountId, region, ...call }));
    },

    plantedWaste() {
      return partitions().flatMap((p) =>
        classifyPartition(p, server.epochMs).flatMap((r) =>
          r.checkIds.map((checkId) => ({ checkId, accountId: p.accountId, region: p.region, resourceId: r.resourceId, kind: r.kind })),
        ),
      );
    },

    healthyResources() {
      return partitions().flatMap((p) =>
        classifyPartition(p, server.epochMs)
          .filter((r) => r.checkIds.length === 0)
          .map((r) => ({ accountId: p.accountId, region: p.region, resourceId: r.resourceId, kind: r.kind })),
      );
    },

    injectedAnomalies() {
      return server.costModel().anomalies.map((a) => ({ ...a }));
    },

    inventoryCounts() {
      const totals = Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, 0])) as Record<ResourceKind, number>;
      for (const accountId of server.accounts) {
        for (const region of server.regions) {
          const counts = partitionSize({ seed: server.seed, accountId, region, resourcesPerRegion: server.resourcesPerRegion });
          for (const kind of RESOURCE_KINDS) totals[kind] += counts[kind];
        }
      }
      return totals;
    },

    stats: () => server.stats(),
  };
}
