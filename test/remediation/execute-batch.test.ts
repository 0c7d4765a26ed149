// A remediation job against the simulated account on a real Redis: dry run, live actions and their audit, a resource
// changed since the scan, protected tags, AccessDenied mid-batch, throttling and interrupted attempts, retries that
// never act twice, the per-run limit, approvals and their state, budgets, and rollback — of an action interrupted
// after AWS carried it out too, while a change someone else made gets no undo; an interrupted action completed past a
// gate closed between attempts; a failure after part of an action went through, and the rollback of that part.
import { createRedisConnection, type Ec2Instance, type EbsVolume, type ElasticIp, type Recommendation } from '@finops/core';
import {
  actionIdFor,
  decide,
  executeBatch,
  executeRollback,
  newRunId,
  remediationStores,
  RemediationInputError,
  type ActionRecord,
  type RemediationRun,
  type RunMode,
} from '@finops/remediation';
import { afterEach, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../support/redis.js';
import { ACCOUNT, REGION, harness, recommend, throttling, type Harness } from './harness.js';

const ALL = ['ec2.stop-instance', 'ec2.release-address', 'ebs.delete-volume'];
let benches: Harness[] = [];
afterEach(async () => {
  for (const bench of benches) await bench.close();
  benches = [];
});

async function bench(safety: Record<string, unknown> = {}, simulation: Record<string, unknown> = {}): Promise<Harness> {
  const created = await harness({ config: { safety: { allowedActions: ALL, ...safety }, simulation } });
  benches.push(created);
  return created;
}

function pick(h: Harness) {
  const instance = h.inventory.find((r): r is Ec2Instance => r.kind === 'ec2-instance' && r.state === 'running' && r.lifecycle === 'on-demand')!;
  const volume = h.inventory.find((r): r is EbsVolume => r.kind === 'ebs-volume' && r.state === 'available')!;
  const address = h.inventory.find((r): r is ElasticIp => r.kind === 'elastic-ip' && !r.associationId)!;
  return {
    instance,
    volume,
    address,
    stop: recommend({ resource: instance, type: 'ec2.stop-instance', params: { instanceId: instance.id }, monthlySavingsUsd: 70 }),
    remove: recommend({ resource: volume, type: 'ebs.delete-volume', params: { volumeId: volume.id, snapshotFirst: true }, monthlySavingsUsd: 8 }),
    release: recommend({ resource: address, type: 'ec2.release-address', params: { allocationId: address.allocationId }, monthlySavingsUsd: 3.65 }),
  };
}

async function run(h: Harness, mode: RunMode, extra: Partial<RemediationRun> = {}): Promise<RemediationRun> {
  const runRecord: RemediationRun = {
    runId: newRunId(),
    scanId: h.plan.scanId,
    mode,
    actor: 'tester@host',
    trigger: 'cli',
    createdAt: new Date().toISOString(),
    partitions: [{ accountId: ACCOUNT, region: REGION }],
    ...extra,
  };
  await remediationStores(h.deps).store.createRun(runRecord);
  return runRecord;
}

const batch = (h: Harness, r: RemediationRun) => executeBatch(h.deps, { runId: r.runId, accountId: ACCOUNT, region: REGION });
const byRec = (actions: ActionRecord[], rec: Recommendation) => actions.find((a) => a.recommendationId === rec.id)!;
const calls = (h: Harness, op: string) => h.sim.stats().calls[op] ?? 0;

describe('a dry run', () => {
  it('records the exact calls a live run would make, and changes nothing', async () => {
    const h = await bench({ allowedActions: ['ec2.stop-instance'] });
    const { stop, release, instance } = pick(h);
    await h.recommendations([stop, release]);
    const result = await batch(h, await run(h, 'dry-run'));
    expect(byRec(result.actions, stop)).toMatchObject({
      status: 'planned',
      before: { state: 'running' },
      plannedCalls: [{ api: 'ec2:StopInstances', input: { InstanceIds: [instance.id] } }, { api: 'ec2:DescribeInstances', note: expect.stringMatching(/waiter/) }],
    });
    expect(byRec(result.actions, release)).toMatchObject({ status: 'planned', reason: expect.stringMatching(/not in safety\.allowedActions/) });
    expect(calls(h, 'ec2.StopInstances') + calls(h, 'ec2.ReleaseAddress')).toBe(0);
    expect((await h.discover('ec2-instance')).find((i) => i.id === instance.id)?.state).toBe('running');
    const audit = await remediationStores(h.deps).audit.list({ resourceId: instance.id });
    expect(audit).toEqual([expect.objectContaining({ event: 'planned', mode: 'dry-run', actor: 'tester@host', calls: expect.arrayContaining([expect.objectContaining({ api: 'ec2:StopInstances' })]) })]);
  });
});

describe('a live run', () => {
  it('acts, verifies, audits with request ids, and a retried job reports the first result without calling again', async () => {
    const h = await bench();
    const { stop, remove, release, instance, volume, address } = pick(h);
    await h.recommendations([stop, remove, release]);
    const live = await run(h, 'live');
    const first = await batch(h, live);
    expect(first.actions.map((a) => a.status)).toEqual(['applied', 'applied', 'applied']);
    expect(first.actions.map((a) => a.recommendationId)).toEqual([stop.id, remove.id, release.id]);
    expect(byRec(first.actions, stop)).toMatchObject({ before: { state: 'running' }, after: { state: 'stopped' }, undo: { previousState: 'running' } });
    expect(byRec(first.actions, stop).requestIds).toHaveLength(1);
    expect(byRec(first.actions, remove).calls?.map((c) => c.api)).toEqual(['ec2:CreateSnapshot', 'ec2:DeleteVolume']);
    // The next scan sees what changed.
    expect((await h.discover('ec2-instance')).find((i) => i.id === instance.id)?.state).toBe('stopped');
    expect((await h.discover('ebs-volume')).some((v) => v.id === volume.id)).toBe(false);
    expect((await h.discover('elastic-ip')).some((a) => a.id === address.id)).toBe(false);
    const entry = (await remediationStores(h.deps).audit.list({ resourceId: instance.id }))[0]!;
    expect(entry).toMatchObject({ event: 'applied', mode: 'live', actor: 'tester@host', before: { state: 'running' }, after: { state: 'stopped' } });
    expect(entry.requestIds?.[0]).toMatch(/^[0-9a-f-]{36}$/);

    const stops = calls(h, 'ec2.StopInstances');
    const again = await batch(h, live);
    expect(again.actions.every((a) => a.replayed)).toBe(true);
    expect(again.actions.map((a) => a.requestIds)).toEqual(first.actions.map((a) => a.requestIds));
    // A new run on the same scan lands on the same idempotency keys.
    await batch(h, await run(h, 'live'));
    expect(calls(h, 'ec2.StopInstances')).toBe(stops);
    expect(calls(h, 'ec2.CreateSnapshot')).toBe(1);
  });

  it('skips a resource that changed since the scan, and one with a protected tag', async () => {
    const h = await bench();
    const { stop, release, instance, address } = pick(h);
    await h.recommendations([stop, release]);
    await h.tamper('instances', instance.id, { tags: { ...instance.tags, owner: 'someone-new' } });
    await h.tamper('addresses', address.allocationId, { tags: { ...address.tags, 'finops:protect': '' } });
    const result = await batch(h, await run(h, 'live'));
    expect(byRec(result.actions, stop)).toMatchObject({ status: 'skipped', reason: 'changed since the scan: tag owner added' });
    expect(byRec(result.actions, release)).toMatchObject({ status: 'skipped', reason: 'protected by tag finops:protect' });
    expect(calls(h, 'ec2.StopInstances') + calls(h, 'ec2.ReleaseAddress')).toBe(0);
  });

  it('records AccessDenied against that action and completes the rest of the batch', async () => {
    const h = await bench({}, { denied: [{ action: 'ec2:ReleaseAddress' }] });
    const { stop, remove, release } = pick(h);
    await h.recommendations([stop, remove, release]);
    const result = await batch(h, await run(h, 'live'));
    expect(byRec(result.actions, release)).toMatchObject({ status: 'failed', errorCode: 'UnauthorizedOperation', reason: expect.stringMatching(/grant ec2:ReleaseAddress/) });
    expect([byRec(result.actions, stop).status, byRec(result.actions, remove).status]).toEqual(['applied', 'applied']);
    expect(result.counts).toEqual({ applied: 2, failed: 1 });
  });

  it('throws on throttling for the job to retry; the retry applies once, and finds done what an interrupted attempt did', async () => {
    const h = await bench();
    const { stop, release, address } = pick(h);
    await h.recommendations([stop, release]);
    const live = await run(h, 'live');
    h.faults.failNext('StopInstances', throttling());
    await expect(batch(h, live)).rejects.toMatchObject({ code: 'RequestLimitExceeded', retryable: true });
    expect((await remediationStores(h.deps).store.getAction(actionOf(live, stop)))?.status).toBe('in-progress');
    // The retry: StopInstances goes out once; then the address is released, and the waiter's describe is throttled
    // right after the release reached AWS — the job fails again with the release on record as in progress.
    h.faults.failNext('DescribeAddresses', throttling(), { skip: 1 });
    await expect(batch(h, live)).rejects.toMatchObject({ code: 'RequestLimitExceeded' });
    expect(calls(h, 'ec2.StopInstances')).toBe(1);
    expect(calls(h, 'ec2.ReleaseAddress')).toBe(1);
    const third = await batch(h, live);
    expect(byRec(third.actions, stop)).toMatchObject({ status: 'applied', replayed: true });
    // The platform released it: applied, with the undo data and the request id recorded before the job failed.
    expect(byRec(third.actions, release)).toMatchObject({
      status: 'applied',
      reason: 'confirmed on retry: an interrupted attempt had made the change (the resource is gone)',
      undo: { allocationId: address.allocationId, publicIp: address.publicIp },
      calls: [{ api: 'ec2:ReleaseAddress', ok: true }],
    });
    expect(byRec(third.actions, release).requestIds).toHaveLength(1);
    expect(calls(h, 'ec2.ReleaseAddress')).toBe(1);
    expect((await h.discover('elastic-ip')).some((a) => a.id === address.id)).toBe(false);
  });

  it('stops at safety.maxActionsPerRun and reports the rest as pending', async () => {
    const h = await bench({ maxActionsPerRun: 1 });
    const { stop, remove, release } = pick(h);
    await h.recommendations([stop, remove, release]);
    const result = await batch(h, await run(h, 'live'));
    expect(result.actions.map((a) => a.status)).toEqual(['applied', 'pending', 'pending']);
    expect(result.actions[1]!.reason).toMatch(/safety\.maxActionsPerRun \(1\) reached/);
  });

  it('leaves recommendations an operator dismissed alone', async () => {
    const h = await bench();
    const { stop, release } = pick(h);
    await h.recommendations([stop, release]);
    h.deps.dismissed = async (ids) => new Map(ids.filter((id) => id === stop.id).map((id) => [id, 'kept for the demo (by alice)']));
    const result = await batch(h, await run(h, 'live'));
    expect(byRec(result.actions, stop)).toMatchObject({ status: 'skipped', reason: 'dismissed: kept for the demo (by alice)' });
    expect(byRec(result.actions, release).status).toBe('applied');
  });

  it('keeps action kinds outside safety.allowedActions as recommendations', async () => {
    const h = await bench({ allowedActions: ['ec2.release-address'] });
    const { stop, release } = pick(h);
    await h.recommendations([stop, release]);
    const result = await batch(h, await run(h, 'live'));
    expect(byRec(result.actions, stop)).toMatchObject({ status: 'not-allowed', reason: expect.stringMatching(/not in safety\.allowedActions/) });
    expect(byRec(result.actions, release).status).toBe('applied');
  });
});

/** The action id a run gives a recommendation. */
function actionOf(live: RemediationRun, rec: Recommendation): string {
  return actionIdFor({ mode: live.mode, scanId: live.scanId, runId: live.runId, recommendationId: rec.id, action: rec.action });
}

/** A bench with a running instance recommended to stop, the live run that takes it, and the id of its action. */
async function liveStop(): Promise<{ h: Harness; instance: Ec2Instance; live: RemediationRun; actionId: string }> {
  const h = await bench();
  const { stop, instance } = pick(h);
  await h.recommendations([stop]);
  const live = await run(h, 'live');
  return { h, instance, live, actionId: actionOf(live, stop) };
}

/** A job attempt of the live run that fails on throttled `operation` after `skip` calls of it went through. */
async function throttledAttempt(h: Harness, live: RemediationRun, operation: string, skip = 0): Promise<void> {
  h.faults.failNext(operation, throttling(), { skip });
  await expect(batch(h, live)).rejects.toMatchObject({ code: 'RequestLimitExceeded' });
}

describe('approvals', () => {
  it('are required from medium risk; a recorded approval lets the action run and is audited with it', async () => {
    const h = await bench();
    const { instance } = pick(h);
    const stop = recommend({ resource: instance, type: 'ec2.stop-instance', params: { instanceId: instance.id }, risk: 'medium' });
    await h.recommendations([stop]);
    const first = await batch(h, await run(h, 'live'));
    expect(first.actions[0]).toMatchObject({ status: 'needs-approval', reason: expect.stringMatching(/risk medium .* no approval recorded/) });
    const [approval] = await decide(h.deps, { recommendationIds: [stop.id], decision: 'approved', actor: 'alice@host' });
    expect(approval).toMatchObject({ actor: 'alice@host', scanId: h.plan.scanId, facts: { state: 'running' }, evidence: { planted: true } });
    const second = await batch(h, await run(h, 'live'));
    expect(second.actions[0]).toMatchObject({ status: 'applied', approval: { by: 'alice@host', auto: false } });
    const events = (await remediationStores(h.deps).audit.list({ resourceId: instance.id })).map((e) => e.event);
    expect(events).toEqual(['applied', 'approved', 'needs-approval']);
  });

  it('are void once the resource changed, and a rejection skips the action with its reason', async () => {
    const h = await bench();
    const { instance, address } = pick(h);
    const stop = recommend({ resource: instance, type: 'ec2.stop-instance', params: { instanceId: instance.id }, risk: 'high' });
    const release = recommend({ resource: address, type: 'ec2.release-address', params: { allocationId: address.allocationId }, risk: 'medium' });
    await h.recommendations([stop, release]);
    await decide(h.deps, { recommendationIds: [stop.id], decision: 'approved', actor: 'alice@host' });
    await decide(h.deps, { recommendationIds: [release.id], decision: 'rejected', actor: 'bob@host', reason: 'kept for the migration' });
    await expect(decide(h.deps, { recommendationIds: [release.id], decision: 'rejected', actor: 'bob@host' })).rejects.toThrow(/needs a reason/);
    await expect(decide(h.deps, { recommendationIds: ['rec_ffffffffffffffff'], decision: 'approved', actor: 'bob@host' })).rejects.toThrow(/no open recommendation rec_ffffffffffffffff/);
    // Someone resizes the instance after the approval: the approval no longer holds.
    await h.tamper('instances', instance.id, { instanceType: 'm5.4xlarge', family: 'm5' });
    const result = await batch(h, await run(h, 'live'));
    expect(byRec(result.actions, stop)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/changed since the scan: instanceType/) });
    expect(byRec(result.actions, release)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/rejected by bob@host .*: kept for the migration/) });
  });

  it('are needed for any action while a budget holds remediation, except low-risk kinds auto-approved on a schedule', async () => {
    const h = await bench({ autoApprove: ['ec2.release-address'] });
    h.deps.budgets = { holding: async () => ['platform'] };
    const { stop, release } = pick(h);
    await h.recommendations([stop, release]);
    const manual = await batch(h, await run(h, 'live'));
    expect(manual.actions.map((a) => [a.status, a.reason])).toEqual([
      ['needs-approval', expect.stringMatching(/budget platform is over its approval threshold/)],
      ['needs-approval', expect.stringMatching(/budget platform/)],
    ]);
    const scheduled = await batch(h, await run(h, 'live', { trigger: 'schedule:nightly' }));
    expect(byRec(scheduled.actions, release)).toMatchObject({ status: 'applied', approval: { by: 'safety.autoApprove', auto: true } });
    expect(byRec(scheduled.actions, stop).status).toBe('needs-approval');
  });
});

