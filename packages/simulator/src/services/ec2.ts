// EC2 operations: instances, volumes, snapshots, images, addresses, NAT gateways and regions in the SDK's response shapes.
import { AWS_REGIONS } from '@finops/core';
import { serviceError } from '../aws-error.js';
import type { CallContext, OperationHandler } from '../call-context.js';
import { DAY_MS, gmtTimestamp } from '../clock.js';
import type { Partition, SimAddress, SimImage, SimInstance, SimNatGateway, SimSnapshot, SimVolume } from '../estate-types.js';
import { InputReader } from '../input-reader.js';
import { paginate, type PageOptions } from '../paging.js';
import { Rng } from '../prng.js';
import { applyFilters, tagList, type FilterFields } from '../tag-filters.js';

/** EC2 list operations page with MaxResults 5..1000 and now and then answer an empty page with a NextToken. */
const EC2_PAGING: PageOptions = {
  tokenField: 'NextToken',
  sizeField: 'MaxResults',
  range: { min: 5, max: 1000 },
  defaultSize: Infinity,
  emptyPages: true,
};

/** Owners of the public snapshots and images a call without an owner filter also sees (Amazon, Canonical). */
const PUBLIC_OWNERS = ['137112412989', '099720109477'];

const VCPUS: Record<string, number> = { micro: 2, small: 2, medium: 2, large: 2, xlarge: 4, '2xlarge': 8, '4xlarge': 16 };

