// A partition of the 100k-resource demo size (~6,250 resources) generates and serves quickly; timings are printed.
import { paginateGetMetricData, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { createSimulatedAws } from './create-simulated-aws.js';
import { generatePartition } from './generate-partition.js';
import { MANAGEMENT, sdkClients, simulationOptions } from './test-support.js';

const REGION = 'eu-central-1';
const DAY = 86_400_000;

describe('scale', () => {
  it('generates a ~6,250-resource partition and serves it through the SDK', async () => {
    const epochMs = Math.floor(Date.now() / DAY) * DAY;
    const started = performance.now();
    const partition = generatePartition({ seed: 7, accountId: MANAGEMENT, region: REGION, resourcesPerRegion: 6250, epochMs });
    const generatedMs = performance.now() - started;
    const resources =
      partition.instances.length + partition.volumes.length + partition.snapshots.length + partition.addresses.length + partition.dbInstances.length + partition.functions.length;
    console.log(`scale: generated ${resources} resources in ${generatedMs.toFixed(1)} ms`);
    expect(resources).toBeGreaterThan(6250 * 0.88);
    expect(resources).toBeLessThan(6250 * 1.12);

    const sim = createSimulatedAws(simulationOptions({ seed: 7, resourcesPerRegion: 6250 }), [REGION]);
    const { ec2, cloudwatch } = sdkClients(sim, MANAGEMENT, REGION);
    let t = performance.now();
    const ids: string[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 1000 }, {})) {
      ids.push(...(page.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId as string));
    }
    console.log(`scale: listed ${ids.length} instances in ${(performance.now() - t).toFixed(1)} ms (partition built on first call)`);
    expect(ids).toHaveLength(partition.instances.length);

    // 14 days of hourly CPU for 300 instances: 100,800 datapoints, exactly one call's worth.
    t = performance.now();
    const end = new Date(epochMs);
    const queries: MetricDataQuery[] = ids.slice(0, 300).map((id, n) => ({
      Id: `cpu${n}`,
      MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 3600, Stat: 'Average' },
    }));
    let points = 0;
    let pages = 0;
    for await (const page of paginateGetMetricData({ client: cloudwatch }, { StartTime: new Date(epochMs - 14 * DAY), EndTime: end, MetricDataQueries: queries })) {
      pages += 1;
      points += (page.MetricDataResults ?? []).reduce((s, r) => s + (r.Values ?? []).length, 0);
    }
    console.log(`scale: GetMetricData served ${points} datapoints in ${pages} page(s), ${(performance.now() - t).toFixed(1)} ms`);
    expect(points).toBeGreaterThan(0);
    expect(points).toBeLessThanOrEqual(100_800);
  });
});
