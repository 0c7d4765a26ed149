// The simulated-AWS process (`finops simulate-aws`, the simulated-aws service): the estate every worker calls.
import { UsageError } from '@finops/core';
import { redisMutationStore } from '@finops/remediation';
import { startSimulatedAwsServer, type SimulatedAwsServer } from '@finops/simulator';
import { simulatedRegions } from './aws-runtime.js';
import type { ServiceContext } from './bootstrap.js';
import { installShutdown } from './shutdown.js';

/** The port of `simulation.endpoint` when it names one, else this: LocalStack's, a port AWS tooling expects. */
export const SIMULATED_AWS_PORT = 4566;

export interface SimulatedAwsProcessOptions {
  /** Interface to listen on. Default 127.0.0.1; 0.0.0.0 in a container. */
  host?: string;
  /** Default: the port of simulation.endpoint, else 4566. 0 picks a free one. */
  port?: number;
  /** Exit the process after a signal's shutdown. Default true. */
  exitOnSignal?: boolean;
}

/** `--port`/`FINOPS_SIMULATED_AWS_PORT` as a number, or a usage error that names the flag. */
export function parsePort(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`${flag}: expected a port number 0-65535, got ${JSON.stringify(value)}`, { hint: `e.g. ${flag} ${SIMULATED_AWS_PORT}` });
  return port;
}

function endpointPort(endpoint: string | undefined): number | undefined {
  if (!endpoint) return undefined;
  const { port } = new URL(endpoint);
  return port ? Number(port) : 80;
}

/**
 * Serves `simulation` (accounts × aws.regions) to every process configured with `simulation.endpoint`; what
 * remediation changes goes to the platform's Redis, as with in-process simulators. Stops on SIGTERM/SIGINT.
 */
export async function runSimulatedAwsProcess(ctx: ServiceContext, options: SimulatedAwsProcessOptions = {}): Promise<{ server: SimulatedAwsServer; shutdown: () => Promise<void> }> {
  const { config, logger } = ctx;
  const server = await startSimulatedAwsServer({
    simulation: config.simulation,
    regions: simulatedRegions(config),
    mutationStore: redisMutationStore(ctx.redis, config.redis.prefix),
    host: options.host ?? '127.0.0.1',
    port: options.port ?? endpointPort(config.simulation.endpoint) ?? SIMULATED_AWS_PORT,
    onInternalError: (error, call) => logger.error({ err: error, ...call }, 'simulated AWS failed to answer a call (answered InternalFailure)'),
  });
  logger.info(
    { url: server.url, host: options.host ?? '127.0.0.1', accounts: config.simulation.accounts, regions: simulatedRegions(config), resourcesPerRegion: config.simulation.resourcesPerRegion },
    'simulated AWS listening: set simulation.endpoint (FINOPS_SIMULATION_ENDPOINT) of the workers to its URL',
  );
  if (config.aws.provider !== 'simulated') {
    logger.warn({ provider: config.aws.provider }, 'aws.provider is not simulated: processes of this configuration call AWS itself, not this simulated AWS');
  }
  const shutdown = installShutdown(
    logger,
    [
      { name: 'simulated AWS server', close: () => server.close() },
      { name: 'connections', close: () => ctx.close() },
    ],
    { exit: options.exitOnSignal },
  );
  return { server, shutdown };
}
