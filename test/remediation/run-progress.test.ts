// A run's progress while its job fails or is retried between the reads runProgress makes: it reads the job's state
// first, then the job, and reads both again when a failed job shows no reason — so a failure is never reported
// without its reason (`unknown`). Real BullMQ on the run's Redis; the interleavings are forced by running the
// failure (or the retry) right after runProgress's read, before its next one.
import { jobId, type JobPayload } from '@finops/queues';
import { newRunId, remediationStores, runProgress, type RemediationRun } from '@finops/remediation';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACCOUNT, REGION, queueBench } from './harness.js';

const FAILURE = 'StopInstances refused: simulated outage';

describe('runProgress while the job changes between its reads', () => {
  const bench = queueBench('run-progress', 'remediate');
  const { deps, queue, readState, readJob } = bench;
  // The first attempt fails once let go; the retried one stays active until the end.
  const firstAttempt = bench.latch();
  const secondAttempt = bench.latch();
  let attempts = 0;
  let run: RemediationRun;
  let id: string;

  const until = (state: string) => bench.until(id, state);

  beforeAll(async () => {
    await bench.start(
      {
        remediate: async () => {
          attempts += 1;
          if (attempts === 1) {
            await firstAttempt.opened;
            throw new Error(FAILURE);
          }
          await secondAttempt.opened;
          return { status: 'completed' };
        },
      },
      1,
    );
    run = { runId: newRunId(), scanId: 'scan-run-progress', mode: 'live', actor: 'tester@host', trigger: 'cli', createdAt: new Date().toISOString(), partitions: [{ accountId: ACCOUNT, region: REGION }] };
    await remediationStores(deps).store.createRun(run);
    const payload: JobPayload<'remediate'> = { runId: run.runId, accountId: ACCOUNT, region: REGION };
    id = jobId.remediate(payload);
    await queue.add('remediate', payload, { jobId: id, attempts: 1 });
    await until('active');
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await bench.close();
  });

  it('does not report a job that failed after its state was read, and reports it with its reason on the next read', async () => {
    const reads: string[] = [];
    // Right after runProgress's first read of the job (its state, or the job itself), the job fails.
    let failed = false;
    const thenFail = async <T>(value: T): Promise<T> => {
      if (!failed) {
        failed = true;
        firstAttempt.open();
        await until('failed');
      }
      return value;
    };
    const state = vi.spyOn(queue, 'getJobState').mockImplementation(async (jobId) => (reads.push('state'), thenFail(await readState(jobId))));
    const job = vi.spyOn(queue, 'getJob').mockImplementation(async (jobId) => (reads.push('job'), thenFail(await readJob(jobId))));
    try {
      const during = await runProgress(deps, run.runId);
      expect(reads).toEqual(['state']);
      expect(during).toMatchObject({ status: 'running', failedJobs: [] });
      expect(await readState(id)).toBe('failed');
      const after = await runProgress(deps, run.runId);
      expect(after).toMatchObject({ status: 'failed', failedJobs: [{ id, reason: FAILURE }] });
    } finally {
      state.mockRestore();
      job.mockRestore();
    }
  });

  it('reads again when the job was retried between its failed state and the job read (the retry clears the reason)', async () => {
    expect(await readState(id)).toBe('failed');
    let retried = false;
    const state = vi.spyOn(queue, 'getJobState').mockImplementation(async (jobId) => {
      const value = await readState(jobId);
      if (!retried && value === 'failed') {
        retried = true;
        // An operator retries it in Bull Board: the worker takes it again.
        await (await readJob(jobId))!.retry('failed');
        await until('active');
      }
      return value;
    });
    try {
      const during = await runProgress(deps, run.runId);
      expect(retried).toBe(true);
      expect(state).toHaveBeenCalledTimes(2);
      expect(during).toMatchObject({ status: 'running', failedJobs: [] });
    } finally {
      state.mockRestore();
    }
    expect(attempts).toBe(2);
  });
});
