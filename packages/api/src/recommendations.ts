// The recommendations API (behind api.auth): tracked recommendations, and dismissing or restoring one.
import { FinopsError, type Config } from '@finops/core';
import { dismissRecommendation, RecommendationNotFoundError, trackingStoreFor, type TrackedRecommendation } from '@finops/pipeline';
import express, { type ErrorRequestHandler, type Request, type Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { principalOf } from './remediation.js';

export interface RecommendationsRouterOptions {
  config: Config;
  redis: Redis;
  now?: () => Date;
}

class RouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const idParam = z.string().regex(/^rec_[0-9a-f]{16}$/, 'expected a recommendation id (rec_ and 16 hex digits)');
const listQuery = z.strictObject({
  status: z.enum(['open', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const dismissBody = z.strictObject({
  reason: z.string().trim().min(1, 'expected a reason').max(2000),
  /** `2027-01-31` (through that day) or an ISO time; absent: until revoked. */
  until: z.string().min(1).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, example: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new RouteError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), example);
  return parsed.data;
}

/** What the API shows of a tracked recommendation: the recommendation as last seen, its history and any dismissal. */
function view(record: TrackedRecommendation) {
  const { recommendation, ...history } = record;
  return { ...recommendation, status: history.status, tracking: { firstSeenAt: history.firstSeenAt, lastSeenAt: history.lastSeenAt, seenCount: history.seenCount, ...(history.resolvedAt ? { resolvedAt: history.resolvedAt } : {}) } };
}

/**
 * Mounted at /api/recommendations, after the API's authentication:
 * - `GET /` — tracked recommendations, most recently seen first (`?status=open|resolved&limit=100`);
 * - `GET /:id` — one, with its dismissal if any;
 * - `POST /:id/dismiss` `{"reason": "…", "until": "2027-01-31"}` — the next report lists it under `suppressed`;
 * - `DELETE /:id/dismiss` — restores it.
 */
export function recommendationsRouter(options: RecommendationsRouterOptions): Router {
  const router = express.Router();
  const tracking = trackingStoreFor(options);
  const now = options.now ?? (() => new Date());
  const id = (req: Request) => parse(idParam, req.params.id, 'GET /api/recommendations lists the ids');

  router.get('/', async (req, res) => {
    const query = parse(listQuery, req.query, '?status=open&limit=100');
    const records = await tracking.list(query);
    res.json({ recommendations: records.map(view) });
  });

  router.get('/:id', async (req, res) => {
    const recId = id(req);
    const record = await tracking.get(recId);
    if (!record) throw new RouteError(404, `recommendation ${recId} is not tracked`, 'GET /api/recommendations lists the tracked ones');
    const dismissal = (await tracking.dismissals([recId], now())).get(recId);
    res.json({ ...view(record), ...(dismissal ? { dismissal } : {}) });
  });

  router.post('/:id/dismiss', async (req, res) => {
    const recId = id(req);
    const body = parse(dismissBody, req.body, '{"reason": "kept for the Q1 migration", "until": "2027-01-31"}');
    const { dismissal } = await dismissRecommendation(tracking, { id: recId, ...body, by: principalOf(options.config, req) }, now());
    res.status(201).json({ id: recId, dismissal });
  });

  router.delete('/:id/dismiss', async (req, res) => {
    const recId = id(req);
    if (!(await tracking.undismiss(recId))) throw new RouteError(404, `recommendation ${recId} is not dismissed`, `GET /api/recommendations/${recId}`);
    res.status(204).end();
  });

  const onError: ErrorRequestHandler = (error, _req, res, next) => {
    if (error instanceof RouteError) return void res.status(error.status).json({ error: error.message, hint: error.hint });
    if (error instanceof RecommendationNotFoundError) return void res.status(404).json({ error: error.message, hint: error.hint });
    if (error instanceof FinopsError) return void res.status(400).json({ error: error.message, hint: error.hint });
    next(error);
  };
  router.use(onError);
  return router;
}
