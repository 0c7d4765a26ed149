// /healthz, /readyz and /metrics for worker processes, on a small port of their own (workers.healthPort).
import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

export interface HealthProbe {
  /** Liveness: the process can still make progress (workers running, event loop responsive). */
  live(): boolean;
  /** Readiness: dependencies answer (Redis) and the workers are connected. */
  ready(): Promise<boolean>;
}

/** Prometheus text for GET /metrics. */
export interface MetricsSource {
  contentType: string;
  text(): Promise<string>;
}

/** An event loop delay above this (p99 over the last interval) marks the process not live. */
const MAX_EVENT_LOOP_DELAY_MS = 5_000;

/** How long a readiness PING may take. */
const PING_TIMEOUT_MS = 1000;

/** Whether `redis` is connected and answers PING within a second. Never throws. */
export async function redisAnswers(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), PING_TIMEOUT_MS);
    });
    return (await Promise.race([redis.ping(), timeout])) === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Watches the event loop: the p99 delay over a sliding window, reset every `windowMs`. */
export function eventLoopMonitor(windowMs = 10_000): { delayMs(): number; responsive(): boolean; stop(): void } {
  const delay = monitorEventLoopDelay({ resolution: 50 });
  delay.enable();
  // A long-lived histogram would remember one stall for ever; a window lets the process become live again.
  const reset = setInterval(() => delay.reset(), windowMs);
  reset.unref();
  const delayMs = () => delay.percentile(99) / 1e6;
  return {
    delayMs,
    responsive: () => delayMs() < MAX_EVENT_LOOP_DELAY_MS,
    stop: () => {
      clearInterval(reset);
      delay.disable();
    },
  };
}

/**
 * The probe of a worker process: live while its workers run and the event loop answers; ready while Redis answers
 * and every worker is connected (`connected`, default: same as running).
 */
export function probeFor(redis: Redis, running: () => boolean, connected: () => boolean = running): HealthProbe & { eventLoopDelayMs(): number } {
  const loop = eventLoopMonitor();
  return {
    eventLoopDelayMs: loop.delayMs,
    live: () => running() && loop.responsive(),
    ready: async () => connected() && (await redisAnswers(redis)),
  };
}

/** Starts the health server; resolves with a handle whose `close()` is idempotent. */
export async function serveHealth(
  probe: HealthProbe,
  port: number,
  host = '0.0.0.0',
  metrics?: MetricsSource,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const send = (code: number, body: object) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const live = probe.live();
      return send(live ? 200 : 503, { live });
    }
    if (path === '/readyz') {
      const ready = await probe.ready();
      return send(ready ? 200 : 503, { ready });
    }
    if (path === '/metrics' && metrics) {
      try {
        const text = await metrics.text();
        res.writeHead(200, { 'content-type': metrics.contentType });
        return res.end(text);
      } catch (error) {
        return send(500, { error: `metrics failed: ${(error as Error).message}` });
      }
    }
    send(404, { error: `not found: use /healthz, /readyz${metrics ? ' or /metrics' : ''}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  let closing: Promise<void> | undefined;
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      })),
  };
}
