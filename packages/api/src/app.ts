// The HTTP API: Bull Board at /admin/queues, health checks, and the scan API — an Express 5 app.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { FinopsError, SERVICE_NAMES, type Config, type Logger } from '@finops/core';
import type { HealthProbe, MetricsSource, OperatorStatus, ReloadResult, ScanOptions, ScanProgress, ScheduleControl } from '@finops/pipeline';
import type { QueueSet, ScanPlan, ScanStore } from '@finops/queues';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { authMiddleware } from './auth.js';
import { remediationRouter } from './remediation.js';
import { recommendationsRouter } from './recommendations.js';
import { reportsRouter } from './reports.js';

export interface ApiOptions {
  config: Config;
  configSource: string;
  queues: QueueSet;
  store: ScanStore;
  redis: Redis;
  logger: Logger;
  startScan(options: ScanOptions): Promise<ScanPlan>;
  scanProgress(scanId: string): Promise<ScanProgress | undefined>;
  /** Liveness and readiness beyond Redis (the event loop, the scheduler worker). Default: Redis only. */
  health?: HealthProbe;
  /** GET /metrics (Prometheus); absent or api.metrics.enabled false: no route. */
  metrics?: MetricsSource;
  /** GET /api/status. */
  status?: () => Promise<OperatorStatus>;
  /** /api/schedules: list, enable, disable, run now. */
  schedules?: ScheduleControl;
  /** POST /api/config/reload: reloads this process and asks every other one to (control channel). */
  reload?: () => Promise<ReloadResult & { notifiedProcesses: number }>;
}

const startScanBody = z
  .strictObject({
    services: z.array(z.enum(SERVICE_NAMES as [string, ...string[]])).min(1).optional(),
    regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region name')).min(1).optional(),
    accounts: z.array(z.string().regex(/^\d{12}$/, 'expected a 12-digit account id')).min(1).optional(),
  })
  .default({});

const scanIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);

