// Builds one (account, region) partition of the estate from a seeded stream: same inputs, same resources, any process.
import type { Tags } from '@finops/core';
import { DAY_MS, HOUR_MS } from './clock.js';
import type {
  FunctionProfile,
  Partition,
  SimAddress,
  SimDbInstance,
  SimFunction,
  SimImage,
  SimInstance,
  SimSnapshot,
  SimVolume,
} from './estate-types.js';
import { PUBLIC_FIRST_OCTETS, ROLES, TEAMS } from './estate-names.js';
import { generateDbSnapshots } from './generate-db-snapshots.js';
import { generateLoadBalancers } from './generate-load-balancers.js';
import { generateNatGateways } from './generate-nat-gateways.js';
import { classifyPartition } from './ground-truth.js';
import { kindContext } from './kind-generation.js';
import { partitionSize, unattachedVolumeCount } from './partition-size.js';
import { hashString, Rng } from './prng.js';

export interface PartitionInput {
  seed: number;
  accountId: string;
  region: string;
  resourcesPerRegion: number;
  /** Midnight UTC of the day the estate was created: every age counts back from here. */
  epochMs: number;
}

/** Instance families with their sizes (smallest first) and CPU architecture. m4 and t2 are previous generation. */
const FAMILIES: Record<string, { weight: number; sizes: string[]; arch: 'x86_64' | 'arm64' }> = {
  t3: { weight: 20, sizes: ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'], arch: 'x86_64' },
  m5: { weight: 16, sizes: ['large', 'xlarge', '2xlarge', '4xlarge'], arch: 'x86_64' },
  m6i: { weight: 12, sizes: ['large', 'xlarge', '2xlarge', '4xlarge'], arch: 'x86_64' },
  m7g: { weight: 10, sizes: ['medium', 'large', 'xlarge', '2xlarge', '4xlarge'], arch: 'arm64' },
  c5: { weight: 10, sizes: ['large', 'xlarge', '2xlarge', '4xlarge'], arch: 'x86_64' },
  c6i: { weight: 8, sizes: ['large', 'xlarge', '2xlarge', '4xlarge'], arch: 'x86_64' },
  r5: { weight: 8, sizes: ['large', 'xlarge', '2xlarge', '4xlarge'], arch: 'x86_64' },
  t2: { weight: 7, sizes: ['micro', 'small', 'medium', 'large', 'xlarge'], arch: 'x86_64' },
  m4: { weight: 6, sizes: ['large', 'xlarge', '2xlarge', '4xlarge'], arch: 'x86_64' },
};
const FAMILY_WEIGHTS = Object.fromEntries(Object.entries(FAMILIES).map(([name, f]) => [name, f.weight]));

const DB_APPS = ['orders', 'users', 'ledger', 'catalog', 'events', 'sessions', 'billing'];
const FN_PURPOSES = ['thumbnailer', 'webhook', 'nightly-export', 'authorizer', 'event-router', 'report-builder', 'cleanup', 'sync'];
const RUNTIMES: Record<string, { weight: number; handler: string }> = {
  'nodejs20.x': { weight: 30, handler: 'index.handler' },
  'nodejs18.x': { weight: 10, handler: 'index.handler' },
  'python3.12': { weight: 25, handler: 'app.lambda_handler' },
  'python3.11': { weight: 10, handler: 'app.lambda_handler' },
  java21: { weight: 8, handler: 'com.example.Handler::handleRequest' },
  'provided.al2023': { weight: 9, handler: 'bootstrap' },
  dotnet8: { weight: 8, handler: 'Function::Function.Handler::FunctionHandler' },
};
const RUNTIME_WEIGHTS = Object.fromEntries(Object.entries(RUNTIMES).map(([name, r]) => [name, r.weight]));
const DB_CLASSES = { 'db.t3.medium': 30, 'db.m5.large': 25, 'db.r5.large': 15, 'db.m6g.large': 15, 'db.t2.small': 15 };
const DB_ENGINES: Record<string, string[]> = {
  postgres: ['14.12', '15.7', '16.3'],
  mysql: ['8.0.36', '8.0.39'],
  mariadb: ['10.11.8'],
};

type InstanceCategory = 'busy' | 'new' | 'idle' | 'stopped-old' | 'stopped-recent';

/** Generates the partition. Cost: a few milliseconds per thousand resources. */
export function generatePartition(input: PartitionInput): Partition {
  const { seed, accountId, region, epochMs } = input;
  const rng = new Rng(`${seed}|estate|${accountId}|${region}`);
  const counts = partitionSize(input);
  const zones = ['a', 'b', 'c'].map((letter) => `${region}${letter}`);
  const vpcId = `vpc-${rng.hex(17)}`;
  const subnets = zones.map(() => `subnet-${rng.hex(17)}`);
  const metricKey = (id: string) => hashString(`${seed}|metrics|${id}`);
  /** A moment `minDays`..`maxDays` before the epoch, at a random time of day. */
  const daysAgo = (minDays: number, maxDays: number) => epochMs - rng.between(minDays, maxDays) * DAY_MS;
  const privateIp = () => `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(4, 254)}`;
  const baseTags = (name: string, team = rng.pick(TEAMS)): Tags => ({
    Name: name,
    env: rng.weighted({ prod: 45, staging: 25, dev: 30 }),
    team,
    'cost-center': `cc-${team}`,
  });

  // EC2 instances: categories by quota (so even a small partition has each kind of waste), then shuffled.
  const m = counts['ec2-instance'];
  const categories: InstanceCategory[] = [];
  const push = (category: InstanceCategory, n: number) => {
    for (let i = 0; i < n && categories.length < m; i++) categories.push(category);
  };
  push('idle', m >= 3 ? Math.max(1, Math.round(m * 0.12)) : 0);
  push('stopped-old', m >= 4 ? Math.max(1, Math.round(m * 0.06)) : 0);
  push('stopped-recent', Math.round(m * 0.04));
  push('new', m >= 5 ? Math.max(1, Math.round(m * 0.08)) : 0);
  push('busy', m - categories.length);
  rng.shuffle(categories);

  const instances: SimInstance[] = [];
  let reservation = { id: `r-${rng.hex(17)}`, left: 0 };
  categories.forEach((category, index) => {
    if (reservation.left <= 0) {
      // Most launches start one instance; some start two or three, which share a reservation.
      const roll = rng.next();
      reservation = { id: `r-${rng.hex(17)}`, left: roll < 0.7 ? 1 : roll < 0.9 ? 2 : 3 };
    }
    reservation.left -= 1;
    const family = rng.weighted(FAMILY_WEIGHTS);
    const { sizes, arch } = FAMILIES[family];
    const size = sizes[Math.floor(rng.next() ** 1.4 * sizes.length)];
    const windows = arch === 'x86_64' && rng.chance(0.08);
    let launchTime: number;
    let stoppedAt: number | undefined;
    switch (category) {
      case 'new':
        launchTime = epochMs - rng.int(2, 240) * HOUR_MS - rng.int(0, 3599) * 1000;
        break;
      case 'idle':
        launchTime = daysAgo(25, 600);
        break;
      case 'stopped-old':
        stoppedAt = daysAgo(45, 300);
        launchTime = stoppedAt - rng.between(20, 600) * DAY_MS;
        break;
      case 'stopped-recent':
        stoppedAt = daysAgo(1, 10);
        launchTime = stoppedAt - rng.between(20, 600) * DAY_MS;
        break;
      default:
        launchTime = daysAgo(15, 900);
    }
    const running = stoppedAt === undefined;
    const zone = rng.int(0, zones.length - 1);
    const team = rng.pick(TEAMS);
    const role = rng.pick(ROLES);
    const id = `i-${rng.hex(17)}`;
    const instance: SimInstance = {
      id,
      reservationId: reservation.id,
      imageId: `ami-${rng.hex(17)}`,
      instanceType: `${family}.${size}`,
      family,
      state: running ? 'running' : 'stopped',
      launchTime: Math.round(launchTime),
      stoppedAt: stoppedAt === undefined ? undefined : Math.round(stoppedAt),
      profile: category === 'idle' ? 'idle' : 'busy',
      platform: windows ? 'windows' : 'linux',
      architecture: arch,
      spot: running && !windows && rng.chance(0.07),
      availabilityZone: zones[zone],
      subnetId: subnets[zone],
      vpcId,
      privateIp: privateIp(),
      volumeIds: [],
      tags: baseTags(`${role}-${team}-${index + 1}`, team),
      metricKey: metricKey(id),
    };
    instances.push(instance);
  });

  // EBS volumes: a root volume per instance, a few data volumes, and the unattached rest.
  const volumeCount = counts['ebs-volume'];
  const unattached = unattachedVolumeCount(volumeCount);
  const attachedCount = volumeCount - unattached;
  const volumes: SimVolume[] = [];
  const newVolume = (sizeGiB: number, createTime: number, zone: string, name: string, team: string): SimVolume => {
    const volumeType = rng.weighted({ gp2: 30, gp3: 60, io1: 10 });
    const id = `vol-${rng.hex(17)}`;
    const volume: SimVolume = {
      id,
      volumeType,
      sizeGiB,
      createTime: Math.round(createTime),
      availabilityZone: zone,
      encrypted: rng.chance(0.7),
      tags: baseTags(name, team),
      metricKey: metricKey(id),
    };
    if (volumeType === 'gp2') volume.iops = Math.min(16000, Math.max(100, 3 * sizeGiB));
    if (volumeType === 'gp3') {
      volume.iops = rng.pick([3000, 3000, 3000, 4000, 6000]);
      volume.throughput = rng.pick([125, 125, 125, 250, 500]);
    }
    if (volumeType === 'io1') volume.iops = Math.min(50 * Math.max(sizeGiB, 100), rng.pick([1000, 2000, 4000, 8000]));
    if (volumeType === 'io1' && sizeGiB < 100) volume.sizeGiB = 100;
    return volume;
  };
  for (let i = 0; i < attachedCount && instances.length > 0; i++) {
    const isRoot = i < instances.length;
    const instance = isRoot ? instances[i] : rng.pick(instances);
    const activeUntil = instance.stoppedAt ?? epochMs;
    const size = isRoot
      ? rng.pick(instance.platform === 'windows' ? [30, 50, 100, 128] : [8, 8, 16, 20, 30, 50, 100])
      : rng.pick([50, 100, 200, 250, 500, 1000, 2000]);
    const createTime = isRoot ? instance.launchTime : instance.launchTime + rng.between(0, 0.5) * (activeUntil - instance.launchTime);
    const suffix = isRoot ? 'root' : `data-${instance.volumeIds.length}`;
    const volume = newVolume(size, createTime, instance.availabilityZone, `${instance.tags.Name}-${suffix}`, instance.tags.team);
    const device = isRoot
      ? instance.platform === 'windows' ? '/dev/sda1' : '/dev/xvda'
      : `/dev/sd${String.fromCharCode(101 + instance.volumeIds.length)}`;
    volume.attachment = { instanceId: instance.id, device, attachTime: volume.createTime, deleteOnTermination: isRoot };
    instance.volumeIds.push(volume.id);
    volumes.push(volume);
  }
  while (volumes.length < volumeCount) {
    const zone = rng.pick(zones);
    const volume = newVolume(rng.pick([8, 20, 50, 100, 200, 500, 1000]), daysAgo(20, 500), zone, `${rng.pick(ROLES)}-scratch-${volumes.length + 1}`, rng.pick(TEAMS));
    volumes.push(volume);
  }

  // Snapshots: young and old from live volumes, orphans whose volume is gone, and AMI-backed ones.
  const snapshotCount = counts['ebs-snapshot'];
  const snapshots: SimSnapshot[] = [];
  const amiSnapshots: SimSnapshot[] = [];
  const snapshotKinds: ('live-young' | 'live-old' | 'orphan-young' | 'orphan-old' | 'ami-young' | 'ami-old')[] = [];
  const pushSnap = (kind: (typeof snapshotKinds)[number], n: number) => {
    for (let i = 0; i < n && snapshotKinds.length < snapshotCount; i++) snapshotKinds.push(kind);
  };
  const hasLiveVolumes = volumes.length > 0;
  const volumesByAge = [...volumes].sort((a, b) => a.createTime - b.createTime);
  pushSnap('orphan-young', snapshotCount >= 4 ? Math.max(1, Math.round(snapshotCount * 0.1)) : 0);
  pushSnap('orphan-old', Math.round(snapshotCount * 0.1));
  pushSnap('ami-young', snapshotCount >= 4 ? Math.max(1, Math.round(snapshotCount * 0.1)) : 0);
  pushSnap('ami-old', Math.round(snapshotCount * 0.06));
  pushSnap(hasLiveVolumes ? 'live-old' : 'orphan-old', snapshotCount >= 2 ? Math.max(1, Math.round(snapshotCount * 0.2)) : 0);
  pushSnap(hasLiveVolumes ? 'live-young' : 'orphan-young', snapshotCount - snapshotKinds.length);
  rng.shuffle(snapshotKinds);
  for (const kind of snapshotKinds) {
    const old = kind.endsWith('-old');
    const startTime = Math.round(old ? daysAgo(120, 400) : daysAgo(1, 60));
    const id = `snap-${rng.hex(17)}`;
    let volumeId: string;
    let volumeSizeGiB: number;
    let description: string;
    let team = rng.pick(TEAMS);
    if (kind.startsWith('live')) {
      // A volume that existed when the snapshot was taken, if there is one.
      const older = countBefore(volumesByAge, startTime);
      const source = older > 0 ? volumesByAge[rng.int(0, older - 1)] : rng.pick(volumes);
      volumeId = source.id;
      volumeSizeGiB = source.sizeGiB;
      team = source.tags.team;
      description = `Backup of ${source.tags.Name}`;
    } else if (kind.startsWith('orphan')) {
      volumeId = `vol-${rng.hex(17)}`;
      volumeSizeGiB = rng.pick([8, 20, 50, 100, 250, 500]);
      description = rng.pick(['Created by nightly backup job', 'pre-migration copy', 'manual snapshot before upgrade']);
    } else {
      volumeId = 'vol-ffffffff';
      volumeSizeGiB = rng.pick([8, 16, 30, 50]);
      description = 'Copied for image';
    }
    const snapshot: SimSnapshot = {
      id,
      volumeId,
      volumeSizeGiB,
      startTime,
      storageTier: old && rng.chance(0.3) ? 'archive' : 'standard',
      encrypted: rng.chance(0.7),
      description,
      sourceVolumeExists: kind.startsWith('live'),
      imageIds: [],
      tags: baseTags(`${team}-snapshot-${snapshots.length + 1}`, team),
    };
    snapshots.push(snapshot);
    if (kind.startsWith('ami')) amiSnapshots.push(snapshot);
  }

  // AMIs (not a resource kind of their own): each holds one or two of the AMI-backed snapshots.
  const images: SimImage[] = [];
  for (let i = 0; i < amiSnapshots.length; ) {
    const take = i + 1 < amiSnapshots.length && rng.chance(0.35) ? 2 : 1;
    const members = amiSnapshots.slice(i, i + take);
    i += take;
    const id = `ami-${rng.hex(17)}`;
    const team = rng.pick(TEAMS);
    const architecture = rng.chance(0.25) ? 'arm64' : 'x86_64';
    const creationTime = Math.max(...members.map((s) => s.startTime));
    for (const snapshot of members) {
      snapshot.imageIds.push(id);
      snapshot.description = `Created by CreateImage(i-${rng.hex(17)}) for ${id}`;
    }
    images.push({
      id,
      name: `${team}-${rng.pick(ROLES)}-golden-${new Date(creationTime).toISOString().slice(0, 10)}`,
      creationTime,
      architecture,
      platform: architecture === 'x86_64' && rng.chance(0.15) ? 'windows' : 'linux',
      snapshotIds: members.map((s) => s.id),
      snapshotSizes: members.map((s) => s.volumeSizeGiB),
      tags: { Name: `${team}-golden`, team },
    });
  }

  // Elastic IPs: unassociated ones are waste; associated ones sit on busy running instances.
  const addressCount = counts['elastic-ip'];
  const unassociatedQuota = addressCount >= 1 ? Math.max(1, Math.round(addressCount * 0.3)) : 0;
  const hosts = rng.shuffle(instances.filter((i) => i.state === 'running' && i.profile === 'busy'));
  const addresses: SimAddress[] = [];
  for (let i = 0; i < addressCount; i++) {
    const publicIp = `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    const address: SimAddress = {
      allocationId: `eipalloc-${rng.hex(17)}`,
      publicIp,
      tags: { Name: `eip-${i + 1}`, team: rng.pick(TEAMS) },
    };
    const host = i >= unassociatedQuota ? hosts.pop() : undefined;
    if (host) {
      host.publicIp = publicIp;
      address.association = {
        associationId: `eipassoc-${rng.hex(17)}`,
        instanceId: host.id,
        networkInterfaceId: `eni-${rng.hex(17)}`,
        privateIp: host.privateIp,
      };
      address.tags = { Name: `${host.tags.Name}-eip`, team: host.tags.team };
    }
    addresses.push(address);
  }

  // RDS instances: about a fifth idle (no connection at all), the rest busy.
  const dbCount = counts['rds-instance'];
  const idleDbs = dbCount >= 2 ? Math.max(1, Math.round(dbCount * 0.2)) : 0;
  const dbProfiles = rng.shuffle(Array.from({ length: dbCount }, (_, i): SimDbInstance['profile'] => (i < idleDbs ? 'idle' : 'busy')));
  const dbInstances: SimDbInstance[] = dbProfiles.map((profile, index) => {
    const team = rng.pick(TEAMS);
    const app = rng.pick(DB_APPS);
    const tags = baseTags('', team);
    const id = `${team}-${app}-${tags.env}-${index + 1}`;
    tags.Name = id;
    const dbInstanceClass = rng.weighted(DB_CLASSES);
    const engine = rng.weighted({ postgres: 45, mysql: 40, mariadb: 15 });
    const multiAz = dbInstanceClass !== 'db.t2.small' && rng.chance(0.3);
    const zone = rng.int(0, zones.length - 1);
    return {
      id,
      resourceId: `db-${rng.hex(26).toUpperCase()}`,
      dbInstanceClass,
      engine,
      engineVersion: rng.pick(DB_ENGINES[engine]),
      multiAz,
      storageType: rng.chance(0.4) ? 'gp2' : 'gp3',
      allocatedStorageGiB: rng.pick([20, 50, 100, 200, 500, 1000]),
      createTime: Math.round(profile === 'idle' ? daysAgo(30, 800) : daysAgo(3, 900)),
      availabilityZone: zones[zone],
      secondaryAvailabilityZone: multiAz ? zones[(zone + 1) % zones.length] : undefined,
      profile,
      tags,
      metricKey: metricKey(`rds|${id}`),
    };
  });

  // Lambda functions: a fifth never invoked in the lookback, some invoked now and then, the rest busy.
  const fnCount = counts['lambda-function'];
  const unusedFns = fnCount >= 2 ? Math.max(1, Math.round(fnCount * 0.2)) : 0;
  const fnProfiles: FunctionProfile[] = rng.shuffle(
    Array.from({ length: fnCount }, (_, i) => (i < unusedFns ? 'unused' : i < unusedFns + Math.round((fnCount - unusedFns) * 0.3) ? 'sparse' : 'busy')),
  );
  const functions: SimFunction[] = fnProfiles.map((profile, index) => {
    const team = rng.pick(TEAMS);
    const tags = baseTags('', team);
    const name = `${team}-${rng.pick(FN_PURPOSES)}-${tags.env}-${index + 1}`;
    tags.Name = name;
    const runtime = rng.weighted(RUNTIME_WEIGHTS);
    const lastModified = Math.round(profile === 'unused' ? daysAgo(60, 700) : daysAgo(1, 700));
    return {
      name,
      memoryMb: rng.pick([128, 128, 256, 512, 1024, 1536, 2048, 3008]),
      architecture: rng.chance(0.25) ? 'arm64' : 'x86_64',
      runtime,
      handler: RUNTIMES[runtime].handler,
      timeoutSec: rng.pick([3, 10, 30, 60, 300, 900]),
      codeSize: rng.int(2_000, 40_000_000),
      description: `${team} ${name.split('-')[1]} function`,
      lastModified,
      createdAt: Math.round(lastModified - rng.between(0, 300) * DAY_MS),
      profile,
      tags,
      metricKey: metricKey(`lambda|${name}`),
    };
  });

  // NAT gateways, load balancers and DB snapshots: each kind from a stream of its own (see kind-generation.ts).
  const layout = { seed, accountId, region, epochMs, vpcId, zones, subnets };
  const natGateways = generateNatGateways(kindContext(layout, 'nat-gateway'), counts['nat-gateway']);
  const { loadBalancers, targetGroups } = generateLoadBalancers(kindContext(layout, 'load-balancer'), counts['load-balancer'], instances);
  const dbSnapshots = generateDbSnapshots(kindContext(layout, 'rds-snapshot'), counts['rds-snapshot'], dbInstances);

  const partition: Partition = {
    accountId,
    region,
    instances,
    volumes,
    snapshots,
    images,
    addresses,
    dbInstances,
    functions,
    natGateways,
    loadBalancers,
    targetGroups,
    dbSnapshots,
    instanceById: new Map(instances.map((i) => [i.id, i])),
    volumeById: new Map(volumes.map((v) => [v.id, v])),
    dbInstanceById: new Map(dbInstances.map((d) => [d.id, d])),
    functionByName: new Map(functions.map((f) => [f.name, f])),
    natGatewayById: new Map(natGateways.map((n) => [n.id, n])),
    loadBalancerByDimension: new Map(loadBalancers.map((lb) => [lb.dimension, lb])),
  };
  tagSomeHealthyAsIgnored(partition, rng, epochMs);
  return partition;
}

/** How many of the volumes (sorted by creation) were created before `ms`. */
function countBefore(sorted: SimVolume[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].createTime < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Puts `finops:ignore` on a few healthy instances and volumes (never on planted waste, so the truth stays simple),
 * and on at least one healthy instance per partition when there is one.
 */
function tagSomeHealthyAsIgnored(partition: Partition, rng: Rng, epochMs: number): void {
  const healthy = new Set(
    classifyPartition(partition, epochMs)
      .filter((r) => r.checkIds.length === 0 && (r.kind === 'ec2-instance' || r.kind === 'ebs-volume'))
      .map((r) => r.resourceId),
  );
  let tagged = 0;
  const ignore = (tags: Tags) => {
    tags['finops:ignore'] = 'true';
    tagged += 1;
  };
  for (const instance of partition.instances) if (healthy.has(instance.id) && rng.chance(0.04)) ignore(instance.tags);
  for (const volume of partition.volumes) if (healthy.has(volume.id) && rng.chance(0.03)) ignore(volume.tags);
  if (tagged === 0) {
    const first = partition.instances.find((i) => healthy.has(i.id));
    if (first) ignore(first.tags);
  }
}
