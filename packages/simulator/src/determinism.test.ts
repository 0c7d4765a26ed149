// Same options, same estate: across instances, whatever order partitions are built in; another seed, another estate.
import { DescribeAddressesCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { createSimulatedAws } from './create-simulated-aws.js';
import { MANAGEMENT, MEMBER, sdkClients, simulationOptions } from './test-support.js';

const REGIONS = ['eu-west-1', 'us-east-1'];

/** Everything a scan reads from one partition, without per-call request metadata. */
async function snapshotOf(sim: ReturnType<typeof createSimulatedAws>, accountId: string, region: string) {
  const { ec2, rds, lambda, cloudwatch } = sdkClients(sim, accountId, region);
  const strip = <T extends { $metadata: unknown }>(output: T): Omit<T, '$metadata'> => {
    const { $metadata: _requestMetadata, ...rest } = output;
    return rest;
  };
  const instances = await ec2.send(new DescribeInstancesCommand({}));
  const ids = (instances.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId as string);
  // Whole hours, so two snapshots taken a moment apart ask for the same window.
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const metrics = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - 3 * 86_400_000),
      EndTime: end,
      MetricDataQueries: ids.slice(0, 10).map((id, i) => ({
        Id: `q${i}`,
        MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 3600, Stat: 'Average' },
      })),
    }),
  );
  return {
    instances: strip(instances),
    volumes: strip(await ec2.send(new DescribeVolumesCommand({}))),
    snapshots: strip(await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))),
    addresses: strip(await ec2.send(new DescribeAddressesCommand({}))),
    dbs: strip(await rds.send(new DescribeDBInstancesCommand({}))),
    functions: strip(await lambda.send(new ListFunctionsCommand({}))),
    metrics: strip(metrics),
  };
}

describe('determinism', () => {
  it('two simulators with the same options serve identical estates and ground truth', async () => {
    const a = createSimulatedAws(simulationOptions(), REGIONS);
    const b = createSimulatedAws(simulationOptions(), REGIONS);
    // Build partitions in opposite orders: each partition has its own seeded stream.
    const a1 = await snapshotOf(a, MANAGEMENT, 'eu-west-1');
    const a2 = await snapshotOf(a, MEMBER, 'us-east-1');
    const b2 = await snapshotOf(b, MEMBER, 'us-east-1');
    const b1 = await snapshotOf(b, MANAGEMENT, 'eu-west-1');
    expect(b1).toEqual(a1);
    expect(b2).toEqual(a2);
    expect(b.plantedWaste()).toEqual(a.plantedWaste());
    expect(b.healthyResources()).toEqual(a.healthyResources());
    expect(b.injectedAnomalies()).toEqual(a.injectedAnomalies());
    // Stopped instances have no recent datapoints; the running ones do.
    expect(a1.metrics.MetricDataResults?.filter((r) => (r.Values ?? []).length > 0).length).toBeGreaterThan(5);
  });

  it('a different seed gives a different estate', async () => {
    const a = createSimulatedAws(simulationOptions({ seed: 1 }), REGIONS);
    const b = createSimulatedAws(simulationOptions({ seed: 2 }), REGIONS);
    const idsOf = (sim: typeof a) => sim.plantedWaste().map((w) => w.resourceId);
    expect(idsOf(a)).not.toEqual(idsOf(b));
  });

  it('partitions differ between accounts and regions', async () => {
    const sim = createSimulatedAws(simulationOptions(), REGIONS);
    const x = await snapshotOf(sim, MANAGEMENT, 'eu-west-1');
    const y = await snapshotOf(sim, MANAGEMENT, 'us-east-1');
    expect(x.instances).not.toEqual(y.instances);
  });

  it('inventoryCounts matches what is served, without building partitions itself', async () => {
    const sim = createSimulatedAws(simulationOptions({ resourcesPerRegion: 200 }), REGIONS);
    const counts = sim.inventoryCounts();
    const total = Object.values(counts).reduce((s, n) => s + n, 0);
    expect(total).toBeGreaterThan(4 * 200 * 0.88);
    expect(total).toBeLessThan(4 * 200 * 1.12);
    let instances = 0;
    let volumes = 0;
    let functions = 0;
    for (const accountId of [MANAGEMENT, MEMBER]) {
      for (const region of REGIONS) {
        const s = await snapshotOf(sim, accountId, region);
        instances += (s.instances.Reservations ?? []).flatMap((r) => r.Instances ?? []).length;
        volumes += s.volumes.Volumes?.length ?? 0;
        functions += s.functions.Functions?.length ?? 0;
      }
    }
    expect(instances).toBe(counts['ec2-instance']);
    expect(volumes).toBe(counts['ebs-volume']);
    expect(functions).toBe(counts['lambda-function']);
  });
});
