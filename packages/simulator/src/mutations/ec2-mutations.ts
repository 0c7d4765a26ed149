// EC2 mutating operations on the simulated estate: instances, volumes, snapshots, Elastic IPs, NAT gateways, tags.
import type { Tags } from '@finops/core';
import { serviceError } from '../aws-error.js';
import type { CallContext } from '../call-context.js';
import type { Partition, SimAddress, SimImage, SimInstance, SimSnapshot, SimVolume } from '../estate-types.js';
import { InputReader } from '../input-reader.js';
import { hashString, Rng } from '../prng.js';
import { tagList } from '../tag-filters.js';
import type { MutationHandler } from './mutation-layer.js';
import type { SimRecord } from './mutation-store.js';
import type { ResourceChange } from './overlay.js';

const STATES = {
  pending: { Code: 0, Name: 'pending' },
  'shutting-down': { Code: 32, Name: 'shutting-down' },
  running: { Code: 16, Name: 'running' },
  stopping: { Code: 64, Name: 'stopping' },
  stopped: { Code: 80, Name: 'stopped' },
} as const;

/** A stream for the ids one call creates: unique per call, whatever process serves it. */
function idStream(call: CallContext): Rng {
  return new Rng(`${call.requestId}|${call.nowMs}|${call.operation}|${JSON.stringify(call.input)}`);
}

const record = (value: object) => value as unknown as SimRecord;

/** Tags of one resource type from a request's TagSpecifications. */
function specifiedTags(reader: InputReader, resourceType: string): Tags {
  const tags: Tags = {};
  for (const spec of reader.objectList('TagSpecifications') ?? []) {
    if (spec.ResourceType !== resourceType) continue;
    for (const tag of (spec.Tags as { Key?: string; Value?: string }[] | undefined) ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
  }
  return tags;
}

function instance(call: CallContext, partition: Partition, id: string): SimInstance {
  const found = partition.instanceById.get(id);
  if (!found) throw serviceError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`, call.requestId);
  return found;
}

function volume(call: CallContext, partition: Partition, id: string): SimVolume {
  const found = partition.volumeById.get(id);
  if (!found) throw serviceError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`, call.requestId);
  return found;
}

