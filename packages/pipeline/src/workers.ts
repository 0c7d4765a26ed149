// Starts the workers of one role with their health server: what a worker service's main.ts wires.
import { RoleWorkers, type Role } from '@finops/queues';
import { handlersFor } from './handlers/index.js';
import { probeFor, serveHealth } from './health-server.js';
import type { ServiceContext } from './bootstrap.js';
import type { ShutdownStep } from './shutdown.js';

/** Starts the role's workers; returns the shutdown steps in order: health server, then workers. */
export async function startWorkers(ctx: ServiceContext, role: Role): Promise<ShutdownStep[]> {
  const { config, logger } = ctx;
  const workers = new RoleWorkers({
    role,
    handlers: handlersFor(role, ctx.deps),
    connection: ctx.redis,
    prefix: config.redis.prefix,
    concurrency: config.workers.concurrency[role],
    regions: ctx.regions,
    logger,
    shutdownTimeoutMs: config.workers.shutdownTimeoutMs,
  });
  await workers.ready();
  logger.info({ role, queues: workers.workers.map((w) => w.name), concurrency: config.workers.concurrency[role] }, 'workers ready');
  const steps: ShutdownStep[] = [];
  if (config.workers.healthPort > 0) {
    const health = await serveHealth(probeFor(ctx.redis, () => workers.isRunning()), config.workers.healthPort);
    logger.info({ port: health.port }, 'health server listening');
    steps.push({ name: 'health server', close: () => health.close() });
  }
  steps.push({ name: `${role} workers`, close: () => workers.close() });
  return steps;
}