function instanceShape(instance: SimInstance, partition: Partition) {
  const size = instance.instanceType.split('.')[1];
  const vcpus = VCPUS[size] ?? 2;
  const armOrT = instance.architecture === 'arm64' || instance.family.startsWith('t');
  const mappings = instance.volumeIds.map((volumeId) => {
    const volume = partition.volumeById.get(volumeId);
    return {
      DeviceName: volume?.attachment?.device,
      Ebs: {
        AttachTime: new Date(volume?.attachment?.attachTime ?? instance.launchTime),
        DeleteOnTermination: volume?.attachment?.deleteOnTermination ?? false,
        Status: 'attached',
        VolumeId: volumeId,
      },
    };
  });
  const stopped = instance.state === 'stopped' && instance.stoppedAt !== undefined;
  return {
    AmiLaunchIndex: 0,
    ImageId: instance.imageId,
    InstanceId: instance.id,
    InstanceType: instance.instanceType,
    KeyName: `${instance.tags.team}-key`,
    LaunchTime: new Date(instance.launchTime),
    Monitoring: { State: 'disabled' },
    Placement: { AvailabilityZone: instance.availabilityZone, GroupName: '', Tenancy: 'default' },
    PrivateDnsName: `ip-${instance.privateIp.replaceAll('.', '-')}.${partition.region}.compute.internal`,
    PrivateIpAddress: instance.privateIp,
    ...(instance.publicIp ? { PublicIpAddress: instance.publicIp } : {}),
    State: instance.state === 'running' ? { Code: 16, Name: 'running' } : { Code: 80, Name: 'stopped' },
    StateTransitionReason: stopped ? `User initiated (${gmtTimestamp(instance.stoppedAt as number)} GMT)` : '',
    ...(stopped ? { StateReason: { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' } } : {}),
    SubnetId: instance.subnetId,
    VpcId: instance.vpcId,
    Architecture: instance.architecture,
    BlockDeviceMappings: mappings,
    ClientToken: '',
    EbsOptimized: !instance.family.startsWith('t2'),
    EnaSupport: true,
    Hypervisor: 'xen',
    ...(instance.spot ? { InstanceLifecycle: 'spot', SpotInstanceRequestId: `sir-${instance.id.slice(2, 10)}` } : {}),
    ...(instance.platform === 'windows' ? { Platform: 'windows' } : {}),
    PlatformDetails: instance.platform === 'windows' ? 'Windows' : 'Linux/UNIX',
    UsageOperation: instance.platform === 'windows' ? 'RunInstances:0002' : 'RunInstances',
    RootDeviceName: instance.platform === 'windows' ? '/dev/sda1' : '/dev/xvda',
    RootDeviceType: 'ebs',
    SourceDestCheck: true,
    Tags: tagList(instance.tags),
    VirtualizationType: 'hvm',
    CpuOptions: { CoreCount: armOrT ? vcpus : vcpus / 2, ThreadsPerCore: armOrT ? 1 : 2 },
    MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
    CurrentInstanceBootMode: instance.architecture === 'arm64' ? 'uefi' : 'legacy-bios',
  };
}

function volumeShape(volume: SimVolume) {
  return {
    Attachments: volume.attachment
      ? [
          {
            AttachTime: new Date(volume.attachment.attachTime),
            Device: volume.attachment.device,
            InstanceId: volume.attachment.instanceId,
            State: 'attached',
            VolumeId: volume.id,
            DeleteOnTermination: volume.attachment.deleteOnTermination,
          },
        ]
      : [],
    AvailabilityZone: volume.availabilityZone,
    CreateTime: new Date(volume.createTime),
    Encrypted: volume.encrypted,
    Size: volume.sizeGiB,
    SnapshotId: volume.snapshotId ?? '',
    State: volume.attachment ? 'in-use' : 'available',
    VolumeId: volume.id,
    ...(volume.iops !== undefined ? { Iops: volume.iops } : {}),
    ...(volume.throughput !== undefined ? { Throughput: volume.throughput } : {}),
    Tags: tagList(volume.tags),
    VolumeType: volume.volumeType,
    MultiAttachEnabled: false,
  };
}

interface SnapshotRow {
  snapshot: SimSnapshot;
  ownerId: string;
}

function snapshotShape({ snapshot, ownerId }: SnapshotRow) {
  return {
    Description: snapshot.description,
    Encrypted: snapshot.encrypted,
    OwnerId: ownerId,
    Progress: '100%',
    SnapshotId: snapshot.id,
    StartTime: new Date(snapshot.startTime),
    State: 'completed',
    VolumeId: snapshot.volumeId,
    VolumeSize: snapshot.volumeSizeGiB,
    StorageTier: snapshot.storageTier,
    Tags: tagList(snapshot.tags),
  };
}

interface ImageRow {
  image: SimImage;
  ownerId: string;
  isPublic: boolean;
}

function imageShape({ image, ownerId, isPublic }: ImageRow) {
  return {
    Architecture: image.architecture,
    CreationDate: new Date(image.creationTime).toISOString(),
    ImageId: image.id,
    ImageLocation: `${ownerId}/${image.name}`,
    ImageType: 'machine',
    Public: isPublic,
    OwnerId: ownerId,
    ...(image.platform === 'windows' ? { Platform: 'windows' } : {}),
    PlatformDetails: image.platform === 'windows' ? 'Windows' : 'Linux/UNIX',
    UsageOperation: image.platform === 'windows' ? 'RunInstances:0002' : 'RunInstances',
    State: 'available',
    BlockDeviceMappings: image.snapshotIds.map((snapshotId, i) => ({
      DeviceName: i === 0 ? '/dev/xvda' : `/dev/sd${String.fromCharCode(102 + i)}`,
      Ebs: { DeleteOnTermination: true, SnapshotId: snapshotId, VolumeSize: image.snapshotSizes[i], VolumeType: 'gp3', Encrypted: false },
    })),
    EnaSupport: true,
    Hypervisor: 'xen',
    Name: image.name,
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    VirtualizationType: 'hvm',
    Tags: tagList(image.tags),
  };
}

/** A handful of public snapshots and images per region: what a call without an owner filter drags in. */
function publicCatalog(call: CallContext): { snapshots: SnapshotRow[]; images: ImageRow[] } {
  const rng = new Rng(`${call.estate.seed}|public|${call.region}`);
  const snapshots: SnapshotRow[] = [];
  const images: ImageRow[] = [];
  for (let i = 0; i < 12; i++) {
    const ownerId = PUBLIC_OWNERS[i % PUBLIC_OWNERS.length];
    const startTime = call.estate.epochMs - rng.between(30, 900) * DAY_MS;
    const snapshot: SimSnapshot = {
      id: `snap-${rng.hex(17)}`,
      volumeId: 'vol-ffffffff',
      volumeSizeGiB: 8,
      startTime: Math.round(startTime),
      storageTier: 'standard',
      encrypted: false,
      description: `Public image snapshot ${i + 1}`,
      sourceVolumeExists: false,
      imageIds: [],
      tags: {},
    };
    snapshots.push({ snapshot, ownerId });
    images.push({
      image: {
        id: `ami-${rng.hex(17)}`,
        name: ownerId === '099720109477' ? `ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-${i}` : `al2023-ami-2023.${i}-kernel-6.1-x86_64`,
        creationTime: Math.round(startTime),
        architecture: 'x86_64',
        platform: 'linux',
        snapshotIds: [snapshot.id],
        snapshotSizes: [8],
        tags: {},
      },
      ownerId,
      isPublic: true,
    });
  }
  return { snapshots, images };
}

/** Resolves `self` and account ids in OwnerIds/Owners; undefined means "every owner I can see". */
function ownersWanted(call: CallContext, owners: string[] | undefined): { self: boolean; others: Set<string> } | undefined {
  if (!owners || owners.length === 0) return undefined;
  const others = new Set(owners.filter((o) => o !== 'self' && o !== call.accountId));
  return { self: owners.includes('self') || owners.includes(call.accountId), others };
}

function idsFilter<T>(reader: InputReader, items: T[], field: string, idOf: (item: T) => string, notFound: string, call: CallContext): T[] {
  const ids = reader.stringList(field);
  if (!ids || ids.length === 0) return items;
  const byId = new Map(items.map((item) => [idOf(item), item]));
  return ids.map((id) => {
    const item = byId.get(id);
    if (!item) throw serviceError(notFound, `The ${field.replace(/Ids?$/, '')} ID '${id}' does not exist`, call.requestId);
    return item;
  });
}

const instanceFilters: FilterFields<SimInstance> = {
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [i.state === 'running' ? '16' : '80'],
  'instance-id': (i) => [i.id],
  'instance-type': (i) => [i.instanceType],
  'availability-zone': (i) => [i.availabilityZone],
  architecture: (i) => [i.architecture],
  platform: (i) => [i.platform === 'windows' ? 'windows' : undefined],
  'instance-lifecycle': (i) => [i.spot ? 'spot' : undefined],
  'image-id': (i) => [i.imageId],
  'reservation-id': (i) => [i.reservationId],
  'vpc-id': (i) => [i.vpcId],
  'subnet-id': (i) => [i.subnetId],
  'private-ip-address': (i) => [i.privateIp],
  'ip-address': (i) => [i.publicIp],
};

const volumeFilters: FilterFields<SimVolume> = {
  status: (v) => [v.attachment ? 'in-use' : 'available'],
  'volume-id': (v) => [v.id],
  'volume-type': (v) => [v.volumeType],
  size: (v) => [String(v.sizeGiB)],
  encrypted: (v) => [String(v.encrypted)],
  'availability-zone': (v) => [v.availabilityZone],
  'attachment.instance-id': (v) => [v.attachment?.instanceId],
  'attachment.status': (v) => [v.attachment ? 'attached' : undefined],
  'attachment.device': (v) => [v.attachment?.device],
  'snapshot-id': (v) => [v.snapshotId],
};

const snapshotFilters: FilterFields<SnapshotRow> = {
  status: () => ['completed'],
  'snapshot-id': (r) => [r.snapshot.id],
  'volume-id': (r) => [r.snapshot.volumeId],
  'volume-size': (r) => [String(r.snapshot.volumeSizeGiB)],
  'owner-id': (r) => [r.ownerId],
  'storage-tier': (r) => [r.snapshot.storageTier],
  encrypted: (r) => [String(r.snapshot.encrypted)],
  description: (r) => [r.snapshot.description],
};

const imageFilters: FilterFields<ImageRow> = {
  state: () => ['available'],
  'image-id': (r) => [r.image.id],
  'owner-id': (r) => [r.ownerId],
  name: (r) => [r.image.name],
  architecture: (r) => [r.image.architecture],
  'is-public': (r) => [String(r.isPublic)],
  'block-device-mapping.snapshot-id': (r) => r.image.snapshotIds,
  platform: (r) => [r.image.platform === 'windows' ? 'windows' : undefined],
};

const addressFilters: FilterFields<SimAddress> = {
  'allocation-id': (a) => [a.allocationId],
  'association-id': (a) => [a.association?.associationId],
  'instance-id': (a) => [a.association?.instanceId],
  'network-interface-id': (a) => [a.association?.networkInterfaceId],
  'private-ip-address': (a) => [a.association?.privateIp],
  'public-ip': (a) => [a.publicIp],
  domain: () => ['vpc'],
};

const describeInstances: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  if (reader.has('InstanceIds') && (reader.stringList('InstanceIds')?.length ?? 0) > 0 && reader.has('MaxResults')) {
    throw serviceError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults', call.requestId);
  }
  let instances = idsFilter(reader, partition.instances, 'InstanceIds', (i) => i.id, 'InvalidInstanceID.NotFound', call);
  instances = applyFilters(reader, instances, instanceFilters, (i) => i.tags);
  const { page, nextToken } = paginate(call, reader, instances, EC2_PAGING);
  // Instances of one launch share a reservation; a reservation split by a page boundary appears on both pages.
  const reservations: { ReservationId: string; OwnerId: string; Groups: never[]; Instances: ReturnType<typeof instanceShape>[] }[] = [];
  for (const instance of page) {
    const last = reservations[reservations.length - 1];
    const shape = instanceShape(instance, partition);
    if (last && last.ReservationId === instance.reservationId) last.Instances.push(shape);
    else reservations.push({ ReservationId: instance.reservationId, OwnerId: call.accountId, Groups: [], Instances: [shape] });
  }
  return { Reservations: reservations, ...(nextToken ? { NextToken: nextToken } : {}) };
};

const describeVolumes: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  let volumes = idsFilter(reader, partition.volumes, 'VolumeIds', (v) => v.id, 'InvalidVolume.NotFound', call);
  volumes = applyFilters(reader, volumes, volumeFilters, (v) => v.tags);
  const { page, nextToken } = paginate(call, reader, volumes, EC2_PAGING);
  return { Volumes: page.map(volumeShape), ...(nextToken ? { NextToken: nextToken } : {}) };
};

const describeSnapshots: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  const owners = ownersWanted(call, reader.stringList('OwnerIds'));
  const own: SnapshotRow[] = partition.snapshots.map((snapshot) => ({ snapshot, ownerId: call.accountId }));
  const publicRows = publicCatalog(call).snapshots;
  let rows = owners === undefined ? [...own, ...publicRows] : [...(owners.self ? own : []), ...publicRows.filter((r) => owners.others.has(r.ownerId))];
  rows = idsFilter(reader, rows, 'SnapshotIds', (r) => r.snapshot.id, 'InvalidSnapshot.NotFound', call);
  rows = applyFilters(reader, rows, snapshotFilters, (r) => r.snapshot.tags);
  const { page, nextToken } = paginate(call, reader, rows, EC2_PAGING);
  return { Snapshots: page.map(snapshotShape), ...(nextToken ? { NextToken: nextToken } : {}) };
};

