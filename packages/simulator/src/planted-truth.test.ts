// The ground truth agrees with what the SDK is served: planted waste looks like waste, healthy resources look busy.
import { GetMetricDataCommand, paginateGetMetricData, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type Instance,
  type Snapshot,
  type Volume,
} from '@aws-sdk/client-ec2';
import { DescribeNatGatewaysCommand } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import type { ResourceKind } from '@finops/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedAws, type SimulatedAws } from './create-simulated-aws.js';
import { PLANTED_CHECK_IDS, type PlantedCheckId } from './ground-truth.js';
import { MANAGEMENT, MEMBER, percentile, sdkClients, simulationOptions } from './test-support.js';

const REGIONS = ['eu-west-1', 'us-east-2'];
const DAY = 86_400_000;

interface Served {
  accountId: string;
  region: string;
  cloudwatch: CloudWatchClient;
  instances: Instance[];
  volumes: Volume[];
  snapshots: Snapshot[];
  imageSnapshotIds: Set<string>;
  addresses: { AllocationId?: string; AssociationId?: string }[];
  dbs: string[];
  functions: string[];
  /** NAT gateway ids, load balancer ARNs and classic names, manual DB snapshot identifiers. */
  newKinds: string[];
}

/** Values of every query, by Id, read through the paginator in chunks of 100 queries. */
async function metricValues(cloudwatch: CloudWatchClient, queries: MetricDataQuery[], start: Date, end: Date): Promise<Map<string, { t: number[]; v: number[] }>> {
  const out = new Map<string, { t: number[]; v: number[] }>();
  for (let i = 0; i < queries.length; i += 100) {
    const input = { StartTime: start, EndTime: end, MetricDataQueries: queries.slice(i, i + 100) };
    for await (const page of paginateGetMetricData({ client: cloudwatch }, input)) {
      for (const r of page.MetricDataResults ?? []) {
        const entry = out.get(r.Id as string) ?? { t: [], v: [] };
        entry.t.push(...(r.Timestamps ?? []).map((t) => t.getTime()));
        entry.v.push(...(r.Values ?? []));
        out.set(r.Id as string, entry);
      }
    }
  }
  return out;
}

function query(id: string, namespace: string, metric: string, dimension: string, value: string, period: number, stat: string): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: namespace, MetricName: metric, Dimensions: [{ Name: dimension, Value: value }] }, Period: period, Stat: stat } };
}

