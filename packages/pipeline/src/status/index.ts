// The operator's status: AWS call health per account and region, queues, report sink, notification channels.
export * from './aws-call-status.js';
export * from './channel-health.js';
export * from './operator-status.js';