const describeImages: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  const owners = ownersWanted(call, reader.stringList('Owners'));
  const own: ImageRow[] = partition.images.map((image) => ({ image, ownerId: call.accountId, isPublic: false }));
  const publicRows = publicCatalog(call).images;
  let rows = owners === undefined ? [...own, ...publicRows] : [...(owners.self ? own : []), ...publicRows.filter((r) => owners.others.has(r.ownerId))];
  rows = idsFilter(reader, rows, 'ImageIds', (r) => r.image.id, 'InvalidAMIID.NotFound', call);
  rows = applyFilters(reader, rows, imageFilters, (r) => r.image.tags);
  // IncludeDeprecated / IncludeDisabled change nothing here: the simulated estate has no deprecated or disabled AMIs.
  reader.boolean('IncludeDeprecated');
  reader.boolean('IncludeDisabled');
  const { page, nextToken } = paginate(call, reader, rows, EC2_PAGING);
  return { Images: page.map(imageShape), ...(nextToken ? { NextToken: nextToken } : {}) };
};

const describeAddresses: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  let addresses = idsFilter(reader, partition.addresses, 'AllocationIds', (a) => a.allocationId, 'InvalidAllocationID.NotFound', call);
  addresses = idsFilter(reader, addresses, 'PublicIps', (a) => a.publicIp, 'InvalidAddress.NotFound', call);
  addresses = applyFilters(reader, addresses, addressFilters, (a) => a.tags);
  // DescribeAddresses is not paginated: one answer holds every address of the region.
  return {
    Addresses: addresses.map((a) => ({
      AllocationId: a.allocationId,
      PublicIp: a.publicIp,
      Domain: 'vpc',
      PublicIpv4Pool: 'amazon',
      NetworkBorderGroup: call.region,
      ...(a.association
        ? {
            AssociationId: a.association.associationId,
            InstanceId: a.association.instanceId,
            NetworkInterfaceId: a.association.networkInterfaceId,
            NetworkInterfaceOwnerId: call.accountId,
            PrivateIpAddress: a.association.privateIp,
          }
        : {}),
      Tags: tagList(a.tags),
    })),
  };
};

