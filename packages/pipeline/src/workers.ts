// Starts the workers of one or more roles with their health and metrics server: what a worker process wires.
import { AwsAccessError, FinopsError, type Config } from '@finops/core';
import { RoleWorkers, type JobHandlers, type Role } from '@finops/queues';
import { Registry } from 'prom-client';
import { startRun } from '@finops/remediation';
import { handlersFor, notifyOnScanFailures } from './handlers/index.js';
import { remediationDeps } from './handlers/remediate.js';
import { probeFor, serveHealth, type MetricsSource } from './health-server.js';
import type { ServiceContext } from './bootstrap.js';
import { ProcessMetrics } from './metrics/process-metrics.js';
import { installReload } from './reload/install-reload.js';
import { ScheduleState } from './schedules/schedule-state.js';
import { scheduledRunHandler } from './schedules/scheduled-run-handler.js';
import { installShutdown, type ShutdownStep } from './shutdown.js';
import { AwsCallStatusRecorder } from './status/aws-call-status.js';

/** What to do about a retryable AWS failure that has no more specific fix. */
const RETRY_HINT = 'retried with backoff; after the last attempt the scan waits: retry the job in Bull Board once the cause is fixed';

/**
 * Makes a failed job's message (Bull Board's failedReason) say where and what to do, not only what broke:
 * `ec2:DescribeVolumes in account 1…, eu-west-1: Throttling: Rate exceeded — fix: …`.
 */
function withFixInFailures(handlers: JobHandlers): JobHandlers {
  const wrapped: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (p: unknown, c: unknown) => Promise<unknown>][]) {
    wrapped[name] = async (payload: unknown, context: unknown) => {
      try {
        return await handler(payload, context);
      } catch (error) {
        if (error instanceof FinopsError && !error.message.includes(' — fix: ')) {
          const { accountId, region } = payload as { accountId?: string; region?: string };
          // A call made on the way (STS, Organizations) names its own scope: say which partition the job was for.
          const partition = accountId && region && !error.message.includes(`account ${accountId}, ${region}`) ? `partition ${accountId} ${region}: ` : '';
          const hint = error.hint ?? (error instanceof AwsAccessError && error.retryable ? RETRY_HINT : undefined);
          error.message = `${partition}${error.message}${hint ? ` — fix: ${hint}` : ''}`;
        }
        throw error;
      }
    };
  }
  return wrapped as JobHandlers;
}

/** The handlers of a role: the scan pipeline's, or the scheduler's (which needs the queues to start scans). */
export function roleHandlers(ctx: ServiceContext, role: Role): JobHandlers {
  if (role === 'scheduler') {
    const state = new ScheduleState(ctx.redis, ctx.config.redis.prefix);
    // A getter, so a reloaded configuration reaches the next scheduled scan.
    const deps = {
      get config() {
        return ctx.config;
      },
      queues: ctx.queues,
      store: ctx.store,
      aws: ctx.aws,
      state,
      startRemediation: (request: { trigger: string; actor: string }) => startRun(remediationDeps(ctx.deps), { ...request, live: true }),
    };
    return { 'scheduled-run': scheduledRunHandler(deps) };
  }
  return withFixInFailures(handlersFor(role, ctx.deps));
}

/** Starts the workers of one role and waits until they are connected. */
export async function startRoleWorkers(ctx: ServiceContext, role: Role, metrics?: ProcessMetrics): Promise<RoleWorkers> {
  const { config, logger } = ctx;
  const workers = new RoleWorkers({
    role,
    handlers: roleHandlers(ctx, role),
    connection: ctx.redis,
    prefix: config.redis.prefix,
    concurrency: config.workers.concurrency[role],
    regions: ctx.regions,
    logger,
    shutdownTimeoutMs: config.workers.shutdownTimeoutMs,
    lockDurationMs: config.workers.lockDurationMs,
    stalledIntervalMs: config.workers.stalledIntervalMs,
    queueConcurrency: { notifications: config.notifications.concurrency },
  });
  for (const worker of workers.workers) notifyOnScanFailures(ctx.deps, worker, logger);
  metrics?.observeWorkers(workers.workers);
  await workers.ready();
  logger.info({ role, queues: workers.workers.map((w) => w.name), concurrency: config.workers.concurrency[role] }, 'workers ready');
  return workers;
}

/** Prometheus text of a registry, for a health server or the API. */
export function registryMetrics(registry: Registry, extra?: () => Promise<string>): MetricsSource {
  return {
    contentType: registry.contentType,
    text: async () => `${await registry.metrics()}${extra ? await extra() : ''}`,
  };
}

/** Starts the role's workers and, when workers.healthPort is set, the health server; returns the shutdown steps. */
export async function startWorkers(ctx: ServiceContext, role: Role): Promise<ShutdownStep[]> {
  const workers = await startRoleWorkers(ctx, role);
  const steps: ShutdownStep[] = [];
  if (ctx.config.workers.healthPort > 0) {
    const health = await serveHealth(probeFor(ctx.redis, () => workers.isRunning()), ctx.config.workers.healthPort);
    ctx.logger.info({ port: health.port }, 'health server listening');
    steps.push({ name: 'health server', close: () => health.close() });
  }
  steps.push({ name: `${role} workers`, close: () => workers.close() });
  return steps;
}

export interface WorkerProcess {
  workers: RoleWorkers[];
  metrics: ProcessMetrics;
  /** The health server's port, when one runs. */
  healthPort?: number;
  /** Ordered, idempotent: health server, workers, reload, AWS status, metrics, connections. */
  shutdown(): Promise<void>;
}

/**
 * A whole worker process: the roles' workers, /healthz /readyz /metrics on workers.healthPort, config reload on
 * SIGHUP or from the control channel, the AWS call status, and shutdown on SIGTERM/SIGINT.
 *
 * @example main(async () => runWorkerProcess(await bootstrap({ service: 'discovery' }), ['discovery']));
 */
export async function runWorkerProcess(
  ctx: ServiceContext,
  roles: Role[],
  options: { exitOnSignal?: boolean; afterReload?: (config: Config) => Promise<void> | void } = {},
): Promise<WorkerProcess> {
  const { config, logger } = ctx;
  const metrics = new ProcessMetrics({ service: roles.join('+') }).observeAwsCalls();
  const awsStatus = new AwsCallStatusRecorder(ctx.redis, config.redis.prefix, logger).start();
  const workers: RoleWorkers[] = [];
  for (const role of roles) workers.push(await startRoleWorkers(ctx, role, metrics));
  const reload = await installReload(ctx, options.afterReload);
  const steps: ShutdownStep[] = [];
  let healthPort: number | undefined;
  if (config.workers.healthPort > 0) {
    const running = () => workers.every((w) => w.isRunning());
    const health = await serveHealth(
      probeFor(ctx.redis, running),
      config.workers.healthPort,
      '0.0.0.0',
      config.api.metrics.enabled ? registryMetrics(metrics.registry) : undefined,
    );
    healthPort = health.port;
    logger.info({ port: health.port }, 'health server listening: /healthz /readyz /metrics');
    steps.push({ name: 'health server', close: () => health.close() });
  }
  steps.push(
    ...workers.map((w, i) => ({ name: `${roles[i]} workers`, close: () => w.close() })),
    reload.step,
    { name: 'aws call status', close: () => awsStatus.close() },
    { name: 'metrics', close: () => metrics.stop() },
    { name: 'connections', close: () => ctx.close() },
  );
  const shutdown = installShutdown(logger, steps, { exit: options.exitOnSignal });
  return { workers, metrics, healthPort, shutdown };
}
