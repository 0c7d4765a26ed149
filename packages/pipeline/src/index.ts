// @finops/pipeline: the scan pipeline's job handlers, scan start and progress, and service bootstrap.
export * from './aws-runtime.js';
export * from './bootstrap.js';
export * from './handlers/index.js';
export * from './health-server.js';
export * from './handlers/insights.js';
export * from './insight-state.js';
export * from './metrics/index.js';
export * from './reload/index.js';
export * from './schedules/index.js';
export * from './status/index.js';
export * from './scan.js';
export * from './scan-progress.js';
export * from './scan-watcher.js';
export * from './shutdown.js';
export * from './tracking/index.js';
export * from './workers.js';
export * from './report-history.js';