describe('rollback', () => {
  it('undoes what can be undone and explains what cannot, in the audit trail too', async () => {
    const h = await bench();
    const { stop, remove, release, instance, volume } = pick(h);
    await h.recommendations([stop, remove, release]);
    const result = await batch(h, await run(h, 'live'));
    const rollback = (rec: Recommendation) => executeRollback(h.deps, { actionId: byRec(result.actions, rec).actionId, actor: 'carol@host', requestedAt: new Date().toISOString() });

    expect((await rollback(stop)).rollback).toMatchObject({ status: 'rolled-back', by: 'carol@host', after: { state: 'running' } });
    expect((await h.discover('ec2-instance')).find((i) => i.id === instance.id)?.state).toBe('running');

    const restored = (await rollback(remove)).rollback!;
    expect(restored).toMatchObject({ status: 'partial', message: expect.stringMatching(new RegExp(`restored ${volume.id} as new volume vol-`)) });
    const volumes = await h.discover('ebs-volume');
    expect(volumes.find((v) => v.id === restored.after!.volumeId)).toMatchObject({ sizeGiB: volume.sizeGiB, volumeType: volume.volumeType, tags: expect.objectContaining({ 'finops:restored-from': volume.id }) });

    // The simulated account can recover the address it released; AWS may not.
    expect((await rollback(release)).rollback).toMatchObject({ status: 'partial', message: expect.stringMatching(/recovered public IP/) });
    // A second request reports the finished rollback without calling AWS again.
    const starts = calls(h, 'ec2.StartInstances');
    expect((await rollback(stop)).rollback?.status).toBe('rolled-back');
    expect(calls(h, 'ec2.StartInstances')).toBe(starts);
    const events = await remediationStores(h.deps).audit.list({ resourceId: instance.id });
    expect(events[0]).toMatchObject({ event: 'rollback', actor: 'carol@host', result: expect.stringMatching(/^rolled-back: started instance/) });
  });
});

