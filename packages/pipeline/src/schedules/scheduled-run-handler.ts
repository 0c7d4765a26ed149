// The scheduler role's job: start the scan a schedule asks for, unless its previous run is still going.
import type { Logger } from '@finops/core';
import type { HandlerContext, JobPayload, ScanStore } from '@finops/queues';
import { startScan, type ScanDeps } from '../scan.js';
import type { ScheduleState } from './schedule-state.js';

export interface ScheduledRunDeps extends ScanDeps {
  store: ScanStore;
  state: ScheduleState;
  /**
   * Starts a remediation run on the newest completed scan (schedule type `remediate`). Its mode is decided by
   * safety.dryRun, and only such scheduled runs may use safety.autoApprove.
   */
  startRemediation?: (request: { trigger: string; actor: string }) => Promise<{ runId: string; scanId: string }>;
}

export type ScheduledRunResult =
  | { status: 'started'; scanId: string; runId?: string }
  | { status: 'skipped'; reason: string; scanId?: string };

/** Long enough to plan and queue a scan; a crashed holder's lock expires by itself. */
const RUN_LOCK_MS = 60_000;

/**
 * Runs one tick (or an operator's "run now"). Two guards: a disabled schedule's leftover tick does nothing, and a
 * schedule whose previous scan is still running is skipped with a log line: overlapping scans of one schedule
 * would double the AWS calls for nothing. A lock per schedule makes the check-and-start atomic across replicas.
 */
export async function runSchedule(deps: ScheduledRunDeps, payload: JobPayload<'scheduled-run'>, owner: string, logger: Logger): Promise<ScheduledRunResult> {
  const { scheduleId, type, options } = payload;
  const by = payload.requestedAt ? 'run-now' : 'tick';
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const skip = async (reason: string, scanId?: string): Promise<ScheduledRunResult> => {
    logger.info({ scanId, by }, `schedule ${scheduleId} skipped: ${reason}`);
    await deps.state.recordRun(scheduleId, { at: now(), outcome: 'skipped', reason, scanId, by });
    return { status: 'skipped', reason, scanId };
  };

  if (by === 'tick' && (await deps.state.disabledIds()).has(scheduleId)) return skip('the schedule is disabled');
  const release = await deps.state.lock(`run:${scheduleId}`, owner, RUN_LOCK_MS);
  if (!release) return skip('another run of this schedule is being started');
  try {
    const previous = await deps.state.runningScan(scheduleId);
    if (previous) {
      const record = await deps.store.getScan(previous);
      if (record?.status === 'running') return skip(`the previous run (scan ${previous}) is still going`, previous);
    }
    if (type === 'remediate') {
      if (!deps.startRemediation) return skip('this process cannot start remediation runs');
      const run = await deps.startRemediation({ trigger: `schedule:${scheduleId}`, actor: `schedule:${scheduleId}` });
      await deps.state.recordRun(scheduleId, { at: now(), outcome: 'started', scanId: run.scanId, reason: `remediation run ${run.runId}`, by });
      logger.info({ scanId: run.scanId, runId: run.runId, by }, `schedule ${scheduleId} started remediation run ${run.runId}`);
      return { status: 'started', scanId: run.scanId, runId: run.runId };
    }
    const plan = await startScan(deps, { trigger: `schedule:${scheduleId}`, purpose: type, ...options });
    await deps.state.setRunningScan(scheduleId, plan.scanId);
    await deps.state.recordRun(scheduleId, { at: now(), outcome: 'started', scanId: plan.scanId, by });
    logger.info({ scanId: plan.scanId, by }, `schedule ${scheduleId} started scan ${plan.scanId}`);
    return { status: 'started', scanId: plan.scanId };
  } catch (error) {
    await deps.state.recordRun(scheduleId, { at: now(), outcome: 'failed', reason: (error as Error).message, by });
    throw error;
  } finally {
    await release();
  }
}

/** The `scheduled-run` handler for RoleWorkers. */
export function scheduledRunHandler(deps: ScheduledRunDeps) {
  return (payload: JobPayload<'scheduled-run'>, { job, logger }: HandlerContext) => runSchedule(deps, payload, job.id ?? 'job', logger);
}
