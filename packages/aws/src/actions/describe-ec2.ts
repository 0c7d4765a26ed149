// Re-describes one EC2-family resource by id, normalized by the collectors' own functions so it compares with the scan.
import {
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import { toEbsSnapshot } from '../collectors/ebs-snapshot.js';
import { toEbsVolume } from '../collectors/ebs-volume.js';
import { toEc2Instance } from '../collectors/ec2-instance.js';
import { toElasticIp } from '../collectors/elastic-ip.js';
import { toNatGateway } from '../collectors/nat-gateway.js';
import { errorCodeOf, toAwsAccessError } from '../errors.js';
import type { ActionContext } from './action-context.js';
import type { Observed } from './action-executor.js';
import { observed } from './executor-support.js';

/**
 * Runs a describe call; `undefined` when AWS answers one of `notFound` (the resource is gone), an AwsAccessError
 * for any other failure.
 */
export async function describeOrGone<T>(context: ActionContext, api: string, notFound: readonly string[], send: () => Promise<T>): Promise<T | undefined> {
  try {
    return await send();
  } catch (error) {
    if (notFound.includes(errorCodeOf(error))) return undefined;
    throw toAwsAccessError(error, context.scope, api);
  }
}

const now = () => new Date().toISOString();

/** The instance, with its EnaSupport attribute as `details.enaSupport` (type changes need it). */
export async function describeInstance(context: ActionContext, instanceId: string): Promise<Observed<'ec2-instance'> | undefined> {
  const ec2 = await context.client('ec2');
  const output = await describeOrGone(context, 'ec2:DescribeInstances', ['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed'], () =>
    ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
  );
  const instance = output?.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  // A terminated instance stays listed for about an hour; for an action it is gone.
  if (!instance || instance.State?.Name === 'terminated') return undefined;
  return observed(toEc2Instance(instance, context.scope, now()), { enaSupport: instance.EnaSupport ?? null });
}

export async function describeVolume(context: ActionContext, volumeId: string): Promise<Observed<'ebs-volume'> | undefined> {
  const ec2 = await context.client('ec2');
  const output = await describeOrGone(context, 'ec2:DescribeVolumes', ['InvalidVolume.NotFound', 'InvalidVolume.Malformed'], () =>
    ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })),
  );
  const volume = output?.Volumes?.find((v) => v.VolumeId === volumeId);
  if (!volume || volume.State === 'deleted') return undefined;
  return observed(toEbsVolume(volume, context.scope, now()));
}

/** The snapshot, with the AMIs that use it and whether its source volume exists, as the snapshot collector sees them. */
export async function describeSnapshot(context: ActionContext, snapshotId: string): Promise<Observed<'ebs-snapshot'> | undefined> {
  const ec2 = await context.client('ec2');
  const output = await describeOrGone(context, 'ec2:DescribeSnapshots', ['InvalidSnapshot.NotFound', 'InvalidSnapshot.Malformed'], () =>
    ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId], OwnerIds: ['self'] })),
  );
  const snapshot = output?.Snapshots?.find((s) => s.SnapshotId === snapshotId);
  if (!snapshot) return undefined;
  const images = await context.read('ec2:DescribeImages', () =>
    ec2.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        IncludeDeprecated: true,
        IncludeDisabled: true,
        Filters: [{ Name: 'block-device-mapping.snapshot-id', Values: [snapshotId] }],
      }),
    ),
  );
  const imagesBySnapshot = new Map([[snapshotId, (images.Images ?? []).flatMap((image) => (image.ImageId ? [image.ImageId] : []))]]);
  const volumeIds = new Set<string>();
  if (snapshot.VolumeId) {
    const volumes = await context.read('ec2:DescribeVolumes', () =>
      ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: [snapshot.VolumeId as string] }] })),
    );
    for (const volume of volumes.Volumes ?? []) if (volume.VolumeId) volumeIds.add(volume.VolumeId);
  }
  return observed(toEbsSnapshot(snapshot, context.scope, now(), imagesBySnapshot, volumeIds));
}

export async function describeAddress(context: ActionContext, allocationId: string): Promise<Observed<'elastic-ip'> | undefined> {
  const ec2 = await context.client('ec2');
  // EC2-Classic addresses have no allocation id: the collector names them by their public IP.
  const byIp = !allocationId.startsWith('eipalloc-');
  const output = await describeOrGone(
    context,
    'ec2:DescribeAddresses',
    ['InvalidAllocationID.NotFound', 'InvalidAddress.NotFound', 'InvalidAllocationID.Malformed'],
    () => ec2.send(new DescribeAddressesCommand(byIp ? { PublicIps: [allocationId] } : { AllocationIds: [allocationId] })),
  );
  const address = output?.Addresses?.find((a) => (byIp ? a.PublicIp === allocationId : a.AllocationId === allocationId));
  return observed(address ? toElasticIp(address, context.scope) : undefined);
}

export async function describeNatGateway(context: ActionContext, natGatewayId: string): Promise<Observed<'nat-gateway'> | undefined> {
  const ec2 = await context.client('ec2');
  const output = await describeOrGone(context, 'ec2:DescribeNatGateways', ['NatGatewayNotFound', 'InvalidNatGatewayID.NotFound'], () =>
    ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natGatewayId] })),
  );
  const gateway = output?.NatGateways?.find((g) => g.NatGatewayId === natGatewayId);
  // Deleted gateways stay listed for about an hour.
  if (!gateway || gateway.State === 'deleted') return undefined;
  return observed(toNatGateway(gateway, context.scope, now()), { allocationIds: (gateway.NatGatewayAddresses ?? []).map((a) => a.AllocationId).filter(Boolean).join(',') || null });
}
