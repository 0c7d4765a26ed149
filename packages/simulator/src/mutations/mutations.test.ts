// Mutating calls change the simulated estate through an overlay: later describes see it, other simulators sharing
// the store see it, the generated estate never changes, and AWS's refusals are AWS's.
import {
  AllocateAddressCommand,
  DeleteVolumeCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  ModifyInstanceAttributeCommand,
  ReleaseAddressCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { DeleteLoadBalancerCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetFunctionCommand, ListFunctionsCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DeleteDBInstanceCommand, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RestoreDBInstanceFromDBSnapshotCommand, StopDBInstanceCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { createSimulatedAws } from '../create-simulated-aws.js';
import { errorOf, MANAGEMENT, sdkClients, simulationOptions } from '../test-support.js';
import { memoryMutationStore } from './mutation-store.js';
import { applyOverlay, mergeChanges } from './overlay.js';
import type { Partition } from '../estate-types.js';

const REGION = 'eu-west-1';

function simulator(store = memoryMutationStore()) {
  const sim = createSimulatedAws(simulationOptions({ accounts: [MANAGEMENT], resourcesPerRegion: 80 }), [REGION], { mutationStore: store });
  return { sim, clients: sdkClients(sim, MANAGEMENT, REGION, { maxAttempts: 1 }), store };
}

async function instances(clients: ReturnType<typeof sdkClients>) {
  const output = await clients.ec2.send(new DescribeInstancesCommand({}));
  return (output.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

describe('the overlay', () => {
  it('patches, deletes and creates records in copies, rebuilding the lookup maps; the generated partition is untouched', () => {
    const base = {
      instances: [{ id: 'i-1', state: 'running', stoppedAt: 5 }, { id: 'i-2', state: 'running' }],
      addresses: [{ allocationId: 'eipalloc-1', publicIp: '1.2.3.4' }],
      instanceById: new Map<string, unknown>(),
    } as unknown as Partition;
    base.instances.forEach((i) => base.instanceById.set(i.id, i));
    const entries = mergeChanges({}, [
      { op: 'patch', collection: 'instances', id: 'i-1', patch: { state: 'stopped' } },
      { op: 'patch', collection: 'instances', id: 'i-1', patch: { stoppedAt: null } },
      { op: 'delete', collection: 'instances', id: 'i-2', record: {} },
      { op: 'create', collection: 'addresses', id: 'eipalloc-2', record: { allocationId: 'eipalloc-2', publicIp: '5.6.7.8' } },
    ]);
    expect(entries['instances/i-1']).toEqual({ patch: { state: 'stopped', stoppedAt: null } });
    const view = applyOverlay(base, { version: '1', entries });
    expect(view.instances).toEqual([{ id: 'i-1', state: 'stopped' }]);
    expect([...view.instanceById.keys()]).toEqual(['i-1']);
    expect(view.instanceById.get('i-1')).toBe(view.instances[0]);
    expect(view.addresses.map((a) => a.allocationId)).toEqual(['eipalloc-1', 'eipalloc-2']);
    expect(base.instances[0]).toEqual({ id: 'i-1', state: 'running', stoppedAt: 5 });
    expect(applyOverlay(base, { version: '0', entries: {} })).toBe(base);
  });
});

describe('mutating EC2 calls', () => {
  it('stop, resize and start an instance; another simulator on the same store sees each step', async () => {
    const { clients, store } = simulator();
    const other = simulator(store).clients;
    const fresh = simulator().clients;
    const running = (await instances(clients)).find((i) => i.State?.Name === 'running' && !i.InstanceLifecycle)!;
    const id = running.InstanceId!;
    const resize = () => clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'm5.2xlarge' } }));
    expect((await errorOf(resize)).name).toBe('IncorrectInstanceState');
    const stop = await clients.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stop.StoppingInstances?.[0]?.CurrentState?.Name).toBe('stopping');
    const stopped = (await instances(other)).find((i) => i.InstanceId === id)!;
    expect(stopped.State?.Name).toBe('stopped');
    expect(stopped.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    await resize();
    await clients.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    const after = (await instances(other)).find((i) => i.InstanceId === id)!;
    expect([after.State?.Name, after.InstanceType]).toEqual(['running', 'm5.2xlarge']);
    // A simulator with its own store still serves the estate as generated.
    expect((await instances(fresh)).find((i) => i.InstanceId === id)).toMatchObject({ State: { Name: 'running' }, InstanceType: running.InstanceType });
  });

  it('refuses to delete an attached volume, deletes an available one, and answers its id with NotFound afterwards', async () => {
    const { clients } = simulator();
    const volumes = (await clients.ec2.send(new DescribeVolumesCommand({}))).Volumes ?? [];
    const attached = volumes.find((v) => v.State === 'in-use')!;
    expect((await errorOf(() => clients.ec2.send(new DeleteVolumeCommand({ VolumeId: attached.VolumeId })))).name).toBe('VolumeInUse');
    const free = volumes.find((v) => v.State === 'available')!;
    await clients.ec2.send(new DeleteVolumeCommand({ VolumeId: free.VolumeId }));
    expect((await errorOf(() => clients.ec2.send(new DescribeVolumesCommand({ VolumeIds: [free.VolumeId!] })))).name).toBe('InvalidVolume.NotFound');
    expect((await clients.ec2.send(new DescribeVolumesCommand({}))).Volumes).toHaveLength(volumes.length - 1);
  });

  it('recovers a released address only when this partition released it', async () => {
    const { clients } = simulator();
    const free = ((await clients.ec2.send(new DescribeAddressesCommand({}))).Addresses ?? []).find((a) => !a.AssociationId)!;
    await clients.ec2.send(new ReleaseAddressCommand({ AllocationId: free.AllocationId }));
    expect((await errorOf(() => clients.ec2.send(new AllocateAddressCommand({ Domain: 'vpc', Address: '198.51.100.1' })))).name).toBe('InvalidAddress.NotFound');
    const recovered = await clients.ec2.send(new AllocateAddressCommand({ Domain: 'vpc', Address: free.PublicIp }));
    expect(recovered.PublicIp).toBe(free.PublicIp);
    expect(recovered.AllocationId).not.toBe(free.AllocationId);
  });

  it('terminates an instance with its DeleteOnTermination volumes', async () => {
    const { clients } = simulator();
    const stopped = (await instances(clients)).find((i) => i.State?.Name === 'stopped')!;
    const root = stopped.BlockDeviceMappings!.find((m) => m.Ebs?.DeleteOnTermination)!.Ebs!.VolumeId!;
    await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [stopped.InstanceId!] }));
    expect((await errorOf(() => clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [stopped.InstanceId!] })))).name).toBe('InvalidInstanceID.NotFound');
    expect((await errorOf(() => clients.ec2.send(new DescribeVolumesCommand({ VolumeIds: [root] })))).name).toBe('InvalidVolume.NotFound');
  });
});