describe('an action interrupted after AWS carried it out', () => {
  const rollback = (h: Harness, actionId: string) => executeRollback(h.deps, { actionId, actor: 'carol@host', requestedAt: new Date().toISOString() });
  const stateOf = async (h: Harness, id: string) => (await h.discover('ec2-instance')).find((i) => i.id === id)?.state;

  it('is applied on retry with the undo data and request id recorded before the job failed; a rollback starts it once', async () => {
    const { h, instance, live, actionId } = await liveStop();
    const { store, audit } = remediationStores(h.deps);
    // StopInstances goes through, the waiter's describe sees the instance stopped, the describe verifying it is throttled.
    await throttledAttempt(h, live, 'DescribeInstances', 2);
    const intent = await store.getAction(actionId);
    expect(intent).toMatchObject({
      status: 'in-progress',
      before: { state: 'running' },
      undo: { instanceId: instance.id, previousState: 'running' },
      calls: [{ api: 'ec2:StopInstances', ok: true }],
    });
    expect(intent?.sending).toBeUndefined();
    const requestId = intent!.requestIds![0]!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    const retried = await batch(h, live);
    expect(retried.counts).toEqual({ applied: 1 });
    const record = await store.getAction(actionId);
    expect(record).toMatchObject({
      status: 'applied',
      before: { state: 'running' },
      after: { state: 'stopped' },
      undo: { instanceId: instance.id, previousState: 'running' },
      requestIds: [requestId],
      reason: 'confirmed on retry: an interrupted attempt had made the change (the instance is already stopped)',
    });
    expect(calls(h, 'ec2.StopInstances')).toBe(1);
    const entries = await audit.list({ actionId });
    expect(entries.map((e) => e.event)).toEqual(['applied']);
    expect(entries[0]).toMatchObject({ requestIds: [requestId], result: expect.stringMatching(/^applied: confirmed on retry/) });
    // Counted among the live actions applied (the report's `actions.applied`).
    expect((await store.appliedBetween(new Date(0), new Date())).map((r) => r.actionId)).toEqual([actionId]);

    expect((await rollback(h, actionId)).rollback).toMatchObject({ status: 'rolled-back', after: { state: 'running' } });
    expect(await stateOf(h, instance.id)).toBe('running');
    expect(calls(h, 'ec2.StartInstances')).toBe(1);
    expect((await rollback(h, actionId)).rollback?.status).toBe('rolled-back');
    expect(calls(h, 'ec2.StartInstances')).toBe(1);
  });

  it('says the request id was not captured when the attempt died before recording AWS\'s answer, and stays reversible', async () => {
    const { h, instance, live, actionId } = await liveStop();
    const { store, audit } = remediationStores(h.deps);
    // The attempt's own Redis connection is cut the moment AWS answered StopInstances: it records nothing after
    // that, as when its process is killed there.
    const doomed = createRedisConnection(testRedisUrl(), { role: 'producer', name: 'remediation-doomed-attempt' });
    h.faults.afterNext('StopInstances', () => doomed.disconnect());
    await expect(executeBatch({ ...h.deps, redis: doomed }, { runId: live.runId, accountId: ACCOUNT, region: REGION })).rejects.toThrow(/Connection is closed/);
    expect(await stateOf(h, instance.id)).toBe('stopped');
    const intent = await store.getAction(actionId);
    expect(intent).toMatchObject({ status: 'in-progress', sending: { api: 'ec2:StopInstances' }, undo: { instanceId: instance.id, previousState: 'running' } });
    expect(intent?.calls).toBeUndefined();
    // The dead attempt's lease runs out (with its job's lock).
    await h.redis.del(`${h.prefix}:remediation:lock:${actionId}`);

    expect((await batch(h, live)).counts).toEqual({ applied: 1 });
    const record = (await store.getAction(actionId))!;
    expect(record).toMatchObject({
      status: 'applied',
      after: { state: 'stopped' },
      undo: { instanceId: instance.id, previousState: 'running' },
      lostCalls: [{ api: 'ec2:StopInstances', input: { InstanceIds: [instance.id] } }],
    });
    expect(record.sending).toBeUndefined();
    expect(record.requestIds).toBeUndefined();
    expect(record.reason).toMatch(/^confirmed on retry: .*; request id not captured: the answer to ec2:StopInstances sent at \S+ was lost when the attempt was interrupted/);
    const [entry, ...others] = await audit.list({ actionId });
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      event: 'applied',
      result: expect.stringMatching(/request id not captured/),
      calls: [{ api: 'ec2:StopInstances', note: expect.stringMatching(/its answer and request id were lost/) }],
    });
    expect(entry!.requestIds).toBeUndefined();
    expect(calls(h, 'ec2.StopInstances')).toBe(1);

    expect((await rollback(h, actionId)).rollback).toMatchObject({ status: 'rolled-back' });
    expect(await stateOf(h, instance.id)).toBe('running');
    expect(calls(h, 'ec2.StartInstances')).toBe(1);
  });

  it('gets no undo when someone else stopped the instance while the interrupted attempt had not reached AWS', async () => {
    const { h, instance, live, actionId } = await liveStop();
    const { store } = remediationStores(h.deps);
    await throttledAttempt(h, live, 'StopInstances');
    // The intent holds the undo data it was about to need, and the refused call: AWS changed nothing.
    expect(await store.getAction(actionId)).toMatchObject({ status: 'in-progress', undo: { instanceId: instance.id }, calls: [{ api: 'ec2:StopInstances', ok: false }] });
    await h.tamper('instances', instance.id, { state: 'stopped', stoppedAt: Date.now() });

    const record = (await batch(h, live)).actions[0]!;
    expect(record).toMatchObject({ status: 'skipped', before: { state: 'stopped' }, reason: expect.stringMatching(/^nothing to do: the instance is already stopped; .* someone else's and has no undo here$/) });
    expect(record.undo).toBeUndefined();
    expect(await store.getAction(actionId)).toEqual(record);
    expect(calls(h, 'ec2.StopInstances')).toBe(0);
    await expect(rollback(h, actionId)).rejects.toThrow(RemediationInputError);
    await expect(rollback(h, actionId)).rejects.toThrow(/was not applied \(skipped: nothing to do/);
    expect(calls(h, 'ec2.StartInstances')).toBe(0);
  });

  it('gets no undo when the instance was stopped by hand before the platform acted', async () => {
    const h = await bench();
    const { stop, instance } = pick(h);
    await h.recommendations([stop]);
    await h.tamper('instances', instance.id, { state: 'stopped', stoppedAt: Date.now() });
    const live = await run(h, 'live');
    const record = (await batch(h, live)).actions[0]!;
    expect(record).toMatchObject({ status: 'skipped', before: { state: 'stopped' }, reason: 'changed since the scan: state "running" → "stopped"' });
    expect(record.undo).toBeUndefined();
    await expect(rollback(h, record.actionId)).rejects.toThrow(/was not applied \(skipped: changed since the scan/);
    expect(calls(h, 'ec2.StopInstances') + calls(h, 'ec2.StartInstances')).toBe(0);
    expect(await stateOf(h, instance.id)).toBe('stopped');
  });
});

describe('an interrupted action whose gate closed before its retry', () => {
  // Each case: the StopInstances of a medium-risk, approved action goes through, the verifying describe is throttled,
  // and the gate changes before the job's retry. The retry completes the action from its intent.
  const gates: [string, RegExp, (h: Harness, stop: Recommendation) => void][] = [
    ['an operator dismissed the recommendation', /not re-evaluated now: skipped \(dismissed: kept after all \(by alice\)\)/, (h, stop) => {
      h.deps.dismissed = async (ids) => new Map(ids.filter((id) => id === stop.id).map((id) => [id, 'kept after all (by alice)']));
    }],
    ['safety.allowedActions no longer lists it', /not re-evaluated now: not-allowed \(ec2\.stop-instance is not in safety\.allowedActions/, (h) => {
      h.deps.config = { ...h.deps.config, safety: { ...h.deps.config.safety, allowedActions: ['ec2.release-address'] } };
    }],
    ['the approval expired', /not re-evaluated now: needs-approval \(risk medium .*the approval by alice@host is 31 days old/, (h) => {
      const later = Date.now() + 31 * 86_400_000;
      h.deps.now = () => new Date(later);
    }],
  ];

  it.each(gates)('is applied with its undo data when %s, and the audit entry says why', async (_case, note, closeGate) => {
    const h = await bench();
    const { instance } = pick(h);
    const stop = recommend({ resource: instance, type: 'ec2.stop-instance', params: { instanceId: instance.id }, risk: 'medium' });
    await h.recommendations([stop]);
    await decide(h.deps, { recommendationIds: [stop.id], decision: 'approved', actor: 'alice@host' });
    const live = await run(h, 'live');
    const actionId = actionOf(live, stop);
    await throttledAttempt(h, live, 'DescribeInstances', 2);
    closeGate(h, stop);

    const record = (await batch(h, live)).actions[0]!;
    expect(record).toMatchObject({
      status: 'applied',
      before: { state: 'running' },
      undo: { instanceId: instance.id, previousState: 'running' },
      calls: [{ api: 'ec2:StopInstances', ok: true }],
      approval: { by: 'alice@host', auto: false },
      reason: expect.stringMatching(/^confirmed on retry: an interrupted attempt had made the change/),
    });
    expect(record.reason).toMatch(note);
    expect(calls(h, 'ec2.StopInstances')).toBe(1);
    const { audit } = remediationStores(h.deps);
    const entries = await audit.list({ actionId });
    expect(entries.map((e) => e.event)).toEqual(['applied']);
    expect(entries[0]!.result).toMatch(note);

    expect((await executeRollback(h.deps, { actionId, actor: 'carol@host', requestedAt: new Date().toISOString() })).rollback).toMatchObject({ status: 'rolled-back' });
    expect((await h.discover('ec2-instance')).find((i) => i.id === instance.id)?.state).toBe('running');
    expect(calls(h, 'ec2.StartInstances')).toBe(1);
  });

  it('still stops at the gate an action not yet begun (its interrupted attempt never reached AWS)', async () => {
    const { h, live } = await liveStop();
    await throttledAttempt(h, live, 'StopInstances');
    h.deps.config = { ...h.deps.config, safety: { ...h.deps.config.safety, allowedActions: [] } };
    const record = (await batch(h, live)).actions[0]!;
    expect(record).toMatchObject({ status: 'not-allowed', reason: 'ec2.stop-instance is not in safety.allowedActions: it stays a recommendation' });
    expect(calls(h, 'ec2.StopInstances')).toBe(0);
  });

  it('is never touched again once protected, but keeps the undo of what it did', async () => {
    const { h, instance, live } = await liveStop();
    await throttledAttempt(h, live, 'DescribeInstances', 2);
    await h.tamper('instances', instance.id, { tags: { ...instance.tags, 'finops:protect': 'yes' } });
    const record = (await batch(h, live)).actions[0]!;
    expect(record).toMatchObject({
      status: 'failed',
      partiallyApplied: true,
      undo: { instanceId: instance.id, previousState: 'running' },
      reason: expect.stringMatching(/^protected by tag finops:protect since its interrupted attempt: no further call was made; applied in part: ec2:StopInstances went through/),
    });
    expect(calls(h, 'ec2.StopInstances')).toBe(1);
  });
});

describe('a permanent failure after part of the action went through', () => {
  it('keeps the undo of that part: a resize whose modify is denied is rolled back to running, once', async () => {
    const h = await bench({ allowedActions: ['ec2.resize-instance'] }, { resourcesPerRegion: 150, denied: [{ action: 'ec2:ModifyInstanceAttribute' }] });
    const instance = h.inventory.find((r): r is Ec2Instance => r.kind === 'ec2-instance' && r.state === 'running' && r.lifecycle === 'on-demand' && /^(m5|m6i|c5|r5)\.large$/.test(r.instanceType))!;
    expect(instance, 'a resizable instance').toBeDefined();
    const toType = instance.instanceType.replace('.large', '.xlarge');
    const resize = recommend({ resource: instance, type: 'ec2.resize-instance', params: { instanceId: instance.id, fromType: instance.instanceType, toType } });
    await h.recommendations([resize]);
    const live = await run(h, 'live');
    const actionId = actionOf(live, resize);

    const record = (await batch(h, live)).actions[0]!;
    expect(record).toMatchObject({
      status: 'failed',
      partiallyApplied: true,
      errorCode: 'UnauthorizedOperation',
      before: { state: 'running', instanceType: instance.instanceType },
      undo: { instanceId: instance.id, previousInstanceType: instance.instanceType, wasRunning: true },
      calls: [{ api: 'ec2:StopInstances', ok: true }, { api: 'ec2:ModifyInstanceAttribute', ok: false }],
      reason: expect.stringMatching(new RegExp(`applied in part: ec2:StopInstances went through — \`finops rollback ${actionId}\` reverses it$`)),
    });
    const instanceNow = async () => (await h.discover('ec2-instance')).find((i) => i.id === instance.id)!;
    expect(await instanceNow()).toMatchObject({ state: 'stopped', instanceType: instance.instanceType });
    const { store, audit } = remediationStores(h.deps);
    expect((await audit.list({ actionId }))[0]).toMatchObject({ event: 'failed', result: expect.stringMatching(/applied in part/) });
    // Neither a retried job nor a later run on the same scan redoes it or loses its undo data.
    expect((await batch(h, live)).actions[0]).toMatchObject({ status: 'failed', partiallyApplied: true, replayed: true });
    expect((await batch(h, await run(h, 'live'))).actions[0]).toMatchObject({ status: 'failed', partiallyApplied: true, replayed: true });
    expect(await store.getAction(actionId)).toEqual(record);
    expect(calls(h, 'ec2.StopInstances')).toBe(1);

    const rollback = () => executeRollback(h.deps, { actionId, actor: 'carol@host', requestedAt: new Date().toISOString() });
    expect((await rollback()).rollback).toMatchObject({
      status: 'rolled-back',
      message: expect.stringMatching(/^the action was applied in part \(ec2:StopInstances\): instance .* is .*\.large again/),
      after: { state: 'running', instanceType: instance.instanceType },
    });
    expect(await instanceNow()).toMatchObject({ state: 'running', instanceType: instance.instanceType });
    expect(calls(h, 'ec2.StartInstances')).toBe(1);
    expect((await rollback()).rollback?.status).toBe('rolled-back');
    expect(calls(h, 'ec2.StartInstances')).toBe(1);
    // The refused modify was the only one: the rollback found the type unchanged and only started the instance.
    expect(calls(h, 'ec2.ModifyInstanceAttribute')).toBe(1);
  });

  it('rolls back a volume delete refused after its final snapshot without restoring a copy of a volume still there', async () => {
    const h = await bench({}, { denied: [{ action: 'ec2:DeleteVolume' }] });
    const { remove, volume } = pick(h);
    await h.recommendations([remove]);
    const record = (await batch(h, await run(h, 'live'))).actions[0]!;
    expect(record).toMatchObject({
      status: 'failed',
      partiallyApplied: true,
      undo: { volumeId: volume.id, snapshotId: expect.stringMatching(/^snap-/) },
      calls: [{ api: 'ec2:CreateSnapshot', ok: true }, { api: 'ec2:DeleteVolume', ok: false }],
    });
    const rolled = await executeRollback(h.deps, { actionId: record.actionId, actor: 'carol@host', requestedAt: new Date().toISOString() });
    expect(rolled.rollback).toMatchObject({ status: 'rolled-back', message: `the action was applied in part (ec2:CreateSnapshot): volume ${volume.id} was not deleted (it was not attached)` });
    expect(calls(h, 'ec2.CreateVolume')).toBe(0);
    expect((await h.discover('ebs-volume')).filter((v) => v.id === volume.id || v.tags['finops:restored-from'] === volume.id).map((v) => v.id)).toEqual([volume.id]);
  });
});
