// The remediation API (behind api.auth): preview and start runs, approve and reject, roll back, read the audit trail.
import { FinopsError, type Config, type Logger } from '@finops/core';
import { budgetApprovalGate, dismissedRecommendations } from '@finops/pipeline';
import type { QueueSet, ScanStore } from '@finops/queues';
import {
  actionRecord,
  decide,
  finishedRollback,
  previewRun,
  remediationStores,
  requestRollback,
  runProgress,
  startRun,
  type RemediationDeps,
} from '@finops/remediation';
import express, { type ErrorRequestHandler, type Request, type Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export interface RemediationRouterOptions {
  config: Config;
  store: ScanStore;
  queues: QueueSet;
  redis: Redis;
  logger: Logger;
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

const recommendationId = z.string().regex(/^rec_[0-9a-f]{16}$/, 'expected a recommendation id (rec_ and 16 hex digits)');
const scanId = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'expected a scan id');
const runBody = z.strictObject({
  scanId: scanId.optional(),
  recommendationIds: z.array(recommendationId).min(1).max(1000).optional(),
  /** Live mode; also needs safety.dryRun: false. */
  live: z.boolean().default(false),
});
const decisionBody = z.strictObject({
  recommendationIds: z.array(recommendationId).min(1).max(1000),
  reason: z.string().min(1).max(2000).optional(),
  scanId: scanId.optional(),
});
const auditQuery = z.strictObject({
  resource: z.string().min(1).optional(),
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id').optional(),
  run: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const runIdParam = z.string().regex(/^run-[A-Za-z0-9_-]{1,80}$/);
const actionIdParam = z.string().regex(/^act_[0-9a-f]{16,64}$/);

function parse<T>(schema: z.ZodType<T>, value: unknown, example: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new RouteError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), example);
  return parsed.data;
}

/**
 * The principal an action is recorded under: the basic-auth user, `bearer` for the token, `anonymous` when
 * api.auth is `none`. The auth middleware in front of this router has already checked the credentials.
 */
export function principalOf(config: Config, _req: Request): string {
  const auth = config.api.auth;
  if (!auth || auth === 'none') return 'anonymous';
  return auth.type === 'basic' ? auth.username : 'bearer';
}

/** Mounted at /api/remediation, after the API's authentication. */
export function remediationRouter(options: RemediationRouterOptions): Router {
  const now = options.now ?? (() => new Date());
  const deps = (): RemediationDeps => ({
    config: options.config,
    redis: options.redis,
    scans: options.store,
    queues: options.queues,
    budgets: budgetApprovalGate(options.redis, options.config.redis.prefix, now),
    dismissed: dismissedRecommendations({ config: options.config, redis: options.redis, now }),
    now,
    logger: options.logger,
  });
  const router = express.Router();

  router.post('/preview', async (req, res) => {
    const body = parse(runBody, req.body, '{"live": false} or {"recommendationIds": ["rec_…"], "live": true}');
    res.json(await previewRun(deps(), { ...body, actor: principalOf(options.config, req), trigger: 'api' }));
  });

  router.post('/runs', async (req, res) => {
    const body = parse(runBody, req.body, '{"live": false} or {"recommendationIds": ["rec_…"], "live": true}');
    const request = { ...body, actor: principalOf(options.config, req), trigger: 'api' };
    const preview = await previewRun(deps(), request);
    const run = await startRun(deps(), request);
    res.status(202).location(`/api/remediation/runs/${run.runId}`).json({ run, preview, status: `/api/remediation/runs/${run.runId}` });
  });

  router.get('/runs', async (_req, res) => {
    res.json({ runs: await remediationStores(deps()).store.listRuns(50) });
  });

  router.get('/runs/:id', async (req, res) => {
    const id = parse(runIdParam, req.params.id, 'run ids look like run-20261126T193000Z-k3f9');
    const progress = await runProgress(deps(), id);
    if (!progress) throw new RouteError(404, `remediation run ${id} not found`, 'GET /api/remediation/runs lists runs');
    res.json(progress);
  });

  router.post('/approvals', async (req, res) => {
    const body = parse(decisionBody, req.body, '{"recommendationIds": ["rec_…"], "reason": "…"}');
    res.json({ decisions: await decide(deps(), { ...body, decision: 'approved', actor: principalOf(options.config, req) }) });
  });

  router.post('/rejections', async (req, res) => {
    const body = parse(decisionBody, req.body, '{"recommendationIds": ["rec_…"], "reason": "why"}');
    res.json({ decisions: await decide(deps(), { ...body, decision: 'rejected', actor: principalOf(options.config, req) }) });
  });

  router.get('/actions/:id', async (req, res) => {
    const id = parse(actionIdParam, req.params.id, 'action ids look like act_0123456789abcdef01234567');
    const record = await actionRecord(deps(), id);
    if (!record) throw new RouteError(404, `no action ${id}`, 'GET /api/remediation/audit lists actions');
    res.json(record);
  });

  router.post('/actions/:id/rollback', async (req, res) => {
    const id = parse(actionIdParam, req.params.id, 'action ids look like act_0123456789abcdef01234567');
    // A rollback that already finished is reported, not queued again: nothing would be done twice, but a caller
    // polling the action would wait for a rollback time that never changes.
    const done = finishedRollback(await actionRecord(deps(), id));
    if (done) return void res.status(200).json({ status: 'already-rolled-back', rollback: done, action: `/api/remediation/actions/${id}` });
    const queued = await requestRollback(deps(), { actionId: id, actor: principalOf(options.config, req) });
    res.status(202).location(`/api/remediation/actions/${id}`).json({ ...queued, status: `/api/remediation/actions/${id}` });
  });

  router.get('/audit', async (req, res) => {
    const q = parse(auditQuery, req.query, '?resource=i-0abc…&account=111111111111&since=2026-11-01T00:00:00Z&limit=50');
    const entries = await remediationStores(deps()).audit.list({
      ...(q.resource ? { resourceId: q.resource } : {}),
      ...(q.account ? { accountId: q.account } : {}),
      ...(q.run ? { runId: q.run } : {}),
      ...(q.action ? { actionId: q.action } : {}),
      ...(q.since ? { since: new Date(q.since) } : {}),
      ...(q.until ? { until: new Date(q.until) } : {}),
      limit: q.limit,
    });
    res.json({ entries });
  });

  const onError: ErrorRequestHandler = (error, _req, res, next) => {
    if (error instanceof RouteError) return void res.status(error.status).json({ error: error.message, hint: error.hint });
    if (error instanceof FinopsError) return void res.status(400).json({ error: error.message, hint: error.hint });
    next(error);
  };
  router.use(onError);
  return router;
}
