// Every executor against the simulated account, with params as the checks emit them: a live run applies it, the
// next discovery sees the change, and a rollback restores what it can and says what it cannot. Every mutating call
// goes out with the action's undo data already on record in Redis (what a retry needs if the attempt dies).
import { zipEntryNames, type UndoData } from '@finops/aws';
import type { Ec2Instance, EbsSnapshot, EbsVolume, LambdaFunction, LoadBalancer, NatGateway, RdsInstance, RdsSnapshot, Resource } from '@finops/core';
import { actionIdFor, executeBatch, executeRollback, newRunId, remediationStores, type ActionRecord, type RemediationRun } from '@finops/remediation';
import { emptyFilesZip } from '../../packages/simulator/src/mutations/simulated-package.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, harness, recommend, type Harness, type RecommendationInput } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({ config: { simulation: { resourcesPerRegion: 150 } } });
});
afterAll(() => h?.close());

/** Reads and lists: every other operation changes something. */
const READ_ONLY = /^(Describe|Get|List)/;

/**
 * Applies one recommendation live (its type allowed) and returns its record. Checks on the way that each mutating
 * call reached AWS with undo data on record for the action whenever the action ends with some, the final undo data
 * already there at the last call.
 */
async function apply(input: RecommendationInput): Promise<ActionRecord> {
  const recommendation = recommend(input);
  await h.recommendations([recommendation]);
  h.deps.config = { ...h.deps.config, safety: { ...h.deps.config.safety, allowedActions: [input.type], approvalRequiredFrom: 'high' } };
  const run: RemediationRun = {
    runId: newRunId(),
    scanId: h.plan.scanId,
    mode: 'live',
    actor: 'tester@host',
    trigger: 'cli',
    createdAt: new Date().toISOString(),
    partitions: [{ accountId: ACCOUNT, region: REGION }],
  };
  const { store } = remediationStores(h.deps);
  await store.createRun(run);
  const actionId = actionIdFor({ mode: 'live', scanId: run.scanId, runId: run.runId, recommendationId: recommendation.id, action: recommendation.action });
  const onRecord: { operation: string; undo: UndoData | undefined }[] = [];
  h.faults.beforeEach = async (operation) => {
    if (!READ_ONLY.test(operation)) onRecord.push({ operation, undo: (await store.getAction(actionId))?.undo });
  };
  try {
    const [record] = (await executeBatch(h.deps, { runId: run.runId, accountId: ACCOUNT, region: REGION })).actions;
    if (record?.status === 'applied' && record.undo) {
      expect(onRecord.length, `${input.type} made no mutating call`).toBeGreaterThan(0);
      expect(onRecord.filter((call) => call.undo === undefined).map((call) => call.operation), `${input.type}: calls sent without undo data on record`).toEqual([]);
      expect(onRecord.at(-1)!.undo).toEqual(record.undo);
    }
    return record!;
  } finally {
    h.faults.beforeEach = undefined;
  }
}

const rollback = async (record: ActionRecord) =>
  (await executeRollback(h.deps, { actionId: record.actionId, actor: 'tester@host', requestedAt: new Date().toISOString() })).rollback!;

function scanned<K extends Resource['kind']>(kind: K, where: (r: Extract<Resource, { kind: K }>) => boolean): Extract<Resource, { kind: K }> {
  const found = h.inventory.find((r): r is Extract<Resource, { kind: K }> => r.kind === kind && where(r as Extract<Resource, { kind: K }>));
  if (!found) throw new Error(`the simulated estate has no ${kind} for this case`);
  return found;
}

const now = async <K extends Resource['kind']>(kind: K, id: string) => (await h.discover(kind)).find((r) => r.id === id);