function snapshot(call: CallContext, partition: Partition, id: string): SimSnapshot {
  const found = partition.snapshots.find((s) => s.id === id);
  if (!found) throw serviceError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`, call.requestId);
  return found;
}

const stopInstances: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const instances = (reader.stringList('InstanceIds') ?? []).map((id) => instance(call, partition, id));
  const changes: ResourceChange[] = [];
  const StoppingInstances = instances.map((i) => {
    if (i.state === 'running') changes.push({ op: 'patch', collection: 'instances', id: i.id, patch: { state: 'stopped', stoppedAt: call.nowMs } });
    // The simulated instance stops at once: the first poll of a waiter already sees it stopped.
    return { InstanceId: i.id, PreviousState: STATES[i.state], CurrentState: i.state === 'running' ? STATES.stopping : STATES.stopped };
  });
  return { output: { StoppingInstances }, changes };
};

const startInstances: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const instances = (reader.stringList('InstanceIds') ?? []).map((id) => instance(call, partition, id));
  const changes: ResourceChange[] = [];
  const StartingInstances = instances.map((i) => {
    if (i.state === 'stopped') changes.push({ op: 'patch', collection: 'instances', id: i.id, patch: { state: 'running', stoppedAt: null, launchTime: call.nowMs } });
    return { InstanceId: i.id, PreviousState: STATES[i.state], CurrentState: i.state === 'stopped' ? STATES.pending : STATES.running };
  });
  return { output: { StartingInstances }, changes };
};

const modifyInstanceAttribute: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const target = instance(call, partition, reader.requiredString('InstanceId'));
  const value = (reader.object('InstanceType') as { Value?: unknown } | undefined)?.Value;
  const type = typeof value === 'string' && /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value)
    ? value
    : reader.fail('The simulated ModifyInstanceAttribute supports InstanceType: { Value } only');
  if (target.state !== 'stopped') {
    throw serviceError('IncorrectInstanceState', `The instance '${target.id}' is not in the 'stopped' state.`, call.requestId);
  }
  return { output: {}, changes: [{ op: 'patch', collection: 'instances', id: target.id, patch: { instanceType: type, family: type.split('.')[0] } }] };
};

const createSnapshot: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const source = volume(call, partition, reader.requiredString('VolumeId'));
  const created: SimSnapshot = {
    id: `snap-${idStream(call).hex(17)}`,
    volumeId: source.id,
    volumeSizeGiB: source.sizeGiB,
    startTime: call.nowMs,
    storageTier: 'standard',
    encrypted: source.encrypted,
    description: reader.string('Description') ?? '',
    sourceVolumeExists: true,
    imageIds: [],
    tags: specifiedTags(reader, 'snapshot'),
  };
  return {
    output: {
      SnapshotId: created.id,
      VolumeId: source.id,
      State: 'pending',
      StartTime: new Date(call.nowMs),
      Progress: '',
      OwnerId: call.accountId,
      VolumeSize: source.sizeGiB,
      Description: created.description,
      Encrypted: created.encrypted,
      StorageTier: 'standard',
      Tags: tagList(created.tags),
    },
    changes: [{ op: 'create', collection: 'snapshots', id: created.id, record: record(created) }],
  };
};

const deleteVolume: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const target = volume(call, partition, reader.requiredString('VolumeId'));
  if (target.attachment) {
    throw serviceError('VolumeInUse', `Volume ${target.id} is currently attached to ${target.attachment.instanceId}`, call.requestId);
  }
  return { output: {}, changes: [{ op: 'delete', collection: 'volumes', id: target.id, record: record(target) }] };
};

const VOLUME_TYPES = ['gp2', 'gp3', 'io1'] as const;

/** gp2 follows its size (3 IOPS/GiB, 100–16,000); gp3 includes 3,000 IOPS and 125 MiB/s. */
function performance(type: SimVolume['volumeType'], sizeGiB: number, iops: number | undefined, throughput: number | undefined) {
  if (type === 'gp2') return { iops: Math.min(16000, Math.max(100, 3 * sizeGiB)), throughput: null };
  if (type === 'gp3') return { iops: iops ?? 3000, throughput: throughput ?? 125 };
  return { iops: iops ?? 100, throughput: null };
}

function volumeType(reader: InputReader, fallback: SimVolume['volumeType']): SimVolume['volumeType'] {
  const type = reader.string('VolumeType') ?? fallback;
  if (!(VOLUME_TYPES as readonly string[]).includes(type)) reader.fail(`The simulated estate has ${VOLUME_TYPES.join(', ')} volumes only, not ${type}`);
  return type as SimVolume['volumeType'];
}

const createVolume: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const zone = reader.requiredString('AvailabilityZone');
  if (!/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(zone) || !zone.startsWith(call.region)) {
    throw serviceError('InvalidParameterValue', `Invalid availability zone: [${zone}]`, call.requestId);
  }
  const token = reader.string('ClientToken');
  // A repeated client token returns the volume the first request created, as EC2 does.
  const earlier = token ? partition.volumes.find((v) => (v as SimVolume & { clientToken?: string }).clientToken === token) : undefined;
  const snapshotId = reader.string('SnapshotId');
  const source = snapshotId ? snapshot(call, partition, snapshotId) : undefined;
  const size = reader.integer('Size', { min: 1, max: 16384 }) ?? source?.volumeSizeGiB ?? reader.fail('The request must contain the parameter size or snapshotId');
  const type = volumeType(reader, 'gp2');
  const created: SimVolume & { clientToken?: string } = earlier ?? {
    id: `vol-${idStream(call).hex(17)}`,
    volumeType: type,
    sizeGiB: size,
    createTime: call.nowMs,
    availabilityZone: zone,
    encrypted: source?.encrypted ?? reader.boolean('Encrypted') ?? false,
    ...(snapshotId ? { snapshotId } : {}),
    tags: specifiedTags(reader, 'volume'),
    metricKey: 0,
    ...(token ? { clientToken: token } : {}),
  };
  if (!earlier) {
    const perf = performance(type, size, reader.integer('Iops', { min: 100, max: 64000 }), reader.integer('Throughput', { min: 125, max: 1000 }));
    created.iops = perf.iops;
    if (perf.throughput !== null) created.throughput = perf.throughput;
    created.metricKey = hashString(`${call.estate.seed}|metrics|${created.id}`);
  }
  return {
    output: {
      VolumeId: created.id,
      Size: created.sizeGiB,
      AvailabilityZone: created.availabilityZone,
      State: 'creating',
      CreateTime: new Date(created.createTime),
      VolumeType: created.volumeType,
      Encrypted: created.encrypted,
      SnapshotId: created.snapshotId ?? '',
      Tags: tagList(created.tags),
    },
    changes: earlier ? [] : [{ op: 'create', collection: 'volumes', id: created.id, record: record(created) }],
  };
};

const modifyVolume: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const target = volume(call, partition, reader.requiredString('VolumeId'));
  const type = volumeType(reader, target.volumeType);
  const perf = performance(type, target.sizeGiB, reader.integer('Iops', { min: 100, max: 64000 }), reader.integer('Throughput', { min: 125, max: 1000 }));
  // The simulated modification completes at once; AWS's 6-hour gap between modifications is not simulated.
  return {
    output: {
      VolumeModification: {
        VolumeId: target.id,
        ModificationState: 'modifying',
        StartTime: new Date(call.nowMs),
        OriginalVolumeType: target.volumeType,
        TargetVolumeType: type,
        OriginalSize: target.sizeGiB,
        TargetSize: target.sizeGiB,
        ...(target.iops !== undefined ? { OriginalIops: target.iops } : {}),
        TargetIops: perf.iops,
        ...(perf.throughput !== null ? { TargetThroughput: perf.throughput } : {}),
        Progress: 0,
      },
    },
    changes: [{ op: 'patch', collection: 'volumes', id: target.id, patch: { volumeType: type, iops: perf.iops, throughput: perf.throughput } }],
  };
};

function address(call: CallContext, partition: Partition, reader: InputReader): SimAddress {
  const allocationId = reader.string('AllocationId');
  const publicIp = reader.string('PublicIp');
  const found = partition.addresses.find((a) => (allocationId ? a.allocationId === allocationId : a.publicIp === publicIp));
  if (!found) {
    throw allocationId
      ? serviceError('InvalidAllocationID.NotFound', `The allocation ID '${allocationId}' does not exist`, call.requestId)
      : serviceError('InvalidAddress.NotFound', `Address '${publicIp ?? ''}' not found.`, call.requestId);
  }
  return found;
}

const releaseAddress: MutationHandler = ({ call, partition }) => {
  const target = address(call, partition, new InputReader(call));
  if (target.association) {
    throw serviceError('InvalidIPAddress.InUse', `Address ${target.publicIp} is in use (${target.association.associationId})`, call.requestId);
  }
  return { output: {}, changes: [{ op: 'delete', collection: 'addresses', id: target.allocationId, record: record(target) }] };
};

/**
 * AllocateAddress: a new address, or — with `Address` — the recovery of one this partition released (EC2 can
 * recover a released address while no other account holds it; in the simulation nobody else ever does).
 */
const allocateAddress: MutationHandler = ({ call, overlay }) => {
  const reader = new InputReader(call);
  const wanted = reader.string('Address');
  const ids = idStream(call);
  let publicIp: string;
  if (wanted !== undefined) {
    const released = Object.entries(overlay.entries).some(
      ([key, entry]) => key.startsWith('addresses/') && 'deleted' in entry && entry.deleted.publicIp === wanted,
    );
    if (!released) throw serviceError('InvalidAddress.NotFound', `The address '${wanted}' is not available for recovery`, call.requestId);
    publicIp = wanted;
  } else {
    publicIp = `${ids.pick([3, 13, 18, 34, 35, 44, 52, 54])}.${ids.int(0, 255)}.${ids.int(0, 255)}.${ids.int(1, 254)}`;
  }
  const created: SimAddress = { allocationId: `eipalloc-${ids.hex(17)}`, publicIp, tags: specifiedTags(reader, 'elastic-ip') };
  return {
    output: { AllocationId: created.allocationId, PublicIp: publicIp, Domain: 'vpc', PublicIpv4Pool: 'amazon', NetworkBorderGroup: call.region },
    changes: [{ op: 'create', collection: 'addresses', id: created.allocationId, record: record(created) }],
  };
};

const deleteSnapshot: MutationHandler = ({ call, partition }) => {
  const target = snapshot(call, partition, new InputReader(call).requiredString('SnapshotId'));
  if (target.imageIds.length > 0) {
    throw serviceError('InvalidSnapshot.InUse', `The snapshot ${target.id} is currently in use by ${target.imageIds[0]}`, call.requestId);
  }
  return { output: {}, changes: [{ op: 'delete', collection: 'snapshots', id: target.id, record: record(target) }] };
};

const modifySnapshotTier: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const target = snapshot(call, partition, reader.requiredString('SnapshotId'));
  if ((reader.string('StorageTier') ?? 'archive') !== 'archive') reader.fail('StorageTier must be archive');
  // Archiving takes hours at AWS; the simulated snapshot is archived at once.
  return {
    output: { SnapshotId: target.id, TieringStartTime: new Date(call.nowMs) },
    changes: [{ op: 'patch', collection: 'snapshots', id: target.id, patch: { storageTier: 'archive' } }],
  };
};

const restoreSnapshotTier: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const target = snapshot(call, partition, reader.requiredString('SnapshotId'));
  return {
    output: { SnapshotId: target.id, RestoreStartTime: new Date(call.nowMs), IsPermanentRestore: reader.boolean('PermanentRestore') ?? false },
    changes: [{ op: 'patch', collection: 'snapshots', id: target.id, patch: { storageTier: 'standard' } }],
  };
};

const deleteNatGateway: MutationHandler = ({ call, partition }) => {
  const id = new InputReader(call).requiredString('NatGatewayId');
  const target = partition.natGateways.find((n) => n.id === id);
  if (!target) throw serviceError('NatGatewayNotFound', `The Nat Gateway ${id} was not found`, call.requestId);
  return { output: { NatGatewayId: id }, changes: [{ op: 'delete', collection: 'natGateways', id, record: record(target) }] };
};

const detachVolume: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const target = volume(call, partition, reader.requiredString('VolumeId'));
  const instanceId = reader.string('InstanceId');
  if (!target.attachment || (instanceId !== undefined && target.attachment.instanceId !== instanceId)) {
    throw serviceError('IncorrectState', `Volume '${target.id}' is in the 'available' state.`, call.requestId);
  }
  const host = partition.instanceById.get(target.attachment.instanceId);
  return {
    output: { VolumeId: target.id, InstanceId: target.attachment.instanceId, Device: target.attachment.device, State: 'detaching', AttachTime: new Date(target.attachment.attachTime) },
    changes: [
      { op: 'patch', collection: 'volumes', id: target.id, patch: { attachment: null } },
      ...(host ? [{ op: 'patch' as const, collection: 'instances', id: host.id, patch: { volumeIds: host.volumeIds.filter((id) => id !== target.id) } }] : []),
    ],
  };
};

const attachVolume: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const target = volume(call, partition, reader.requiredString('VolumeId'));
  const host = instance(call, partition, reader.requiredString('InstanceId'));
  const device = reader.requiredString('Device');
  if (target.attachment) throw serviceError('VolumeInUse', `${target.id} is already attached to an instance`, call.requestId);
  if (target.availabilityZone !== host.availabilityZone) {
    throw serviceError('InvalidVolume.ZoneMismatch', `The volume '${target.id}' is not in the same availability zone as instance '${host.id}'`, call.requestId);
  }
  const attachment = { instanceId: host.id, device, attachTime: call.nowMs, deleteOnTermination: false };
  return {
    output: { VolumeId: target.id, InstanceId: host.id, Device: device, State: 'attaching', AttachTime: new Date(call.nowMs) },
    changes: [
      { op: 'patch', collection: 'volumes', id: target.id, patch: { attachment } },
      { op: 'patch', collection: 'instances', id: host.id, patch: { volumeIds: [...host.volumeIds, target.id] } },
    ],
  };
};

/** CreateImage: an AMI of the instance's volumes, one new snapshot each, available at once. */
const createImage: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const source = instance(call, partition, reader.requiredString('InstanceId'));
  const name = reader.requiredString('Name');
  reader.boolean('NoReboot');
  reader.string('Description');
  const ids = idStream(call);
  const imageId = `ami-${ids.hex(17)}`;
  const snapshots: SimSnapshot[] = source.volumeIds.flatMap((volumeId) => {
    const from = partition.volumeById.get(volumeId);
    if (!from) return [];
    return [{
      id: `snap-${ids.hex(17)}`,
      volumeId,
      volumeSizeGiB: from.sizeGiB,
      startTime: call.nowMs,
      storageTier: 'standard' as const,
      encrypted: from.encrypted,
      description: `Created by CreateImage(${source.id}) for ${imageId}`,
      sourceVolumeExists: true,
      imageIds: [imageId],
      tags: specifiedTags(reader, 'snapshot'),
    }];
  });
  const image: SimImage = {
    id: imageId,
    name,
    creationTime: call.nowMs,
    architecture: source.architecture,
    platform: source.platform,
    snapshotIds: snapshots.map((s) => s.id),
    snapshotSizes: snapshots.map((s) => s.volumeSizeGiB),
    tags: specifiedTags(reader, 'image'),
  };
  return {
    output: { ImageId: imageId },
    changes: [
      { op: 'create', collection: 'images', id: imageId, record: record(image) },
      ...snapshots.map((s) => ({ op: 'create' as const, collection: 'snapshots', id: s.id, record: record(s) })),
    ],
  };
};

/** TerminateInstances: the instance goes; volumes marked DeleteOnTermination go with it, the others stay detached. */
const terminateInstances: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const targets = (reader.stringList('InstanceIds') ?? []).map((id) => instance(call, partition, id));
  const changes: ResourceChange[] = [];
  for (const target of targets) {
    changes.push({ op: 'delete', collection: 'instances', id: target.id, record: record(target) });
    for (const volumeId of target.volumeIds) {
      const attached = partition.volumeById.get(volumeId);
      if (!attached) continue;
      changes.push(
        attached.attachment?.deleteOnTermination
          ? { op: 'delete', collection: 'volumes', id: volumeId, record: record(attached) }
          : { op: 'patch', collection: 'volumes', id: volumeId, patch: { attachment: null } },
      );
    }
    for (const address of partition.addresses.filter((a) => a.association?.instanceId === target.id)) {
      changes.push({ op: 'patch', collection: 'addresses', id: address.allocationId, patch: { association: null } });
    }
  }
  return {
    output: { TerminatingInstances: targets.map((t) => ({ InstanceId: t.id, PreviousState: STATES[t.state], CurrentState: STATES['shutting-down'] })) },
    changes,
  };
};

const disassociateAddress: MutationHandler = ({ call, partition }) => {
  const associationId = new InputReader(call).requiredString('AssociationId');
  const target = partition.addresses.find((a) => a.association?.associationId === associationId);
  if (!target?.association) throw serviceError('InvalidAssociationID.NotFound', `The association ID '${associationId}' does not exist`, call.requestId);
  const host = partition.instanceById.get(target.association.instanceId);
  return {
    output: {},
    changes: [
      { op: 'patch', collection: 'addresses', id: target.allocationId, patch: { association: null } },
      ...(host ? [{ op: 'patch' as const, collection: 'instances', id: host.id, patch: { publicIp: null } }] : []),
    ],
  };
};

/** Collections whose records carry `tags` and the field that names them, for CreateTags. */
const TAGGABLE: [collection: keyof Partition, idOf: (record: SimRecord) => unknown][] = [
  ['instances', (r) => r.id],
  ['volumes', (r) => r.id],
  ['snapshots', (r) => r.id],
  ['images', (r) => r.id],
  ['addresses', (r) => r.allocationId],
  ['natGateways', (r) => r.id],
];

const createTags: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const tags: Tags = {};
  for (const tag of (reader.objectList('Tags') ?? []) as { Key?: string; Value?: string }[]) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
  const changes: ResourceChange[] = (reader.stringList('Resources') ?? []).map((id) => {
    for (const [collection, idOf] of TAGGABLE) {
      const found = (partition[collection] as unknown as SimRecord[]).find((r) => idOf(r) === id);
      if (found) return { op: 'patch' as const, collection, id, patch: { tags: { ...(found.tags as Tags), ...tags } } };
    }
    throw serviceError('InvalidID', `The ID '${id}' is not valid`, call.requestId);
  });
  return { output: {}, changes };
};

export const ec2Mutations: Record<string, MutationHandler> = {
  StopInstances: stopInstances,
  StartInstances: startInstances,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  CreateSnapshot: createSnapshot,
  DeleteVolume: deleteVolume,
  CreateVolume: createVolume,
  ModifyVolume: modifyVolume,
  ReleaseAddress: releaseAddress,
  AllocateAddress: allocateAddress,
  DeleteSnapshot: deleteSnapshot,
  ModifySnapshotTier: modifySnapshotTier,
  RestoreSnapshotTier: restoreSnapshotTier,
  DeleteNatGateway: deleteNatGateway,
  CreateTags: createTags,
  DetachVolume: detachVolume,
  AttachVolume: attachVolume,
  CreateImage: createImage,
  TerminateInstances: terminateInstances,
  DisassociateAddress: disassociateAddress,
};
