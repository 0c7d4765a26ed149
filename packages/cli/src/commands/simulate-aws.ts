// `finops simulate-aws [--host H] [--port N]`: the simulated AWS in the foreground, for workers with simulation.endpoint.
import type { Command } from 'commander';
import { parsePort, runSimulatedAwsProcess, SIMULATED_AWS_PORT } from '@finops/pipeline';
import { openContext, optionsOf, untilStopped, type CommandRegistration } from '../cli-runtime.js';

export const registerSimulateAws: CommandRegistration = (program) => {
  program
    .command('simulate-aws')
    .description(
      'serve the simulated AWS account (simulation.*, aws.regions) to every process whose simulation.endpoint names it: one estate and one set of AWS rate limits for all workers',
    )
    .option('--host <host>', 'interface to listen on (0.0.0.0 for other hosts or containers)', '127.0.0.1')
    .option('--port <port>', `port to listen on (default: the port of simulation.endpoint, else ${SIMULATED_AWS_PORT}; 0 picks a free one)`)
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ host: string; port?: string }>(command);
      const port = parsePort(o.port, '--port');
      const ctx = await openContext(o, { service: 'simulated-aws', quiet: false });
      await runSimulatedAwsProcess(ctx, { host: o.host, ...(port !== undefined ? { port } : {}) });
      await untilStopped();
    });
};
