// Executors against aws-sdk-client-mock: the exact calls, request ids, waiters, failures, retries and rollbacks.
import {
  AllocateAddressCommand,
  CreateSnapshotCommand,
  DeleteVolumeCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  ModifyVolumeCommand,
  ReleaseAddressCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type Instance,
  type Volume,
} from '@aws-sdk/client-ec2';
import { GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, ListTagsCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { AwsAccessError } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { awsError } from '../__fixtures__/fake-aws.js';
import { FAKE_CREDENTIALS } from '../__fixtures__/test-access.js';
import { createActionContext, type ActionContext } from './action-context.js';
import { deleteVolume } from './delete-volume.js';
import { releaseAddress } from './release-address.js';
import { resizeInstance } from './resize-instance.js';
import { stopInstance } from './stop-instance.js';
import { modifyVolume } from './modify-volume.js';
import { updateFunctionMemory, updateFunctionArchitecture } from './lambda-actions.js';
import { typeChangeProblem } from './instance-type-compatibility.js';

const ec2 = mockClient(EC2Client);
const lambda = mockClient(LambdaClient);
afterEach(() => {
  ec2.reset();
  lambda.reset();
});

const SCOPE = { accountId: '111111111111', region: 'eu-west-1' };
const CLIENTS = { ec2: EC2Client, lambda: LambdaClient } as const;

function context(actionId = 'act_0123456789abcdef01234567'): ActionContext {
  return createActionContext({
    access: {
      client: async (service) => new (CLIENTS[service as keyof typeof CLIENTS] as unknown as new (c: object) => never)({ region: SCOPE.region, credentials: FAKE_CREDENTIALS }),
    },
    scope: SCOPE,
    actionId,
    waiter: { maxWaitTime: 2, minDelay: 0.01, maxDelay: 0.02 },
  });
}

const meta = (requestId: string) => ({ $metadata: { requestId, httpStatusCode: 200 } });
const instance = (state: string, type = 'm5.large', extra: Partial<Instance> = {}): { Reservations: { Instances: Instance[] }[] } => ({
  Reservations: [{ Instances: [{ InstanceId: 'i-0abc', InstanceType: type as Instance['InstanceType'], State: { Name: state as never }, Tags: [{ Key: 'team', Value: 'data' }], EnaSupport: true, ...extra }] }],
});
const volume = (extra: Partial<Volume> = {}): { Volumes: Volume[] } => ({
  Volumes: [{ VolumeId: 'vol-0abc', VolumeType: 'gp2', Size: 100, State: 'available', Attachments: [], AvailabilityZone: 'eu-west-1a', Encrypted: false, ...extra }],
});

describe('ec2.stop-instance', () => {
  it('stops a running instance, waits for stopped, and records the call with its request id', async () => {
    ec2.on(DescribeInstancesCommand).resolvesOnce(instance('running')).resolves(instance('stopped'));
    ec2.on(StopInstancesCommand).resolves({ ...meta('req-stop-1'), StoppingInstances: [] });
    const ctx = context();
    const params = stopInstance.parseParams({ instanceId: 'i-0abc' }, 'i-0abc');
    const observed = (await stopInstance.describe(ctx, params))!;
    expect(stopInstance.readiness(observed, params)).toEqual({ state: 'ready' });
    expect(stopInstance.plan(observed, params, ctx.actionId).map((c) => c.api)).toEqual(['ec2:StopInstances', 'ec2:DescribeInstances']);
    const applied = await stopInstance.apply(ctx, observed, params);
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(1);
    expect(ec2.commandCalls(StopInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-0abc'] });
    expect(ctx.calls).toEqual([expect.objectContaining({ api: 'ec2:StopInstances', ok: true, requestId: 'req-stop-1' })]);
    expect(stopInstance.facts(applied.after!.resource as never)).toMatchObject({ state: 'stopped' });
    expect(applied.undo).toEqual({ instanceId: 'i-0abc', previousState: 'running' });
  });

  it('reads a stopped instance as done, and refuses spot instances', async () => {
    ec2.on(DescribeInstancesCommand).resolves(instance('stopped'));
    const params = { instanceId: 'i-0abc' };
    expect(stopInstance.readiness((await stopInstance.describe(context(), params))!, params)).toMatchObject({ state: 'done' });
    ec2.on(DescribeInstancesCommand).resolves(instance('running', 'm5.large', { InstanceLifecycle: 'spot' }));
    expect(stopInstance.readiness((await stopInstance.describe(context(), params))!, params)).toMatchObject({ state: 'blocked', reason: expect.stringMatching(/spot/) });
  });

  it('turns AccessDenied into a permanent AwsAccessError and throttling into a retryable one, both recorded', async () => {
    ec2.on(DescribeInstancesCommand).resolves(instance('running'));
    ec2.on(StopInstancesCommand).rejectsOnce(awsError('UnauthorizedOperation', 403)).rejectsOnce(awsError('RequestLimitExceeded', 503));
    const params = { instanceId: 'i-0abc' };
    const ctx = context();
    const observed = (await stopInstance.describe(ctx, params))!;
    const denied = await stopInstance.apply(ctx, observed, params).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AwsAccessError);
    expect(denied).toMatchObject({ code: 'UnauthorizedOperation', retryable: false, action: 'ec2:StopInstances' });
    const throttled = await stopInstance.apply(ctx, observed, params).catch((e: unknown) => e);
    expect(throttled).toMatchObject({ code: 'RequestLimitExceeded', retryable: true });
    expect(ctx.calls.map((c) => [c.ok, c.errorCode])).toEqual([
      [false, 'UnauthorizedOperation'],
      [false, 'RequestLimitExceeded'],
    ]);
  });

  it('puts its undo data and each call on record before the call goes out, and sends nothing that could not be recorded', async () => {
    const events: string[] = [];
    ec2.on(DescribeInstancesCommand).resolvesOnce(instance('running')).resolves(instance('stopped'));
    ec2.on(StopInstancesCommand).callsFake(() => {
      events.push('AWS: StopInstances');
      return { ...meta('req-stop-2'), StoppingInstances: [] };
    });
    const recording = (refuse: boolean) =>
      createActionContext({
        access: { client: async () => new EC2Client({ region: SCOPE.region, credentials: FAKE_CREDENTIALS }) as never },
        scope: SCOPE,
        actionId: 'act_0123456789abcdef01234567',
        waiter: { maxWaitTime: 2, minDelay: 0.01, maxDelay: 0.02 },
        onUndo: async (undo) => void events.push(`undo ${JSON.stringify(undo)}`),
        beforeCall: async (call) => {
          if (refuse) throw new Error('Connection is closed.');
          events.push(`sending ${call.api}`);
        },
        onCall: async (call) => void events.push(`answered ${call.api} ${call.requestId}`),
      });
    const params = { instanceId: 'i-0abc' };
    const ctx = recording(false);
    await stopInstance.apply(ctx, (await stopInstance.describe(ctx, params))!, params);
    expect(events).toEqual([
      'undo {"instanceId":"i-0abc","previousState":"running"}',
      'sending ec2:StopInstances',
      'AWS: StopInstances',
      'answered ec2:StopInstances req-stop-2',
    ]);
    // The intent cannot be written: the call is never sent.
    events.length = 0;
    ec2.on(DescribeInstancesCommand).resolves(instance('running'));
    const refused = recording(true);
    await expect(stopInstance.apply(refused, (await stopInstance.describe(refused, params))!, params)).rejects.toThrow('Connection is closed.');
    expect(events).toEqual(['undo {"instanceId":"i-0abc","previousState":"running"}']);
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(1);
  });

  it('rolls back by starting the instance again', async () => {
    ec2.on(DescribeInstancesCommand).resolvesOnce(instance('stopped')).resolves(instance('running'));
    ec2.on(StartInstancesCommand).resolves(meta('req-start'));
    const outcome = await stopInstance.undo(context(), { instanceId: 'i-0abc', previousState: 'running' });
    expect(outcome).toMatchObject({ status: 'rolled-back', after: { state: 'running' } });
    expect(ec2.commandCalls(StartInstancesCommand)).toHaveLength(1);
  });
});

describe('ec2.resize-instance', () => {
  it('stops, modifies and starts; after an interruption it makes only the calls still needed', async () => {
    ec2.on(DescribeInstancesCommand).resolves(instance('stopped', 'm5.large'));
    ec2.on(ModifyInstanceAttributeCommand).callsFake(() => {
      ec2.on(DescribeInstancesCommand).resolves(instance('stopped', 'm5.xlarge'));
      return meta('req-modify');
    });
    ec2.on(StartInstancesCommand).callsFake(() => {
      ec2.on(DescribeInstancesCommand).resolves(instance('running', 'm5.xlarge'));
      return meta('req-start');
    });
    const params = resizeInstance.parseParams({ instanceId: 'i-0abc', fromType: 'm5.large', toType: 'm5.xlarge' }, 'i-0abc');
    const ctx = context();
    // An earlier attempt stopped the running instance and died: the retry modifies and starts, and does not stop again.
    const resume = { before: { state: 'running', instanceType: 'm5.large' } };
    const observed = (await resizeInstance.describe(ctx, params))!;
    expect(resizeInstance.readiness(observed, params, resume)).toEqual({ state: 'ready' });
    const applied = await resizeInstance.apply(ctx, observed, params, resume);
    expect(ctx.calls.map((c) => c.api)).toEqual(['ec2:ModifyInstanceAttribute', 'ec2:StartInstances']);
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(0);
    expect(applied.undo).toEqual({ instanceId: 'i-0abc', previousInstanceType: 'm5.large', wasRunning: true });
  });

  it('refuses incompatible targets and a type other than the recommended one', async () => {
    ec2.on(DescribeInstancesCommand).resolves(instance('running', 'm5.large'));
    const observed = (await resizeInstance.describe(context(), { instanceId: 'i-0abc', toType: 'm7g.large' }))!;
    expect(resizeInstance.readiness(observed, { instanceId: 'i-0abc', toType: 'm7g.large' })).toMatchObject({ state: 'blocked', reason: expect.stringMatching(/architecture would change/) });
    expect(resizeInstance.readiness(observed, { instanceId: 'i-0abc', fromType: 'm5.xlarge', toType: 'm5.2xlarge' })).toMatchObject({ state: 'blocked', reason: expect.stringMatching(/not m5\.xlarge as recommended/) });
    expect(typeChangeProblem('t2.large', 't3.large', false)).toMatch(/Xen/);
    expect(typeChangeProblem('t2.large', 't3.large', true)).toBeUndefined();
    expect(typeChangeProblem('m6g.large', 'm7g.large', undefined)).toBeUndefined();
  });
});

describe('ebs.delete-volume', () => {
  it('snapshots with the action id tag, deletes, and waits until the volume is gone', async () => {
    ec2.on(DescribeVolumesCommand).resolvesOnce(volume()).rejects(awsError('InvalidVolume.NotFound'));
    ec2.on(DescribeSnapshotsCommand).resolvesOnce({ Snapshots: [] }).resolves({ Snapshots: [{ SnapshotId: 'snap-new', State: 'completed' }] });
    ec2.on(CreateSnapshotCommand).resolves({ ...meta('req-snap'), SnapshotId: 'snap-new' });
    ec2.on(DeleteVolumeCommand).resolves(meta('req-delete'));
    const ctx = context('act_feedfacefeedfacefeedface');
    const params = deleteVolume.parseParams({ volumeId: 'vol-0abc', snapshotFirst: true }, 'vol-0abc');
    const applied = await deleteVolume.apply(ctx, (await deleteVolume.describe(ctx, params))!, params);
    const tags = ec2.commandCalls(CreateSnapshotCommand)[0]!.args[0].input.TagSpecifications?.[0]?.Tags;
    expect(tags).toContainEqual({ Key: 'finops:action-id', Value: 'act_feedfacefeedfacefeedface' });
    expect(ctx.calls.map((c) => [c.api, c.requestId])).toEqual([
      ['ec2:CreateSnapshot', 'req-snap'],
      ['ec2:DeleteVolume', 'req-delete'],
    ]);
    expect(applied).toMatchObject({ after: undefined, undo: { snapshotId: 'snap-new', volumeType: 'gp2', sizeGiB: 100, availabilityZone: 'eu-west-1a' } });
  });

  it('reuses the snapshot an interrupted attempt took instead of taking a second one', async () => {
    ec2.on(DescribeVolumesCommand).resolvesOnce(volume()).rejects(awsError('InvalidVolume.NotFound'));
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-earlier', State: 'completed' }] });
    ec2.on(DeleteVolumeCommand).resolves(meta('req-delete'));
    const ctx = context();
    const params = { volumeId: 'vol-0abc', snapshotFirst: true, detachFirst: false };
    const applied = await deleteVolume.apply(ctx, (await deleteVolume.describe(ctx, params))!, params);
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
    expect(applied.undo?.snapshotId).toBe('snap-earlier');
  });

  it('refuses an attached volume unless told to detach it, and never from a running instance', async () => {
    ec2.on(DescribeVolumesCommand).resolves(volume({ State: 'in-use', Attachments: [{ InstanceId: 'i-0abc', Device: '/dev/sdf', State: 'attached' }] }));
    ec2.on(DescribeInstancesCommand).resolves(instance('running', 'm5.large', { RootDeviceName: '/dev/xvda' }));
    const attached = { volumeId: 'vol-0abc', snapshotFirst: true, detachFirst: false };
    const observed = (await deleteVolume.describe(context(), attached))!;
    expect(deleteVolume.readiness(observed, attached)).toMatchObject({ state: 'blocked', reason: 'the volume is attached to i-0abc' });
    expect(deleteVolume.readiness(observed, { ...attached, detachFirst: true })).toMatchObject({ state: 'blocked', reason: expect.stringMatching(/i-0abc \(running\), which is not stopped/) });
  });
});

describe('ebs.modify-volume', () => {
  it('keeps at least the performance the gp2 volume had', async () => {
    ec2.on(DescribeVolumesCommand).resolvesOnce(volume({ Size: 2000, Iops: 6000 })).resolves(volume({ Size: 2000, VolumeType: 'gp3', Iops: 6000, Throughput: 250 }));
    ec2.on(ModifyVolumeCommand).resolves(meta('req-modify'));
    const ctx = context();
    const params = modifyVolume.parseParams({ volumeId: 'vol-0abc', volumeType: 'gp3' }, 'vol-0abc');
    await modifyVolume.apply(ctx, (await modifyVolume.describe(ctx, params))!, params);
    expect(ec2.commandCalls(ModifyVolumeCommand)[0]!.args[0].input).toEqual({ VolumeId: 'vol-0abc', VolumeType: 'gp3', Iops: 6000, Throughput: 250 });
  });
});

describe('ec2.release-address', () => {
  it('explains that a released address cannot be recovered when EC2 refuses', async () => {
    ec2.on(AllocateAddressCommand).rejects(awsError('InvalidAddress.NotFound'));
    const outcome = await releaseAddress.undo(context(), { allocationId: 'eipalloc-1', publicIp: '203.0.113.7', domain: 'vpc', tags: {} });
    expect(outcome).toMatchObject({ status: 'impossible', message: expect.stringMatching(/203\.0\.113\.7 cannot be recovered/) });
  });

  it('releases an unassociated address and polls until it is gone', async () => {
    const address = { AllocationId: 'eipalloc-1', PublicIp: '203.0.113.7', Domain: 'vpc' as const };
    ec2.on(DescribeAddressesCommand).resolvesOnce({ Addresses: [address] }).rejects(awsError('InvalidAllocationID.NotFound'));
    ec2.on(ReleaseAddressCommand).resolves(meta('req-release'));
    const ctx = context();
    const params = { allocationId: 'eipalloc-1' };
    const applied = await releaseAddress.apply(ctx, (await releaseAddress.describe(ctx, params))!, params);
    expect(ctx.calls).toEqual([expect.objectContaining({ api: 'ec2:ReleaseAddress', input: { AllocationId: 'eipalloc-1' }, requestId: 'req-release' })]);
    expect(applied.undo).toMatchObject({ publicIp: '203.0.113.7' });
  });
});

describe('lambda executors', () => {
  const config = (memory: number, extra: object = {}) => ({
    FunctionName: 'fn',
    FunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:fn',
    MemorySize: memory,
    Runtime: 'nodejs20.x' as const,
    PackageType: 'Zip' as const,
    State: 'Active' as const,
    LastUpdateStatus: 'Successful' as const,
    RevisionId: 'rev-1',
    CodeSize: 1000,
    ...extra,
  });

  it('updates the memory against the described revision and waits for the update', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolvesOnce(config(3008)).resolves(config(1769));
    lambda.on(ListTagsCommand).resolves({ Tags: {} });
    lambda.on(GetFunctionCommand).resolves({ Configuration: config(1769) });
    lambda.on(UpdateFunctionConfigurationCommand).resolves(meta('req-lambda'));
    const ctx = context();
    const params = updateFunctionMemory.parseParams({ functionName: 'fn', fromMemoryMb: 3008, toMemoryMb: 1769 }, 'fn');
    const applied = await updateFunctionMemory.apply(ctx, (await updateFunctionMemory.describe(ctx, params))!, params);
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input).toEqual({ FunctionName: 'fn', MemorySize: 1769, RevisionId: 'rev-1' });
    expect(applied.undo).toEqual({ functionName: 'fn', previousMemoryMb: 3008 });
  });

  it('moves only portable packages to arm64', async () => {
    lambda.on(ListTagsCommand).resolves({ Tags: {} });
    const params = { functionName: 'fn', architecture: 'arm64' as const };
    lambda.on(GetFunctionConfigurationCommand).resolves(config(512, { Runtime: 'java21', Architectures: ['x86_64'] }));
    expect(updateFunctionArchitecture.readiness((await updateFunctionArchitecture.describe(context(), params))!, params)).toMatchObject({ state: 'blocked', reason: expect.stringMatching(/java21 is compiled/) });
    lambda.on(GetFunctionConfigurationCommand).resolves(config(512, { Layers: [{ Arn: 'arn:layer' }] }));
    expect(updateFunctionArchitecture.readiness((await updateFunctionArchitecture.describe(context(), params))!, params)).toMatchObject({ state: 'blocked', reason: expect.stringMatching(/layers/) });
    lambda.on(GetFunctionConfigurationCommand).resolves(config(512, { Architectures: ['arm64'] }));
    expect(updateFunctionArchitecture.readiness((await updateFunctionArchitecture.describe(context(), params))!, params)).toMatchObject({ state: 'done' });
  });
});
