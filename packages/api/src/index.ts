// @finops/api: the HTTP API with Bull Board, health checks and the scan endpoints.
export * from './api-service.js';
export * from './app.js';
export * from './auth.js';
export * from './server.js';
export * from './reports.js';
