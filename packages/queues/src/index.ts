// @finops/queues: queue topology, typed job payloads, flows, workers and the per-scan result store.
export * from './jobs.js';
