// The remediation jobs of the optimizer role: one run's actions per account and region, and a rollback.
import { approvalsHolding } from '@finops/budgets';
import type { Logger } from '@finops/core';
import type { HandlerContext, JobPayload } from '@finops/queues';
import {
  ActionBusyError,
  executeBatch,
  executeRollback,
  RemediationInputError,
  type BudgetApprovalGate,
  type RemediationDeps,
} from '@finops/remediation';
import { DelayedError, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { InsightState } from '../insight-state.js';
import { trackingStoreFor } from '../tracking/index.js';
import type { PipelineDeps } from './shared.js';

/** Budgets over their approval threshold, as the insights stage keeps them in Redis (see ../insight-state.ts). */
export function budgetApprovalGate(redis: Redis, prefix: string, now: () => Date): BudgetApprovalGate {
  const state = new InsightState(redis, prefix);
  return {
    holding: async (target) => approvalsHolding(target, await state.loadApprovals(), now()).map((approval) => approval.budgetId),
  };
}

/** Recommendations dismissed by an operator (the tracking store), with who, when and why. */
export function dismissedRecommendations(deps: Pick<PipelineDeps, 'config' | 'redis' | 'now'>): NonNullable<RemediationDeps['dismissed']> {
  return async (ids) => {
    const dismissals = await trackingStoreFor(deps).dismissals(ids, deps.now());
    return new Map(
      [...dismissals].map(([id, d]) => [id, `${d.reason} (${d.by ? `by ${d.by} ` : ''}at ${d.at}${d.until ? `, until ${d.until}` : ''})`]),
    );
  };
}

/** What remediation needs from a service context: used by the jobs here, and by the CLI and the API. */
export function remediationDeps(deps: PipelineDeps, logger?: Logger): RemediationDeps {
  return {
    config: deps.config,
    redis: deps.redis,
    scans: deps.store,
    access: deps.aws.access,
    queues: deps.queues,
    budgets: budgetApprovalGate(deps.redis, deps.config.redis.prefix, deps.now),
    dismissed: dismissedRecommendations(deps),
    now: deps.now,
    ...(logger ? { logger } : {}),
  };
}

/** A run or its scan data that is gone cannot be helped by a retry. */
async function unrecoverable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RemediationInputError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

export function remediateHandler(deps: PipelineDeps) {
  return async (payload: JobPayload<'remediate'>, { job, logger, token }: HandlerContext) => {
    let result: Awaited<ReturnType<typeof executeBatch>>;
    try {
      result = await unrecoverable(() => executeBatch(remediationDeps(deps, logger), payload));
    } catch (error) {
      if (!(error instanceof ActionBusyError)) throw error;
      // Another attempt holds an action's lease (a stalled twin, or a crashed one whose lease has not run out yet):
      // come back when it would have expired, without using an attempt.
      logger.info({ err: error.message }, 'action busy: job deferred');
      await job.moveToDelayed(Date.now() + deps.config.workers.lockDurationMs, token);
      throw new DelayedError();
    }
    return {
      status: 'completed',
      mode: result.mode,
      counts: result.counts,
      actions: result.actions.map((a) => ({ actionId: a.actionId, recommendationId: a.recommendationId, actionType: a.actionType, status: a.status, reason: a.reason })),
    };
  };
}

export function rollbackActionHandler(deps: PipelineDeps) {
  return async (payload: JobPayload<'rollback-action'>, { logger }: HandlerContext) => {
    const record = await unrecoverable(() => executeRollback(remediationDeps(deps, logger), payload));
    return { status: 'completed', actionId: record.actionId, rollback: record.rollback };
  };
}
