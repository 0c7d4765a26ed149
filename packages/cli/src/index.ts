// @finops/cli: the finops command line and the demo runner.
export * from './program.js';
export * from './service-processes.js';
export * from './paths.js';
