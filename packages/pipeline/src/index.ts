// @finops/pipeline: the scan pipeline's job handlers, scan start and progress, and service bootstrap.
export * from './aws-runtime.js';
export * from './bootstrap.js';
export * from './handlers/index.js';
export * from './health-server.js';
export * from './scan.js';
export * from './shutdown.js';
export * from './workers.js';