const natGatewayFilters: FilterFields<SimNatGateway> = {
  'nat-gateway-id': (n) => [n.id],
  state: () => ['available'],
  'subnet-id': (n) => [n.subnetId],
  'vpc-id': (n) => [n.vpcId],
};

const describeNatGateways: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  let gateways = idsFilter(reader, partition.natGateways, 'NatGatewayIds', (n) => n.id, 'NatGatewayNotFound', call);
  // DescribeNatGateways names its filter list `Filter`, unlike every other Describe call.
  gateways = applyFilters(reader, gateways, natGatewayFilters, (n) => n.tags, 'Filter');
  const { page, nextToken } = paginate(call, reader, gateways, EC2_PAGING);
  return {
    NatGateways: page.map((n) => ({
      CreateTime: new Date(n.createTime),
      NatGatewayAddresses: [
        {
          NetworkInterfaceId: n.networkInterfaceId,
          PrivateIp: n.privateIp,
          ...(n.publicIp ? { AllocationId: n.allocationId, PublicIp: n.publicIp, AssociationId: n.associationId } : {}),
          IsPrimary: true,
          Status: 'succeeded',
        },
      ],
      NatGatewayId: n.id,
      State: 'available',
      SubnetId: n.subnetId,
      VpcId: n.vpcId,
      Tags: tagList(n.tags),
      ConnectivityType: n.connectivityType,
    })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
};

const describeRegions: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const enabled = new Set(call.estate.regions);
  const all = reader.boolean('AllRegions') === true;
  const names = all ? [...new Set([...call.estate.regions, ...AWS_REGIONS])] : [...call.estate.regions];
  const rows = names.map((name) => ({ name, optIn: enabled.has(name) ? 'opt-in-not-required' : 'not-opted-in' }));
  let selected = idsFilter(reader, rows, 'RegionNames', (r) => r.name, 'InvalidParameterValue', call);
  selected = applyFilters(reader, selected, { 'region-name': (r) => [r.name], 'opt-in-status': (r) => [r.optIn], endpoint: (r) => [`ec2.${r.name}.amazonaws.com`] }, () => ({}));
  return { Regions: selected.map((r) => ({ RegionName: r.name, Endpoint: `ec2.${r.name}.amazonaws.com`, OptInStatus: r.optIn })) };
};

export const ec2Operations: Record<string, OperationHandler> = {
  DescribeInstances: describeInstances,
  DescribeVolumes: describeVolumes,
  DescribeSnapshots: describeSnapshots,
  DescribeImages: describeImages,
  DescribeAddresses: describeAddresses,
  DescribeRegions: describeRegions,
  DescribeNatGateways: describeNatGateways,
};
