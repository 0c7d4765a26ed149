// @finops/queues: queue topology, typed job payloads, flows, workers and the per-scan result store.
export * from './jobs.js';
export * from './job-progress.js';
export * from './job-events.js';
export * from './scan-plan.js';
export * from './flow.js';
export * from './queue-set.js';
export * from './role-workers.js';
export * from './scan-store.js';
