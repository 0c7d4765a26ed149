// Schedules: BullMQ job schedulers from the configuration, their state in Redis, the scheduler role's handler.
export * from './schedule-definitions.js';
export * from './schedule-state.js';
export * from './sync-schedules.js';
export * from './scheduled-run-handler.js';
export * from './schedule-control.js';
