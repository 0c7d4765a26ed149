// Following a queued rollback (what `finops rollback` waits on) while its job changes between reads: the job's state is
// read first, then the record, so a job that fails in between is reported with its reason, never as `unknown`; a
// rollback finished before the request is told apart without comparing clocks; and the wait ends at its timeout.
import type { JobPayload } from '@finops/queues';
import { remediationStores, waitForRollback, type ActionRecord } from '@finops/remediation';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACCOUNT, REGION, queueBench } from './harness.js';

const FAILURE = 'StartInstances refused: simulated outage';

describe('waitForRollback', () => {
  const bench = queueBench('rollback-wait', 'rollback-action');
  const { deps, queue, readState, until } = bench;
  const failing = bench.latch();
  const hanging = bench.latch();

  const action = (actionId: string, rollback?: ActionRecord['rollback']): ActionRecord => ({
    actionId,
    runId: 'run-test',
    scanId: 'scan-test',
    mode: 'live',
    status: 'applied',
    recommendationId: 'rec_0000000000000000',
    checkId: 'test-stop',
    actionType: 'ec2.stop-instance',
    accountId: ACCOUNT,
    region: REGION,
    resourceId: 'i-0123456789abcdef0',
    resourceKind: 'ec2-instance',
    monthlySavingsUsd: 10,
    risk: 'low',
    actor: 'tester@host',
    trigger: 'cli',
    at: new Date().toISOString(),
    undo: { instanceId: 'i-0123456789abcdef0', previousState: 'running' },
    ...(rollback ? { rollback } : {}),
  });

  async function queueRollback(actionId: string, actor: string): Promise<{ jobId: string; payload: JobPayload<'rollback-action'> }> {
    const payload: JobPayload<'rollback-action'> = { actionId, actor, requestedAt: new Date().toISOString() };
    const jobId = `rollback.${actionId}.${Date.parse(payload.requestedAt)}`;
    await queue.add('rollback-action', payload, { jobId, attempts: 1 });
    return { jobId, payload };
  }

  beforeAll(async () => {
    // Per actor: fail once let go, stay active, or complete leaving the record as it is (a finished rollback).
    await bench.start(
      {
        'rollback-action': async (payload: JobPayload<'rollback-action'>) => {
          if (payload.actor === 'fails') {
            await failing.opened;
            throw new Error(FAILURE);
          }
          if (payload.actor === 'hangs') await hanging.opened;
          return { status: 'completed' };
        },
      },
      4,
    );
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await bench.close();
  });

  it('reports a job that failed after its state was read with its reason, not as unknown', async () => {
    await remediationStores(deps).store.saveAction(action('act_000000000000000000000001'));
    const queued = await queueRollback('act_000000000000000000000001', 'fails');
    await until(queued.jobId, 'active');
    let failed = false;
    const state = vi.spyOn(queue, 'getJobState').mockImplementation(async (id) => {
      const value = await readState(id);
      if (!failed) {
        // The job fails right after the wait read its state (`active`).
        failed = true;
        failing.open();
        await until(queued.jobId, 'failed');
      }
      return value;
    });
    try {
      const wait = await waitForRollback(deps, queued, { timeoutMs: 30_000, pollMs: 20 });
      expect(wait).toEqual({ outcome: 'job-failed', jobId: queued.jobId, reason: FAILURE });
      expect(failed).toBe(true);
    } finally {
      state.mockRestore();
    }
  });

  it('tells a rollback finished before the request from the one it asked for', async () => {
    const earlier = { status: 'rolled-back' as const, message: 'started instance i-0123456789abcdef0', by: 'carol@host', at: '2026-11-01T10:00:00.000Z' };
    await remediationStores(deps).store.saveAction(action('act_000000000000000000000002', earlier));
    const queued = await queueRollback('act_000000000000000000000002', 'noop');
    const wait = await waitForRollback(deps, queued, { timeoutMs: 30_000, pollMs: 20, previous: earlier });
    expect(wait).toMatchObject({ outcome: 'finished', earlier: true, record: { rollback: earlier } });
  });

  it('gives up at its timeout with the job\'s state', async () => {
    await remediationStores(deps).store.saveAction(action('act_000000000000000000000003'));
    const queued = await queueRollback('act_000000000000000000000003', 'hangs');
    await until(queued.jobId, 'active');
    expect(await waitForRollback(deps, queued, { timeoutMs: 200, pollMs: 20 })).toEqual({ outcome: 'timed-out', jobId: queued.jobId, state: 'active' });
  });
});
