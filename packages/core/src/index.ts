// @finops/core: configuration, errors, logging, Redis connections and the shared resource model.
export * from './model.js';
export * from './errors.js';
export * from './config-schema.js';
export * from './config-loader.js';
export { redactConfig, redactUrl } from './config-redact.js';
export { checkCronExpression } from './cron-expression.js';
export * from './logger.js';
export { RotatingFile, type RotatingFileOptions } from './rotating-file.js';
export * from './redis.js';
export { keepLeaseAlive, releaseLease, renewLease } from './redis-lease.js';
export { startRedisServer, findFreePort, type RedisServerOptions, type RedisServerProcess } from './redis-server.js';
export * from './config-docs.js';
export * from './regions.js';
