// A remediation job against the simulated account on a real Redis: dry run, live actions and their audit, a resource
// changed since the scan, protected tags, AccessDenied mid-batch, throttling and interrupted attempts, retries that
// never act twice, the per-run limit, approvals and their state, budgets, and rollback.
import type { Ec2Instance, EbsVolume, ElasticIp, Recommendation } from '@finops/core';
import {
  actionIdFor,
  decide,
  executeBatch,
  executeRollback,
  newRunId,
  remediationStores,
  type ActionRecord,
  type RemediationRun,
  type RunMode,
} from '@finops/remediation';
import { afterEach, describe, expect, it } from 'vitest';
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
    expect(byRec(third.actions, release)).toMatchObject({ status: 'already-applied', reason: 'an interrupted attempt had already removed it' });
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