describe('EC2 and EBS executors', () => {
  it('ec2.resize-instance: stop, modify, start; rollback restores the type', async () => {
    const instance = scanned('ec2-instance', (i: Ec2Instance) => i.state === 'running' && i.lifecycle === 'on-demand' && /^(m5|m6i|c5|r5)\.large$/.test(i.instanceType));
    const toType = instance.instanceType.replace('.large', '.xlarge');
    const record = await apply({ resource: instance, type: 'ec2.resize-instance', params: { instanceId: instance.id, fromType: instance.instanceType, toType } });
    expect(record).toMatchObject({ status: 'applied', before: { instanceType: instance.instanceType }, after: { instanceType: toType, state: 'running' } });
    expect(record.calls?.map((c) => c.api)).toEqual(['ec2:StopInstances', 'ec2:ModifyInstanceAttribute', 'ec2:StartInstances']);
    expect(await rollback(record)).toMatchObject({ status: 'rolled-back', after: { instanceType: instance.instanceType, state: 'running' } });
    expect(((await now('ec2-instance', instance.id)) as Ec2Instance).instanceType).toBe(instance.instanceType);
  });

  it('ebs.modify-volume: gp2 to gp3 online; rollback to gp2', async () => {
    const volume = scanned('ebs-volume', (v: EbsVolume) => v.volumeType === 'gp2');
    const record = await apply({ resource: volume, type: 'ebs.modify-volume', params: { volumeId: volume.id, volumeType: 'gp3', iops: 3000, throughputMiBps: 125 } });
    expect(record).toMatchObject({ status: 'applied', after: { volumeType: 'gp3' } });
    expect(await rollback(record)).toMatchObject({ status: 'rolled-back', after: { volumeType: 'gp2' } });
  });

  it('ebs.delete-volume with detachFirst: detach from a stopped instance, snapshot, delete; rollback re-attaches a copy', async () => {
    const volume = scanned('ebs-volume', (v: EbsVolume) => v.attachments.length === 1 && !['/dev/xvda', '/dev/sda1'].includes(v.attachments[0]!.device ?? ''));
    const host = volume.attachments[0]!.instanceId;
    const refused = await apply({ resource: volume, type: 'ebs.delete-volume', params: { volumeId: volume.id, detachFirst: true, snapshotFirst: true } });
    const running = ((await now('ec2-instance', host)) as Ec2Instance).state === 'running';
    expect(refused).toMatchObject(running ? { status: 'skipped', reason: expect.stringMatching(/not stopped: detach it by hand/) } : { status: 'applied' });
    // Its instance is stopped by someone (as the stopped-instance-volume check expects), so detaching is safe.
    await h.tamper('instances', host, { state: 'stopped', stoppedAt: Date.now() });
    const record = await apply({ resource: volume, type: 'ebs.delete-volume', params: { volumeId: volume.id, detachFirst: true, snapshotFirst: true } });
    expect(record.calls?.map((c) => c.api)).toEqual(['ec2:DetachVolume', 'ec2:CreateSnapshot', 'ec2:DeleteVolume']);
    expect(await now('ebs-volume', volume.id)).toBeUndefined();
    const outcome = await rollback(record);
    expect(outcome).toMatchObject({ status: 'partial', message: expect.stringMatching(new RegExp(`re-attached to ${volume.attachments[0]!.instanceId}`)) });
    expect(((await now('ebs-volume', String(outcome.after!.volumeId))) as EbsVolume).attachments[0]?.instanceId).toBe(volume.attachments[0]!.instanceId);
  });

  it('ebs.delete-snapshot: deleted for good, or archived and restored under safety.archiveSnapshots', async () => {
    const unused = h.inventory.filter((s): s is EbsSnapshot => s.kind === 'ebs-snapshot' && s.usedByImages.length === 0 && s.storageTier === 'standard');
    const record = await apply({ resource: unused[0]!, type: 'ebs.delete-snapshot', params: { snapshotId: unused[0]!.id, deregisterImages: '' } });
    expect(record.status).toBe('applied');
    expect(await now('ebs-snapshot', unused[0]!.id)).toBeUndefined();
    expect(await rollback(record)).toMatchObject({ status: 'impossible', message: expect.stringMatching(/cannot be restored/) });

    h.deps.config = { ...h.deps.config, safety: { ...h.deps.config.safety, archiveSnapshots: true } };
    const archived = await apply({ resource: unused[1]!, type: 'ebs.delete-snapshot', params: { snapshotId: unused[1]!.id, deregisterImages: '' } });
    h.deps.config = { ...h.deps.config, safety: { ...h.deps.config.safety, archiveSnapshots: false } };
    expect(archived).toMatchObject({ status: 'applied', after: { storageTier: 'archive' } });
    expect(await rollback(archived)).toMatchObject({ status: 'rolled-back', after: { storageTier: 'standard' } });

    const inUse = scanned('ebs-snapshot', (s: EbsSnapshot) => s.usedByImages.length > 0);
    const refused = await apply({ resource: inUse, type: 'ebs.delete-snapshot', params: { snapshotId: inUse.id, deregisterImages: inUse.usedByImages.join(',') } });
    expect(refused).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/uses the snapshot: deregister it by hand first/) });
  });

  it('ec2.terminate-instance: an AMI first, then terminate; rollback names the AMI to launch from', async () => {
    const instance = scanned('ec2-instance', (i: Ec2Instance) => i.state === 'stopped');
    const record = await apply({ resource: instance, type: 'ec2.terminate-instance', params: { instanceId: instance.id, createImageFirst: true, releaseAddresses: false } });
    expect(record.calls?.map((c) => c.api)).toEqual(['ec2:CreateImage', 'ec2:TerminateInstances']);
    expect(await now('ec2-instance', instance.id)).toBeUndefined();
    const imageId = String(record.undo?.imageId);
    expect((await h.discover('ebs-snapshot')).some((s) => s.usedByImages.includes(imageId))).toBe(true);
    expect(await rollback(record)).toMatchObject({ status: 'impossible', message: expect.stringContaining(imageId) });
  });

  it('ec2.delete-nat-gateway and elb.delete-load-balancer: gone, and a rollback explains why they cannot come back', async () => {
    const gateway = scanned('nat-gateway', (n: NatGateway) => n.state === 'available');
    const nat = await apply({ resource: gateway, type: 'ec2.delete-nat-gateway', params: { natGatewayId: gateway.id, releaseAddresses: false } });
    expect(nat.status).toBe('applied');
    expect(await now('nat-gateway', gateway.id)).toBeUndefined();
    expect(await rollback(nat)).toMatchObject({ status: 'impossible', message: expect.stringMatching(/create a new one in subnet/) });
    for (const type of ['application', 'classic'] as const) {
      const balancer = scanned('load-balancer', (lb: LoadBalancer) => lb.type === type);
      const record = await apply({ resource: balancer, type: 'elb.delete-load-balancer', params: { loadBalancer: balancer.id, type } });
      expect(record.status, type).toBe('applied');
      expect(await now('load-balancer', balancer.id)).toBeUndefined();
      expect((await rollback(record)).status).toBe('impossible');
    }
  });
});

