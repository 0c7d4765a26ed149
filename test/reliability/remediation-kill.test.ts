// Fault: the optimizer process is killed after its remediation job made the AWS call but before it recorded it.
// Injects: a live run stops one idle instance (approved by an operator), executed by an optimizer service process;
//   the moment the simulated account (whose changes are in Redis, shared by every process) shows the instance
//   stopped, the process is frozen, checked to hold the action still "in progress", and killed with SIGKILL. The
//   AWS call the process made after StopInstances (the waiter's DescribeInstances) is slowed down so that moment
//   is wide. Another optimizer worker (in-process) is started then.
// Asserts: the job is recovered; the retry finds the instance already stopped and records the action as applied
//   (confirmed on retry) without calling StopInstances again, with the undo data the killed attempt put on record
//   before StopInstances went out, and the request id if that attempt lived to record AWS's answer (else the record
//   and the audit entry say it was not captured); the action has one final record and one audit entry for its
//   outcome; the run completes; the rollback job starts the instance again, with one StartInstances.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceProcess } from '@finops/cli';
import type { ConfigInput, Ec2Instance, Recommendation } from '@finops/core';
import { remediationDeps, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import {
  actionIdFor,
  decide,
  redisMutationStore,
  remediationStores,
  requestRollback,
  startRun,
  waitForRun,
  type ActionRecord,
  type RemediationDeps,
} from '@finops/remediation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { closeContext, openContext, runScan, sleep, startReplicas, startWorkerProcesses, stopAll, writeConfig } from './harness.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

describe('a remediation job killed between the AWS call and its record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-remediation-kill-'));
  const settings: ConfigInput = {
    aws: { provider: 'simulated', regions: [REGION] },
    // Every call takes 300 ms or more: the waiter's first DescribeInstances after StopInstances too.
    simulation: { seed: 41, accounts: [ACCOUNT], resourcesPerRegion: 30, latencyMs: { min: 300, max: 400 } },
    redis: { prefix: uniquePrefix('remediation-kill'), managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports'), formats: ['json'] },
    costs: { enabled: false },
    safety: { dryRun: false, allowedActions: ['ec2.stop-instance'] },
    workers: { backoffMs: 200, lockDurationMs: 3000, stalledIntervalMs: 1000, concurrency: { discovery: 16 } },
    logging: { level: 'info' },
  };
  let ctx: ServiceContext;
  let deps: RemediationDeps;
  let optimizer: ServiceProcess | undefined;
  const workers: RoleWorkers[] = [];
  let target: Recommendation;
  let runId: string;
  let actionId: string;
  let atKill: ActionRecord | undefined;

  beforeAll(async () => {
    const configFile = writeConfig(dir, settings);
    ctx = await openContext(configFile, testRedisUrl());
    deps = remediationDeps(ctx.deps);
    // The scan (every role in-process), then the optimizer as its own service process for the run.
    const scanners = await startReplicas(ctx, ['discovery', 'analysis', 'optimizer', 'reporter']);
    const { report } = await runScan(ctx, {}, 90_000);
    await Promise.all(scanners.map((w) => w.close()));
    workers.push(...(await startReplicas(ctx, ['discovery', 'analysis', 'reporter'])));
    target = report.recommendations.find((r) => r.action.type === 'ec2.stop-instance' && !r.foldedInto) as Recommendation;
    expect(target, 'an idle instance to stop').toBeDefined();
    await decide(deps, { recommendationIds: [target.id], decision: 'approved', actor: 'operator@test', scanId: report.scanId });

    ({ optimizer } = await startWorkerProcesses(['optimizer'], { configFile, redisUrl: testRedisUrl(), logDir: join(dir, 'logs') }));
    const run = await startRun(deps, { scanId: report.scanId, recommendationIds: [target.id], live: true, actor: 'operator@test', trigger: 'api' });
    runId = run.runId;
    actionId = actionIdFor({ mode: 'live', scanId: run.scanId, runId, recommendationId: target.id, action: target.action });

    // The shared estate shows the instance stopped as soon as StopInstances succeeded in the optimizer process.
    const estate = redisMutationStore(ctx.redis, ctx.config.redis.prefix);
    const stopped = async () => JSON.stringify((await estate.load(ACCOUNT, REGION)).entries[`instances/${target.resourceId}`] ?? {}).includes('"stopped"');
    const until = Date.now() + 60_000;
    while (!(await stopped())) {
      if (Date.now() > until) throw new Error('the optimizer never stopped the instance');
      await sleep(2);
    }
    optimizer?.child.kill('SIGSTOP');
    await sleep(100);
    atKill = await remediationStores(deps).store.getAction(actionId);
    optimizer?.child.kill('SIGKILL');
    await optimizer?.exited;
    workers.push(...(await startReplicas(ctx, ['optimizer'])));
  }, 180_000);

  afterAll(async () => {
    await stopAll(optimizer ? [optimizer] : []);
    await Promise.all(workers.map((w) => w.close()));
    await closeContext(ctx);
  });

  /** Whether the killed process had recorded AWS's answer to StopInstances (the kill lands either side of it). */
  const answered = () => atKill?.sending === undefined;

  it('killed the process after the AWS call, with the action only "in progress" on record, its undo data written first', () => {
    expect(atKill).toMatchObject({ status: 'in-progress', before: { state: 'running' }, undo: { instanceId: target.resourceId, previousState: 'running' } });
    // Either StopInstances is on record as sent and unanswered, or with AWS's answer and request id.
    if (answered()) expect(atKill?.calls).toEqual([expect.objectContaining({ api: 'ec2:StopInstances', ok: true, requestId: expect.any(String) })]);
    else expect(atKill?.sending).toMatchObject({ api: 'ec2:StopInstances', input: { InstanceIds: [target.resourceId] } });
  });

  it('confirms the action as applied on retry, with its undo data, and does not call AWS to stop it again', async () => {
    const progress = await waitForRun(deps, runId, { pollMs: 100, signal: AbortSignal.timeout(60_000) });
    expect(progress.failedJobs).toEqual([]);
    expect(progress.status).toBe('completed');
    const record = await remediationStores(deps).store.getAction(actionId);
    expect(record).toMatchObject({ status: 'applied', before: { state: 'running' }, after: { state: 'stopped' }, undo: { instanceId: target.resourceId, previousState: 'running' } });
    expect(record?.reason).toMatch(/^confirmed on retry: an interrupted attempt had made the change/);
    if (answered()) {
      expect(record?.requestIds).toEqual(atKill?.requestIds);
      expect(record?.lostCalls).toBeUndefined();
    } else {
      expect(record?.requestIds).toBeUndefined();
      expect(record?.lostCalls).toEqual([atKill?.sending]);
      expect(record?.reason).toMatch(/request id not captured: the answer to ec2:StopInstances sent at \S+ was lost/);
    }
    // The retry ran in this process: its simulated AWS saw no second StopInstances.
    expect(ctx.aws.simulator?.stats().calls['ec2.StopInstances'] ?? 0).toBe(0);
  });

  it('records one outcome in the audit trail, with the request id or the word that it was lost', async () => {
    const entries = await remediationStores(deps).audit.list({ actionId });
    expect(entries.map((e) => e.event)).toEqual(['applied']);
    expect(entries[0]).toMatchObject({ actor: 'operator@test', resourceId: target.resourceId, mode: 'live' });
    if (answered()) expect(entries[0]?.requestIds).toEqual(atKill?.requestIds);
    else expect(entries[0]).toMatchObject({ result: expect.stringMatching(/request id not captured/), calls: [expect.objectContaining({ api: 'ec2:StopInstances', note: expect.stringMatching(/request id were lost/) })] });
  });

  it('rolls the action back: the rollback job starts the instance again, once', async () => {
    const { store } = remediationStores(deps);
    await requestRollback(deps, { actionId, actor: 'operator@test' });
    const deadline = Date.now() + 60_000;
    let record = await store.getAction(actionId);
    while (!record?.rollback) {
      if (Date.now() > deadline) throw new Error('the rollback job did not finish');
      await sleep(50);
      record = await store.getAction(actionId);
    }
    expect(record.rollback).toMatchObject({ status: 'rolled-back', by: 'operator@test', after: { state: 'running' } });
    const instances = (await ctx.aws.access.discover('ec2-instance', { accountId: ACCOUNT, region: REGION })) as Ec2Instance[];
    expect(instances.find((i) => i.id === target.resourceId)?.state).toBe('running');
    expect(ctx.aws.simulator?.stats().calls['ec2.StartInstances'] ?? 0).toBe(1);
  });
});