describe('mutating RDS, Lambda and ELB calls', () => {
  it('stops a DB instance, deletes one with a final snapshot and restores it under its name', async () => {
    const { clients } = simulator();
    const dbs = (await clients.rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
    const [first, second] = dbs;
    await clients.rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: first!.DBInstanceIdentifier }));
    expect((await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: first!.DBInstanceIdentifier }))).DBInstances?.[0]?.DBInstanceStatus).toBe('stopped');
    const id = second!.DBInstanceIdentifier!;
    await clients.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, FinalDBSnapshotIdentifier: `final-${id}` }));
    expect((await errorOf(() => clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })))).name).toBe('DBInstanceNotFoundFault');
    expect((await clients.rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: `final-${id}` }))).DBSnapshots?.[0]?.Status).toBe('available');
    await clients.rds.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: id, DBSnapshotIdentifier: `final-${id}` }));
    const restored = (await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances ?? [];
    expect(restored).toHaveLength(1);
    expect(restored[0]!.DbiResourceId).not.toBe(second!.DbiResourceId);
    expect((await clients.rds.send(new DescribeDBInstancesCommand({}))).DBInstances).toHaveLength(dbs.length);
  });

  it('hands out a function\'s package and updates its memory, refusing a stale revision', async () => {
    const { clients } = simulator();
    const first = (await clients.lambda.send(new ListFunctionsCommand({}))).Functions![0]!;
    const fn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: first.FunctionName }));
    expect(fn.Code?.Location).toMatch(/^data:application\/zip;base64,/);
    const name = fn.Configuration!.FunctionName!;
    const stale = () => clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 512, RevisionId: 'not-the-revision' }));
    expect((await errorOf(stale)).name).toBe('PreconditionFailedException');
    await clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 512, RevisionId: fn.Configuration!.RevisionId }));
    expect((await clients.lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration?.MemorySize).toBe(512);
  });

  it('deletes a load balancer and leaves its target groups attached to nothing', async () => {
    const { clients } = simulator();
    const group = ((await clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).find((g) => g.LoadBalancerArns?.length === 1)!;
    const arn = group.LoadBalancerArns![0]!;
    await clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
    expect((await errorOf(() => clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })))).name).toBe('LoadBalancerNotFoundException');
    const all = (await clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    expect(all.find((g) => g.TargetGroupArn === group.TargetGroupArn)?.LoadBalancerArns).toEqual([]);
  });
});