describe('RDS executors', () => {
  it('rds.stop-instance: stopped; rollback starts it', async () => {
    const db = scanned('rds-instance', (d: RdsInstance) => d.status === 'available');
    const record = await apply({ resource: db, type: 'rds.stop-instance', params: { dbInstanceIdentifier: db.id } });
    expect(record).toMatchObject({ status: 'applied', after: { status: 'stopped' }, notes: [expect.stringMatching(/after 7 days/)] });
    expect(await rollback(record)).toMatchObject({ status: 'rolled-back', after: { status: 'available' } });
  });

  it('rds.modify-db-instance: class, storage to gp3, and Multi-AZ off, each rolled back', async () => {
    const classDb = scanned('rds-instance', (d: RdsInstance) => d.dbInstanceClass === 'db.m5.large');
    const resize = await apply({ resource: classDb, type: 'rds.modify-db-instance', params: { dbInstanceIdentifier: classDb.id, fromClass: 'db.m5.large', toClass: 'db.t3.medium' } });
    expect(resize).toMatchObject({ status: 'applied', after: { dbInstanceClass: 'db.t3.medium' } });
    expect(await rollback(resize)).toMatchObject({ status: 'rolled-back', after: { dbInstanceClass: 'db.m5.large' } });
    const gp2 = scanned('rds-instance', (d: RdsInstance) => d.storageType === 'gp2');
    const storage = await apply({ resource: gp2, type: 'rds.modify-db-instance', params: { dbInstanceIdentifier: gp2.id, storageType: 'gp3', iops: 3000 } });
    expect(storage).toMatchObject({ status: 'applied', after: { storageType: 'gp3' } });
    expect((await rollback(storage)).after).toMatchObject({ storageType: 'gp2' });
    const multi = scanned('rds-instance', (d: RdsInstance) => d.multiAz);
    const single = await apply({ resource: multi, type: 'rds.modify-db-instance', params: { dbInstanceIdentifier: multi.id, multiAZ: false } });
    expect(single).toMatchObject({ status: 'applied', after: { multiAz: false } });
    expect((await rollback(single)).after).toMatchObject({ multiAz: true });
  });

  it('rds.delete-db-instance: final snapshot, delete; rollback restores it from the snapshot', async () => {
    const db = scanned('rds-instance', (d: RdsInstance) => d.status === 'available' && !d.multiAz && d.dbInstanceClass === 'db.t3.medium');
    const record = await apply({ resource: db, type: 'rds.delete-db-instance', params: { dbInstanceIdentifier: db.id, finalSnapshot: true } });
    expect(record.status).toBe('applied');
    expect(await now('rds-instance', db.id)).toBeUndefined();
    expect((await h.discover('rds-snapshot')).some((s) => s.id === record.undo?.finalSnapshotId)).toBe(true);
    expect(await rollback(record)).toMatchObject({ status: 'partial', after: { dbInstanceClass: db.dbInstanceClass, status: 'available' } });
    expect(await now('rds-instance', db.id)).toBeDefined();
  });

  it('rds.delete-db-snapshot: deleted, and it cannot come back', async () => {
    const snapshot = scanned('rds-snapshot', (s: RdsSnapshot) => s.status === 'available');
    const record = await apply({ resource: snapshot, type: 'rds.delete-db-snapshot', params: { dbSnapshotIdentifier: snapshot.id } });
    expect(record.status).toBe('applied');
    expect(await now('rds-snapshot', snapshot.id)).toBeUndefined();
    expect((await rollback(record)).status).toBe('impossible');
  });
});

