// Operating a failed live remediation through Bull Board's own HTTP API: a retried remediation never applies twice.
// Injects (at the AWS boundary of the optimizer workers): (1) StopInstances succeeds at the simulated AWS, then the
//   describe that verifies the stopped instance is throttled, so the job fails after the action was applied;
//   (2) StopInstances itself is throttled, so the job fails before anything was applied. Every job has one attempt.
// Asserts: an operator's retry on the board finishes each run; StopInstances reached AWS exactly once per instance;
//   each action ends in its right state with one outcome in the audit trail; retrying the completed jobs on the board
//   again applies nothing. The action applied before its job failed is `applied` on retry with the undo data and AWS
//   request id its first attempt put on record, and `finops rollback` starts the instance again, exactly once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, listen } from '@finops/api';
import { CALLER_ACCOUNT, createAwsAccess, type ClientPlugins } from '@finops/aws';
import type { Ec2Instance, Recommendation } from '@finops/core';
import { getScanProgress, remediationDeps, startRoleWorkers, startScan, waitForScan } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import { actionIdFor, decide, remediationStores, requestRollback, startRun, waitForRun, type RemediationDeps, type RemediationRun } from '@finops/remediation';
import type { Report } from '@finops/reports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../input/cli-capture.js';
import { Faults, throttling } from '../remediation/harness.js';
import { testRedisUrl } from '../support/redis.js';
import { opsContext, type OpsContext } from './ops-context.js';

type Plugin = ReturnType<ClientPlugins>[number];

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const auth = { authorization: `Basic ${Buffer.from('ops:correct-horse-battery').toString('base64')}` };

/**
 * Watches the optimizer's EC2 calls on their way to AWS: records every StopInstances AWS carried out, and can fail
 * the describe that verifies a stop AWS already carried out.
 */
class StopTap {
  /** Instance ids of the StopInstances calls AWS answered successfully, in order. */
  readonly stopped: string[] = [];
  #verification: { state: 'off' } | { state: 'next-stop' } | { state: 'after-stop'; pass: number } = { state: 'off' };

  /** After the next successful StopInstances, the waiter's describe passes and the one verifying the result fails. */
  failVerificationOfNextStop(): void {
    this.#verification = { state: 'next-stop' };
  }

  plugin(): Plugin {
    type Args = object & { input?: { InstanceIds?: string[] } };
    const middleware = (next: (args: Args) => Promise<unknown>, context: { commandName?: string }) => async (args: Args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const verification = this.#verification;
      if (operation === 'DescribeInstances' && verification.state === 'after-stop') {
        if (verification.pass > 0) verification.pass -= 1;
        else {
          this.#verification = { state: 'off' };
          throw throttling();
        }
      }
      const output = await next(args);
      if (operation === 'StopInstances') {
        this.stopped.push(...(args.input?.InstanceIds ?? []));
        // The simulated instance is stopped at once: the waiter's first describe sees it, the next one verifies it.
        if (verification.state === 'next-stop') this.#verification = { state: 'after-stop', pass: 1 };
      }
      return output;
    };
    return {
      applyToStack: (stack: { add(m: typeof middleware, o: object): void }) => stack.add(middleware, { step: 'initialize', priority: 'high', name: 'testStopTap' }),
    } as Plugin;
  }
}

