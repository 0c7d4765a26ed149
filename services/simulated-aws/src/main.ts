// The simulated AWS service: one estate and AWS's rate limits for every worker whose simulation.endpoint names it.
// Listens on FINOPS_SIMULATED_AWS_HOST (default 127.0.0.1) and FINOPS_SIMULATED_AWS_PORT (default: the port of
// simulation.endpoint, else 4566).
import { bootstrap, main, parsePort, runSimulatedAwsProcess } from '@finops/pipeline';

main(async () =>
  runSimulatedAwsProcess(await bootstrap({ service: 'simulated-aws' }), {
    host: process.env.FINOPS_SIMULATED_AWS_HOST || undefined,
    port: parsePort(process.env.FINOPS_SIMULATED_AWS_PORT, 'FINOPS_SIMULATED_AWS_PORT'),
  }),
);