describe('Lambda executors', () => {
  it('lambda.update-function-memory: set and restored', async () => {
    const fn = scanned('lambda-function', (f: LambdaFunction) => f.memoryMb >= 1024);
    const record = await apply({ resource: fn, type: 'lambda.update-function-memory', params: { functionName: fn.id, fromMemoryMb: fn.memoryMb, toMemoryMb: 512 } });
    expect(record).toMatchObject({ status: 'applied', after: { memoryMb: 512 } });
    expect(await rollback(record)).toMatchObject({ status: 'rolled-back', after: { memoryMb: fn.memoryMb } });
  });

  it('lambda.update-function-architecture: moves portable packages, refuses ones with native code', async () => {
    const candidates = h.inventory.filter((f): f is LambdaFunction => f.kind === 'lambda-function' && f.architecture === 'x86_64' && /^(nodejs|python)/.test(f.runtime ?? ''));
    const records: ActionRecord[] = [];
    for (const fn of candidates.slice(0, 8)) records.push(await apply({ resource: fn, type: 'lambda.update-function-architecture', params: { functionName: fn.id, architecture: 'arm64' } }));
    const moved = records.filter((r) => r.status === 'applied');
    const refused = records.filter((r) => r.status === 'failed');
    expect(moved.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(moved[0]).toMatchObject({ after: { architecture: 'arm64' } });
    expect(moved[0]!.calls?.[0]).toMatchObject({ api: 'lambda:UpdateFunctionCode', input: { ZipFile: expect.stringMatching(/^<\d+ bytes>$/), Architectures: ['arm64'] } });
    expect(refused[0]!.reason).toMatch(/native code built for one architecture \(.*\.(so|node)\)/);
    expect(await rollback(moved[0]!)).toMatchObject({ status: 'rolled-back', after: { architecture: 'x86_64' } });
  });

  it('lambda.delete-function: deleted with its package kept; rollback creates it again', async () => {
    // Functions the tests above left alone: they changed Node.js and Python ones, and the first large one's memory.
    const resized = scanned('lambda-function', (f: LambdaFunction) => f.memoryMb >= 1024).id;
    const [fn, big] = h.inventory.filter((f): f is LambdaFunction => f.kind === 'lambda-function' && f.packageType === 'Zip' && !/^(nodejs|python)/.test(f.runtime ?? '') && f.id !== resized);
    // Simulated packages claim sizes up to 40 MB: make one small enough to keep, and one too large.
    await h.tamper('functions', fn!.id, { codeSize: 4096 });
    await h.tamper('functions', big!.id, { codeSize: 5_000_000 });
    const large = await apply({ resource: big!, type: 'lambda.delete-function', params: { functionName: big!.id } });
    expect(await rollback(large)).toMatchObject({ status: 'impossible', message: expect.stringMatching(/package was not kept/) });
    const record = await apply({ resource: fn!, type: 'lambda.delete-function', params: { functionName: fn!.id } });
    expect(record).toMatchObject({ status: 'applied', notes: [expect.stringMatching(/package was kept/)] });
    expect(await now('lambda-function', fn!.id)).toBeUndefined();
    expect(await rollback(record)).toMatchObject({ status: 'partial', after: { memoryMb: fn!.memoryMb, runtime: fn!.runtime } });
    expect(await now('lambda-function', fn!.id)).toMatchObject({ tags: fn!.tags });
  });

  it('reads the file names of a deployment package', () => {
    expect(zipEntryNames(emptyFilesZip(['index.js', 'node_modules/sharp/sharp.node']))).toEqual(['index.js', 'node_modules/sharp/sharp.node']);
    expect(() => zipEntryNames(new Uint8Array(40))).toThrow(/not a zip archive/);
  });
});
