// Prometheus metrics: per-process counters (prom-client), queue depths (BullMQ's export), scan gauges.
export * from './process-metrics.js';
export * from './queue-metrics.js';
export * from './scan-metrics.js';