describe('retrying a failed remediation from Bull Board', () => {
  let ops: OpsContext;
  let deps: RemediationDeps;
  let server: Awaited<ReturnType<typeof listen>>;
  const pools: RoleWorkers[] = [];
  const faults = new Faults();
  const tap = new StopTap();
  let report: Report;
  let idle: Recommendation[];

  const board = (path: string, init: RequestInit = {}) => fetch(`${server.url}/admin/queues/api/queues/${path}`, { ...init, headers: { ...auth, ...init.headers } });
  const stopCalls = () => ops.ctx.aws.simulator?.stats().calls['ec2.StopInstances'] ?? 0;
  const startCalls = () => ops.ctx.aws.simulator?.stats().calls['ec2.StartInstances'] ?? 0;
  const instances = async () => (await ops.ctx.aws.access.discover('ec2-instance', { accountId: ACCOUNT, region: REGION })) as Ec2Instance[];
  const instanceState = async (id: string) => (await instances()).find((i) => i.id === id)?.state;
  const actionOf = (run: RemediationRun, recommendation: Recommendation) =>
    actionIdFor({ mode: 'live', scanId: run.scanId, runId: run.runId, recommendationId: recommendation.id, action: recommendation.action });

  /** The board's view of one remediation job: its state, when it finished, and what it returned. */
  async function boardJob(jobId: string): Promise<{ status: string; job: { finishedOn?: number; returnValue?: unknown; failedReason?: string } }> {
    const response = await board(`remediation/${encodeURIComponent(jobId)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as { status: string; job: { finishedOn?: number; returnValue?: unknown; failedReason?: string } };
  }

  /** Retries a completed job on the board and waits until it ran again. */
  async function retryCompletedOnBoard(jobId: string): Promise<void> {
    const before = await boardJob(jobId);
    expect(before.status).toBe('completed');
    expect((await board(`remediation/${encodeURIComponent(jobId)}/retry`, { method: 'PUT' })).status).toBe(204);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const now = await boardJob(jobId);
      if (now.status === 'completed' && (now.job.finishedOn ?? 0) > (before.job.finishedOn ?? 0)) return;
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not run again: ${JSON.stringify(now)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    ops = await opsContext('board-remediation', {
      // In the config file too: `finops rollback` runs in this process and reads it.
      redis: { url: testRedisUrl() },
      aws: { provider: 'simulated', regions: [REGION], maxAttempts: 1 },
      simulation: { seed: 11, accounts: [ACCOUNT], resourcesPerRegion: 150 },
      services: { rds: false, lambda: false },
      costs: { enabled: false },
      reporting: { formats: ['json'] },
      safety: { dryRun: false, allowedActions: ['ec2.stop-instance'] },
      workers: { attempts: 1, backoffMs: 10 },
      api: { auth: { type: 'basic', username: 'ops', password: 'correct-horse-battery' } },
    });
    const { ctx } = ops;
    const simulator = ctx.aws.simulator!;
    // The optimizer's own AWS access: the same simulated estate, with the faults and the tap in front of it.
    const access = createAwsAccess({
      aws: ctx.config.aws,
      plugins: (scope) => [faults.plugin(), tap.plugin(), simulator.plugin({ ...scope, accountId: scope.accountId === CALLER_ACCOUNT ? ACCOUNT : scope.accountId })],
      credentials: { accessKeyId: 'ASIASIMULATED000000', secretAccessKey: 'simulated-secret-access-key' },
    });
    const optimizer = { ...ctx, deps: { ...ctx.deps, aws: { ...ctx.aws, access } } };
    for (const role of ['discovery', 'analysis', 'reporter'] as const) pools.push(await startRoleWorkers(ctx, role));
    pools.push(await startRoleWorkers(optimizer, 'optimizer'));
    deps = remediationDeps(ctx.deps);
    const app = createApp({ ...ctx, startScan: (o) => startScan(ctx, o), scanProgress: (id) => getScanProgress(ctx.queues, ctx.store, id) });
    server = await listen(app, 0, '127.0.0.1');

    const plan = await startScan(ctx, { trigger: 'test' });
    const progress = await waitForScan(ctx.queues, ctx.store, plan.scanId, { signal: AbortSignal.timeout(60_000) });
    if (progress.status !== 'completed' || !progress.reportDir) throw new Error(`scan ended ${progress.status}: ${JSON.stringify(progress.failedJobs)}`);
    report = JSON.parse(readFileSync(join(progress.reportDir, 'report.json'), 'utf8')) as Report;
    // Spot instances are refused (they may not come back): two on-demand ones.
    const onDemand = new Set(
      (await instances()).filter((i) => i.state === 'running' && i.lifecycle !== 'spot').map((i) => i.id),
    );
    idle = report.recommendations.filter((r) => r.action.type === 'ec2.stop-instance' && !r.foldedInto && onDemand.has(r.resourceId));
    expect(idle.length, 'two idle on-demand instances to stop').toBeGreaterThanOrEqual(2);
    await decide(deps, { recommendationIds: idle.slice(0, 2).map((r) => r.id), decision: 'approved', actor: 'operator@test', scanId: report.scanId });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    for (const w of pools) await w.close();
    for (const q of ops?.ctx.queues.all() ?? []) await q.obliterate({ force: true }).catch(() => undefined);
    await ops?.cleanup();
  });

  it('applies once when the job failed after AWS had stopped the instance, and can roll it back', async () => {
    const target = idle[0]!;
    expect(await instanceState(target.resourceId)).toBe('running');
    tap.failVerificationOfNextStop();
    const run = await startRun(deps, { scanId: report.scanId, recommendationIds: [target.id], live: true, actor: 'operator@test', trigger: 'api' });
    const actionId = actionOf(run, target);
    const { store, audit } = remediationStores(deps);

    const failed = await waitForRun(deps, run.runId, { pollMs: 50, signal: AbortSignal.timeout(30_000) });
    expect(failed.status).toBe('failed');
    const [job] = failed.failedJobs;
    // The board shows why: the verifying describe was throttled (after StopInstances had gone through).
    const onBoard = await boardJob(job!.id);
    expect(onBoard.status).toBe('failed');
    expect(onBoard.job.failedReason).toMatch(/^ec2:DescribeInstances in account 111111111111, eu-west-1: RequestLimitExceeded: .* — fix: /);
    // AWS did it; the platform only knows it started.
    expect(tap.stopped).toEqual([target.resourceId]);
    expect(await instanceState(target.resourceId)).toBe('stopped');
    // The intent on record: the undo data (written before StopInstances went out) and AWS's answer with its request id.
    const intent = await store.getAction(actionId);
    expect(intent).toMatchObject({
      status: 'in-progress',
      before: { state: 'running' },
      undo: { instanceId: target.resourceId, previousState: 'running' },
      calls: [{ api: 'ec2:StopInstances', ok: true }],
    });
    const requestIds = intent!.requestIds!;
    expect(requestIds).toHaveLength(1);
    const stopsBefore = stopCalls();

    expect((await board(`remediation/${encodeURIComponent(job!.id)}/retry`, { method: 'PUT', headers: {} })).status).toBe(204);
    const done = await waitForRun(deps, run.runId, { pollMs: 50, signal: AbortSignal.timeout(30_000) });
    expect(done.status, JSON.stringify(done.failedJobs)).toBe('completed');
    expect(done.counts).toEqual({ applied: 1 });
    const record = await store.getAction(actionId);
    expect(record).toMatchObject({
      status: 'applied',
      before: { state: 'running' },
      after: { state: 'stopped' },
      undo: { instanceId: target.resourceId, previousState: 'running' },
      requestIds,
      reason: 'confirmed on retry: an interrupted attempt had made the change (the instance is already stopped)',
    });
    expect(tap.stopped).toEqual([target.resourceId]);
    expect(stopCalls()).toBe(stopsBefore);
    const [entry, ...others] = await audit.list({ actionId });
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ event: 'applied', requestIds, calls: [{ api: 'ec2:StopInstances', ok: true, requestId: requestIds[0] }] });

    // Retried once more after it completed: the action is reported again, never redone.
    await retryCompletedOnBoard(job!.id);
    expect(tap.stopped).toEqual([target.resourceId]);
    expect(stopCalls()).toBe(stopsBefore);
    expect(await store.getAction(actionId)).toEqual(record);
    expect((await audit.list({ actionId })).map((e) => e.event)).toEqual(['applied']);
    expect((await boardJob(job!.id)).job.returnValue).toMatchObject({ status: 'completed', counts: { applied: 1 } });

    // The platform stopped it, so the platform can start it again: `finops rollback`, run by the optimizer workers.
    const startsBefore = startCalls();
    const rolled = await cli('rollback', actionId, '--config', ops.configFile, '--actor', 'operator@test', '--json');
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(JSON.parse(rolled.stdout).rollback).toMatchObject({ status: 'rolled-back', by: 'operator@test', after: { state: 'running' } });
    expect(await instanceState(target.resourceId)).toBe('running');
    expect(startCalls()).toBe(startsBefore + 1);
    // Asked again (its job seen through the board): the finished rollback is reported, and AWS is not called.
    const { jobId: again } = await requestRollback(deps, { actionId, actor: 'operator@test' });
    const deadline = Date.now() + 30_000;
    while ((await boardJob(again)).status !== 'completed') {
      if (Date.now() > deadline) throw new Error(`rollback job ${again} did not complete: ${JSON.stringify(await boardJob(again))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await boardJob(again)).job.returnValue).toMatchObject({ status: 'completed', rollback: { status: 'rolled-back', by: 'operator@test' } });
    expect(startCalls()).toBe(startsBefore + 1);
    expect(await instanceState(target.resourceId)).toBe('running');
    expect((await audit.list({ actionId })).map((e) => e.event)).toEqual(['rollback', 'applied']);
  });

  it('applies once when the job failed before AWS was called', async () => {
    const target = idle[1]!;
    expect(await instanceState(target.resourceId)).toBe('running');
    faults.failNext('StopInstances', throttling());
    const stopsBefore = stopCalls();
    const run = await startRun(deps, { scanId: report.scanId, recommendationIds: [target.id], live: true, actor: 'operator@test', trigger: 'api' });
    const actionId = actionOf(run, target);
    const { store, audit } = remediationStores(deps);

    const failed = await waitForRun(deps, run.runId, { pollMs: 50, signal: AbortSignal.timeout(30_000) });
    expect(failed.status).toBe('failed');
    expect((await boardJob(failed.failedJobs[0]!.id)).job.failedReason).toMatch(/^ec2:StopInstances in account 111111111111, eu-west-1: RequestLimitExceeded: /);
    expect(stopCalls()).toBe(stopsBefore);
    expect(await instanceState(target.resourceId)).toBe('running');
    expect(await store.getAction(actionId)).toMatchObject({ status: 'in-progress', reason: expect.stringMatching(/^interrupted: RequestLimitExceeded/) });

    // "Retry all" of the failed remediation jobs.
    const retried = await board('remediation/retry/failed', { method: 'PUT' });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ retried: 1, skipped: 0 });
    const done = await waitForRun(deps, run.runId, { pollMs: 50, signal: AbortSignal.timeout(30_000) });
    expect(done.status, JSON.stringify(done.failedJobs)).toBe('completed');
    expect(done.counts).toEqual({ applied: 1 });
    const record = await store.getAction(actionId);
    expect(record).toMatchObject({ status: 'applied', before: { state: 'running' }, after: { state: 'stopped' }, undo: { instanceId: target.resourceId } });
    expect(record?.requestIds?.length).toBeGreaterThan(0);
    expect(stopCalls()).toBe(stopsBefore + 1);
    expect(tap.stopped.filter((id) => id === target.resourceId)).toHaveLength(1);
    expect(await instanceState(target.resourceId)).toBe('stopped');
    expect((await audit.list({ actionId })).map((e) => e.event)).toEqual(['applied']);

    await retryCompletedOnBoard(failed.failedJobs[0]!.id);
    expect(stopCalls()).toBe(stopsBefore + 1);
    expect(await store.getAction(actionId)).toEqual(record);
    expect((await audit.list({ actionId })).map((e) => e.event)).toEqual(['applied']);
  });
});
