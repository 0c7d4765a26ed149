// The HTTP API: Bull Board at /admin/queues, health checks, and the scan API — an Express 5 app.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { FinopsError, SERVICE_NAMES, type Config, type Logger } from '@finops/core';
import type { ScanOptions, ScanProgress } from '@finops/pipeline';
import type { QueueSet, ScanPlan, ScanStore } from '@finops/queues';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { authMiddleware } from './auth.js';

export interface ApiOptions {
  config: Config;
  configSource: string;
  queues: QueueSet;
  store: ScanStore;
  redis: Redis;
  logger: Logger;
  startScan(options: ScanOptions): Promise<ScanPlan>;
  scanProgress(scanId: string): Promise<ScanProgress | undefined>;
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
    res.json({ live: true });
  });
  app.get('/readyz', async (_req, res) => {
    let redisOk = false;
    try {
      redisOk = options.redis.status === 'ready' && (await options.redis.ping()) === 'PONG';
    } catch {
      redisOk = false;
    }
    res.status(redisOk ? 200 : 503).json({ ready: redisOk, redis: redisOk ? 'ok' : 'unreachable', queues: queues.all().length });
  });

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

function parseScanId(value: unknown): string {
  const parsed = scanIdParam.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'invalid scan id', 'scan ids look like scan-20261126T193000Z-k3f9');
  return parsed.data;
}
