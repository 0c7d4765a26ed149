// Test harness for notifications and deliveries: local HTTP endpoints that record what they receive, and in-process
// reporter workers (the "replicas") on the run's private Redis.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configSchema, createLogger, createRedisConnection, type Config, type ConfigInput } from '@finops/core';
import { handlersFor, type PipelineDeps } from '@finops/pipeline';
import { QueueSet, RoleWorkers, ScanStore } from '@finops/queues';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Endpoint {
  url: string;
  received: ReceivedRequest[];
  /** What the endpoint answers next; `n` counts requests from 1. */
  respond: (request: ReceivedRequest, n: number) => Reply;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records every request and answers with `respond` (200 "ok" by default). */
export async function startEndpoint(respond: Endpoint['respond'] = () => ({ status: 200, body: 'ok' })): Promise<Endpoint> {
  const received: ReceivedRequest[] = [];
  const endpoint = { url: '', received, respond } as Endpoint;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(request);
      const reply = endpoint.respond(request, received.length);
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  endpoint.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return endpoint;
}

export const silentLogger = createLogger(configSchema.parse({ logging: { level: 'silent' } }).logging, { service: 'test' });

export interface Harness {
  config: Config;
  deps: PipelineDeps;
  redis: ReturnType<typeof createRedisConnection>;
  queues: QueueSet;
  store: ScanStore;
  /** Starts one more in-process reporter worker set: another replica. */
  startReplica(): Promise<RoleWorkers>;
  close(): Promise<void>;
}

/**
 * Config, Redis, queues, store and pipeline deps for one test, under a fresh prefix. Notification and backend
 * handlers need no AWS access or price table.
 */
export async function createHarness(name: string, settings: ConfigInput = {}): Promise<Harness> {
  const prefix = uniquePrefix(name);
  const config = configSchema.parse({ ...settings, redis: { prefix, managed: { enabled: false, useLocalDefault: false } }, logging: { level: 'silent' } });
  const redis = createRedisConnection(testRedisUrl(), { role: 'worker', name: `test-${name}` });
  const queues = new QueueSet({ connection: redis, prefix, regions: [] });
  const store = new ScanStore(redis, { prefix, ttlSeconds: 3600 });
  const deps = { config, store, queues, redis, now: () => new Date(), aws: undefined, prices: undefined } as unknown as PipelineDeps;
  const replicas: RoleWorkers[] = [];
  return {
    config,
    deps,
    redis,
    queues,
    store,
    async startReplica() {
      const workers = new RoleWorkers({
        role: 'reporter',
        handlers: handlersFor('reporter', deps),
        connection: redis,
        prefix,
        concurrency: 4,
        regions: [],
        logger: silentLogger,
        shutdownTimeoutMs: 5000,
        queueConcurrency: { notifications: config.notifications.concurrency },
      });
      await workers.ready();
      replicas.push(workers);
      return workers;
    },
    async close() {
      await Promise.all(replicas.map((r) => r.close()));
      for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => undefined);
      await queues.close();
      await cleanupPrefix(redis, prefix);
      await redis.quit();
    },
  };
}

/** Polls until `check` passes or `timeoutMs` ends (then throws its last error). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000, everyMs = 50): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
