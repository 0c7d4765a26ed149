// The api process: the HTTP app with metrics, status, schedules and reload, the scheduler worker, and shutdown.
import {
  AwsCallStatusRecorder,
  ProcessMetrics,
  ScheduleControl,
  ScheduleState,
  eventLoopMonitor,
  getOperatorStatus,
  getScanProgress,
  installReload,
  installShutdown,
  publishReload,
  queueMetricsText,
  registerScanMetrics,
  registryMetrics,
  startRoleWorkers,
  startScan,
  type ServiceContext,
  type ShutdownStep,
} from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import { createApp } from './app.js';
import { listen } from './server.js';

export interface ApiServiceOptions {
  /** Run the scheduler worker in this process (default true): scheduled runs need one somewhere. */
  scheduler?: boolean;
  /** Exit the process after a signal-triggered shutdown (default true; tests pass false). */
  exitOnSignal?: boolean;
}

export interface ApiService {
  url: string;
  port: number;
  schedules: ScheduleControl;
  /** Ordered and idempotent: HTTP server, scheduler worker, reload, metrics, connections. */
  shutdown(): Promise<void>;
}

/**
 * Starts the api service on a bootstrapped context: syncs the schedules from the configuration (one process at
 * a time, under a Redis lock), serves the API and Bull Board, runs the scheduler worker, and reloads on SIGHUP,
 * on POST /api/config/reload and on reload messages from other processes.
 */
export async function startApiService(ctx: ServiceContext, options: ApiServiceOptions = {}): Promise<ApiService> {
  const { logger } = ctx;
  const prefix = ctx.config.redis.prefix;
  const metrics = new ProcessMetrics({ service: 'api' }).observeAwsCalls();
  registerScanMetrics(metrics.registry, ctx.store);
  const awsStatus = new AwsCallStatusRecorder(ctx.redis, prefix, logger).start();
  const schedules = new ScheduleControl({ config: () => ctx.config, queues: ctx.queues, state: new ScheduleState(ctx.redis, prefix), logger });
  await schedules.sync();

  let scheduler: RoleWorkers | undefined;
  if (options.scheduler !== false) scheduler = await startRoleWorkers(ctx, 'scheduler', metrics);
  const reload = await installReload(ctx, async () => {
    await schedules.sync();
  });
  const loop = eventLoopMonitor();

  const app = createApp({
    ...ctx,
    startScan: (scan) => startScan(ctx, scan),
    scanProgress: (scanId) => getScanProgress(ctx.queues, ctx.store, scanId),
    health: {
      live: () => loop.responsive() && (scheduler?.isRunning() ?? true),
      ready: async () => scheduler?.isRunning() ?? true,
    },
    metrics: registryMetrics(metrics.registry, () => queueMetricsText(ctx.queues.all(), { prefix })),
    status: () => getOperatorStatus({ config: ctx.config, redis: ctx.redis, queues: ctx.queues, store: ctx.store }),
    schedules,
    reload: async () => {
      const result = await reload.reloader.reload('POST /api/config/reload');
      // This process has reloaded (or refused); the others reload their own copy of the file.
      const notifiedProcesses = result.ok ? Math.max(0, (await publishReload(ctx.redis, prefix, 'api')) - 1) : 0;
      return { ...result, notifiedProcesses };
    },
  });
  const server = await listen(app, ctx.config.api.port, ctx.config.api.host);
  logger.info({ url: server.url, board: `${server.url}/admin/queues` }, 'api listening');

  const steps: ShutdownStep[] = [
    { name: 'http server', close: () => server.close() },
    ...(scheduler ? [{ name: 'scheduler worker', close: () => scheduler.close() }] : []),
    reload.step,
    { name: 'aws call status', close: () => awsStatus.close() },
    {
      name: 'metrics',
      close: () => {
        metrics.stop();
        loop.stop();
      },
    },
    { name: 'connections', close: () => ctx.close() },
  ];
  const shutdown = installShutdown(logger, steps, { exit: options.exitOnSignal });
  return { url: server.url, port: server.port, schedules, shutdown };
}
