// @finops/core: configuration, errors, logging, Redis connections and the shared resource model.
export * from './model.js';
export * from './errors.js';
export * from './config-schema.js';