/** Keys whose values Bull Board must not show. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|credential|apikey|api_key/i;

export function redactJobData(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(redactJobData);
  if (data && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, SECRET_KEY.test(k) ? '***' : redactJobData(v)]));
  }
  return data;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function createApp(options: ApiOptions): Express {
  const { config, queues, store, logger } = options;
  const requireAuth = authMiddleware(config.api.auth, options.configSource);
  if (config.api.auth === 'none') logger.warn('api.auth is `none`: Bull Board and the API accept requests without credentials');

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.get('/healthz', (_req, res) => {
    const live = options.health?.live() ?? true;
    res.status(live ? 200 : 503).json({ live });
  });
  app.get('/readyz', async (_req, res) => {
    let redisOk = false;
    try {
      redisOk = options.redis.status === 'ready' && (await options.redis.ping()) === 'PONG';
    } catch {
      redisOk = false;
    }
    const ready = redisOk && (await (options.health?.ready() ?? Promise.resolve(true)));
    res.status(ready ? 200 : 503).json({ ready, redis: redisOk ? 'ok' : 'unreachable', queues: queues.all().length });
  });
  if (options.metrics && config.api.metrics.enabled) {
    const metrics = options.metrics;
    const guard = config.api.metrics.auth ? [requireAuth] : [];
    app.get('/metrics', ...guard, async (_req, res) => {
      res.type(metrics.contentType).send(await metrics.text());
    });
  }

  const board = new ExpressAdapter().setBasePath('/admin/queues');
  createBullBoard({
    queues: queues.all().map((queue) => {
      const adapter = new BullMQAdapter(queue);
      adapter.setFormatter('data', redactJobData);
      adapter.setFormatter('returnValue', redactJobData);
      return adapter;
    }),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'FinOps queues' } },
  });
  app.use('/admin/queues', requireAuth, board.getRouter());

  const api = express.Router();
  api.use(requireAuth);
  api.use(express.json({ limit: config.api.bodyLimit }));

  api.post('/scans', async (req, res) => {
    const body = startScanBody.safeParse(req.body ?? {});
    if (!body.success) {
      throw new HttpError(400, body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 'POST {"services": ["ec2"], "regions": ["eu-west-1"]} or an empty body');
    }
    const plan = await options.startScan({ trigger: 'api', ...(body.data as Omit<ScanOptions, 'trigger'>) });
    res.status(202).location(`/api/scans/${plan.scanId}`).json({ scanId: plan.scanId, status: `/api/scans/${plan.scanId}`, report: `/api/scans/${plan.scanId}/report` });
  });

  api.get('/scans', async (_req, res) => {
    const scans = await store.listScans(50);
    res.json({ scans: scans.map((s) => ({ scanId: s.plan.scanId, status: s.status, startedAt: s.plan.startedAt, finishedAt: s.finishedAt, trigger: s.plan.trigger })) });
  });

  api.get('/scans/:id', async (req, res) => {
    const progress = await options.scanProgress(parseScanId(req.params.id));
    if (!progress) throw new HttpError(404, `scan ${req.params.id} not found`, 'GET /api/scans lists known scans');
    res.json(progress);
  });

  api.get('/scans/:id/report', async (req, res) => {
    const scanId = parseScanId(req.params.id);
    const record = await store.getScan(scanId);
    if (!record) throw new HttpError(404, `scan ${scanId} not found`, 'GET /api/scans lists known scans');
    if (record.status !== 'completed' || !record.reportDir) {
      throw new HttpError(409, `scan ${scanId} has no report yet (status ${record.status})`, `poll GET /api/scans/${scanId}`);
    }
    res.type('application/json').send(await readFile(join(record.reportDir, 'report.json'), 'utf8'));
  });

  if (options.status) {
    const status = options.status;
    api.get('/status', async (_req, res) => {
      res.json(await status());
    });
  }
  if (options.schedules) api.use('/schedules', schedulesRouter(options.schedules));
  if (options.reload) {
    const reload = options.reload;
    api.post('/config/reload', async (_req, res) => {
      const result = await reload();
      if (!result.ok) throw new HttpError(422, `configuration not reloaded, the running one is kept: ${result.error}`, 'fix the file and reload again');
      res.json(result);
    });
  }

  api.use('/remediation', remediationRouter({ config, store, queues, redis: options.redis, logger }));
  api.use(reportsRouter({ config, store, redis: options.redis }));
  api.use('/recommendations', recommendationsRouter({ config, redis: options.redis }));
  app.use('/api', api);
  app.use((req, res) => {
    res.status(404).json({ error: `not found: ${req.method} ${req.path}` });
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (error instanceof HttpError) return void res.status(error.status).json({ error: error.message, hint: error.hint });
    if (error instanceof FinopsError) return void res.status(400).json({ error: error.message, hint: error.hint });
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'request failed');
    res.status(status).json({ error: status === 500 ? 'internal error: see the API logs' : String(error.message ?? 'bad request') });
  };
  app.use(onError);
  return app;
}

const scheduleIdParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/);

/** GET /api/schedules, POST /api/schedules/:id/{enable,disable,run}. */
function schedulesRouter(schedules: ScheduleControl): express.Router {
  const router = express.Router();
  const id = (value: unknown) => {
    const parsed = scheduleIdParam.safeParse(value);
    if (!parsed.success) throw new HttpError(400, 'invalid schedule id', 'GET /api/schedules lists the schedules');
    return parsed.data;
  };
  router.get('/', async (_req, res) => {
    res.json({ schedules: await schedules.list() });
  });
  router.post('/:id/enable', async (req, res) => {
    res.json(await schedules.enable(id(req.params.id)));
  });
  router.post('/:id/disable', async (req, res) => {
    res.json(await schedules.disable(id(req.params.id)));
  });
  router.post('/:id/run', async (req, res) => {
    res.status(202).json({ jobId: await schedules.runNow(id(req.params.id)) });
  });
  return router;
}

function parseScanId(value: unknown): string {
  const parsed = scanIdParam.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'invalid scan id', 'scan ids look like scan-20261126T193000Z-k3f9');
  return parsed.data;
}