describe('planted ground truth', () => {
  let sim: SimulatedAws;
  const served: Served[] = [];
  const truth = new Map<PlantedCheckId, Set<string>>();
  const healthy = new Set<string>();
  const today = Math.floor(Date.now() / DAY) * DAY;

  beforeAll(async () => {
    sim = createSimulatedAws(simulationOptions({ resourcesPerRegion: 120 }), REGIONS);
    for (const w of sim.plantedWaste()) {
      const set = truth.get(w.checkId) ?? new Set<string>();
      set.add(w.resourceId);
      truth.set(w.checkId, set);
    }
    for (const h of sim.healthyResources()) healthy.add(h.resourceId);
    for (const accountId of [MANAGEMENT, MEMBER]) {
      for (const region of REGIONS) {
        const { ec2, rds, lambda, cloudwatch, elbv2, elb } = sdkClients(sim, accountId, region);
        const images = (await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
        served.push({
          accountId,
          region,
          cloudwatch,
          instances: ((await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []),
          volumes: (await ec2.send(new DescribeVolumesCommand({}))).Volumes ?? [],
          snapshots: (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots ?? [],
          imageSnapshotIds: new Set(images.flatMap((i) => (i.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId as string))),
          addresses: (await ec2.send(new DescribeAddressesCommand({}))).Addresses ?? [],
          dbs: ((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).map((d) => d.DBInstanceIdentifier as string),
          functions: ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName as string),
          newKinds: [
            ...((await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? []).map((n) => n.NatGatewayId as string),
            ...((await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).map((lb) => lb.LoadBalancerArn as string),
            ...((await elb.send(new DescribeClassicLoadBalancersCommand({}))).LoadBalancerDescriptions ?? []).map((lb) => lb.LoadBalancerName as string),
            ...((await rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }))).DBSnapshots ?? []).map((d) => d.DBSnapshotIdentifier as string),
          ],
        });
      }
    }
  });

  const planted = (checkId: PlantedCheckId) => truth.get(checkId) ?? new Set<string>();
  const all = <T>(pick: (s: Served) => T[]) => served.flatMap(pick);

  it('plants every check id, and healthy plus planted cover every served resource exactly', () => {
    for (const checkId of PLANTED_CHECK_IDS) expect(planted(checkId).size, checkId).toBeGreaterThan(0);
    const plantedIds = new Set(sim.plantedWaste().map((w) => w.resourceId));
    for (const id of plantedIds) expect(healthy.has(id)).toBe(false);
    const servedIds = [
      ...all((s) => s.instances.map((i) => i.InstanceId as string)),
      ...all((s) => s.volumes.map((v) => v.VolumeId as string)),
      ...all((s) => s.snapshots.map((v) => v.SnapshotId as string)),
      ...all((s) => s.addresses.map((a) => a.AllocationId as string)),
      ...all((s) => s.dbs),
      ...all((s) => s.functions),
      ...all((s) => s.newKinds),
    ];
    expect(new Set(servedIds)).toEqual(new Set([...plantedIds, ...healthy]));
    const kinds = new Map<ResourceKind, number>();
    for (const h of sim.healthyResources()) kinds.set(h.kind, (kinds.get(h.kind) ?? 0) + 1);
    expect(kinds.get('ec2-instance')).toBeGreaterThan(0);
  });

  it('matches the served EC2 and EBS state exactly', () => {
    const available = all((s) => s.volumes.filter((v) => v.State === 'available').map((v) => v.VolumeId as string));
    expect(new Set(available)).toEqual(planted('ebs-unattached-volume'));
    const gp2 = all((s) => s.volumes.filter((v) => v.VolumeType === 'gp2').map((v) => v.VolumeId as string));
    expect(new Set(gp2)).toEqual(planted('ebs-gp2-volume'));
    const unassociated = all((s) => s.addresses.filter((a) => !a.AssociationId).map((a) => a.AllocationId as string));
    expect(new Set(unassociated)).toEqual(planted('eip-unassociated-address'));

    const stoppedDays = (i: Instance) => {
      const at = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)/.exec(i.StateTransitionReason ?? '');
      expect(at, i.StateTransitionReason).not.toBeNull();
      return (Date.now() - Date.parse(`${at?.[1]}T${at?.[2]}Z`)) / DAY;
    };
    const stopped = all((s) => s.instances.filter((i) => i.State?.Name === 'stopped'));
    for (const instance of stopped) {
      const days = stoppedDays(instance);
      // Nothing near the 30-day threshold.
      expect(days < 12 || days > 44).toBe(true);
    }
    expect(new Set(stopped.filter((i) => stoppedDays(i) > 30).map((i) => i.InstanceId))).toEqual(planted('ec2-stopped-instance'));
  });

  it('matches the served snapshots: age and orphans', () => {
    const ageDays = (s: Snapshot) => (Date.now() - (s.StartTime as Date).getTime()) / DAY;
    const snapshots = all((s) => s.snapshots);
    for (const snapshot of snapshots) expect(ageDays(snapshot) < 62 || ageDays(snapshot) > 119).toBe(true);
    expect(new Set(snapshots.filter((s) => ageDays(s) > 90).map((s) => s.SnapshotId))).toEqual(planted('ebs-old-snapshot'));
    const orphans = all((s) => {
      const volumeIds = new Set(s.volumes.map((v) => v.VolumeId));
      return s.snapshots.filter((snap) => !volumeIds.has(snap.VolumeId) && !s.imageSnapshotIds.has(snap.SnapshotId as string)).map((snap) => snap.SnapshotId as string);
    });
    expect(new Set(orphans)).toEqual(planted('ebs-orphaned-snapshot'));
    // AMI snapshots whose volume is gone exist too: the trap for a check that ignores AMIs.
    expect(all((s) => s.snapshots.filter((snap) => s.imageSnapshotIds.has(snap.SnapshotId as string))).length).toBeGreaterThan(0);
  });

  it('keeps finops:ignore off planted resources and on some healthy ones', () => {
    const plantedIds = new Set(sim.plantedWaste().map((w) => w.resourceId));
    const tagged = [
      ...all((s) => s.instances.filter((i) => i.Tags?.some((t) => t.Key === 'finops:ignore')).map((i) => i.InstanceId as string)),
      ...all((s) => s.volumes.filter((v) => v.Tags?.some((t) => t.Key === 'finops:ignore')).map((v) => v.VolumeId as string)),
    ];
    expect(tagged.length).toBeGreaterThan(0);
    for (const id of tagged) expect(plantedIds.has(id)).toBe(false);
  });

  it('serves idle instances as idle and every other running instance as clearly busy', async () => {
    const start = new Date(today - 14 * DAY);
    const end = new Date(today);
    let idleSeen = 0;
    let busySeen = 0;
    for (const s of served) {
      const running = s.instances.filter((i) => i.State?.Name === 'running');
      const queries = running.flatMap((i, n) => [
        query(`cpu${n}`, 'AWS/EC2', 'CPUUtilization', 'InstanceId', i.InstanceId as string, 3600, 'Average'),
        query(`max${n}`, 'AWS/EC2', 'CPUUtilization', 'InstanceId', i.InstanceId as string, 3600, 'Maximum'),
        query(`in${n}`, 'AWS/EC2', 'NetworkIn', 'InstanceId', i.InstanceId as string, 86400, 'Sum'),
        query(`out${n}`, 'AWS/EC2', 'NetworkOut', 'InstanceId', i.InstanceId as string, 86400, 'Sum'),
      ]);
      const values = await metricValues(s.cloudwatch, queries, start, end);
      running.forEach((instance, n) => {
        const cpu = values.get(`cpu${n}`)?.v ?? [];
        const peak = values.get(`max${n}`)?.v ?? [];
        const inDaily = values.get(`in${n}`) ?? { t: [], v: [] };
        const outDaily = values.get(`out${n}`)?.v ?? [];
        const launchedAt = (instance.LaunchTime as Date).getTime();
        // Whole days after launch only: the launch day is partial.
        const fullDays = inDaily.t.map((t, k) => ({ t, bytes: inDaily.v[k] + outDaily[k] })).filter((d) => d.t > launchedAt);
        expect(cpu.length).toBeGreaterThan(0);
        if (planted('ec2-idle-instance').has(instance.InstanceId as string)) {
          idleSeen += 1;
          expect(launchedAt).toBeLessThan(Date.now() - 20 * DAY);
          expect(cpu).toHaveLength(14 * 24);
          expect(percentile(cpu, 99)).toBeLessThan(3);
          expect(Math.max(...peak)).toBeLessThan(5);
          for (const d of fullDays) expect(d.bytes).toBeLessThan(1_000_000);
        } else {
          busySeen += 1;
          expect(percentile(cpu, 99)).toBeGreaterThanOrEqual(20);
          expect(cpu.filter((v) => v >= 15 && v <= 80).length / cpu.length).toBeGreaterThan(0.8);
          for (const d of fullDays) expect(d.bytes).toBeGreaterThan(50_000_000);
        }
      });
    }
    expect(idleSeen).toBe(planted('ec2-idle-instance').size);
    expect(busySeen).toBeGreaterThan(idleSeen);
  });

  it('serves idle databases with zero connections and unused functions with no invocations', async () => {
    for (const s of served) {
      const dbQueries = s.dbs.map((id, n) => query(`db${n}`, 'AWS/RDS', 'DatabaseConnections', 'DBInstanceIdentifier', id, 3600, 'Maximum'));
      const fnQueries = s.functions.map((name, n) => query(`fn${n}`, 'AWS/Lambda', 'Invocations', 'FunctionName', name, 86400, 'Sum'));
      const dbValues = await metricValues(s.cloudwatch, dbQueries, new Date(today - 8 * DAY), new Date(today));
      const fnValues = await metricValues(s.cloudwatch, fnQueries, new Date(today - 30 * DAY), new Date(today));
      s.dbs.forEach((id, n) => {
        const connections = dbValues.get(`db${n}`)?.v ?? [];
        if (planted('rds-idle-instance').has(id)) {
          expect(connections).toHaveLength(8 * 24);
          expect(Math.max(...connections)).toBe(0);
        } else {
          expect(Math.max(...connections)).toBeGreaterThan(0);
        }
      });
      s.functions.forEach((name, n) => {
        const invocations = (fnValues.get(`fn${n}`)?.v ?? []).reduce((sum, v) => sum + v, 0);
        if (planted('lambda-unused-function').has(name)) expect(invocations).toBe(0);
        else expect(invocations).toBeGreaterThan(0);
      });
    }
  });

  it('serves EBS activity only for attached volumes', async () => {
    const s = served[0];
    const queries = s.volumes.map((v, n) => query(`r${n}`, 'AWS/EBS', 'VolumeReadOps', 'VolumeId', v.VolumeId as string, 86400, 'Sum'));
    const values = await metricValues(s.cloudwatch, queries, new Date(today - 7 * DAY), new Date(today));
    s.volumes.forEach((volume, n) => {
      const ops = values.get(`r${n}`)?.v ?? [];
      if (volume.State === 'available') expect(ops).toEqual([]);
    });
    expect([...values.values()].some((series) => series.v.some((v) => v > 0))).toBe(true);
  });

  it('keeps GetMetricData results bounded per call', async () => {
    const s = served[0];
    const id = s.instances[0].InstanceId as string;
    const out = await s.cloudwatch.send(
      new GetMetricDataCommand({ StartTime: new Date(today - DAY), EndTime: new Date(today), MetricDataQueries: [query('one', 'AWS/EC2', 'CPUUtilization', 'InstanceId', id, 3600, 'Average')], MaxDatapoints: 10 }),
    );
    expect(out.MetricDataResults?.[0]?.Values?.length ?? 0).toBeLessThanOrEqual(10);
  });
});
