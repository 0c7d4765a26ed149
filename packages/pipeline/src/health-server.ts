// /healthz and /readyz for worker processes, on a small port of their own (workers.healthPort).
import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

export interface HealthProbe {
  /** Liveness: the process can still make progress (workers running, event loop responsive). */
  live(): boolean;
  /** Readiness: dependencies answer (Redis). */
  ready(): Promise<boolean>;
}

/** An event loop delay above this (p99 over the last interval) marks the process not live. */
const MAX_EVENT_LOOP_DELAY_MS = 5_000;

export function probeFor(redis: Redis, running: () => boolean): HealthProbe & { eventLoopDelayMs(): number } {
  const delay = monitorEventLoopDelay({ resolution: 50 });
  delay.enable();
  const eventLoopDelayMs = () => delay.percentile(99) / 1e6;
  return {
    eventLoopDelayMs,
    live: () => running() && eventLoopDelayMs() < MAX_EVENT_LOOP_DELAY_MS,
    ready: async () => {
      if (redis.status !== 'ready') return false;
      try {
        return (await Promise.race([redis.ping(), new Promise((r) => setTimeout(() => r('timeout'), 1000))])) === 'PONG';
      } catch {
        return false;
      }
    },
  };
}

/** Starts the health server; resolves with a handle whose `close()` is idempotent. */
export async function serveHealth(probe: HealthProbe, port: number, host = '0.0.0.0'): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const send = (code: number, body: object) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/healthz') return send(probe.live() ? 200 : 503, { live: probe.live() });
    if (req.url === '/readyz') {
      const ready = await probe.ready();
      return send(ready ? 200 : 503, { ready });
    }
    send(404, { error: 'not found: use /healthz or /readyz' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  let closing: Promise<void> | undefined;
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => (closing ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
