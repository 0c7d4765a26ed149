// NAT gateways through the real EC2 client: paging with its `Filter` list, and idle gateways moving no bytes at all.
import { paginateGetMetricData, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeNatGatewaysCommand, paginateDescribeNatGateways, type NatGateway } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedAws, type SimulatedAws } from './create-simulated-aws.js';
import { errorOf, MANAGEMENT, MEMBER, sdkClients, simulationOptions, type SdkClients } from './test-support.js';

const REGIONS = ['eu-west-1', 'us-east-2'];
const DAY = 86_400_000;

describe('simulated NAT gateways', () => {
  let sim: SimulatedAws;
  const served: { clients: SdkClients; gateways: NatGateway[] }[] = [];

  beforeAll(async () => {
    sim = createSimulatedAws(simulationOptions({ resourcesPerRegion: 400 }), REGIONS);
    for (const accountId of [MANAGEMENT, MEMBER]) {
      for (const region of REGIONS) {
        const clients = sdkClients(sim, accountId, region);
        const gateways: NatGateway[] = [];
        for await (const page of paginateDescribeNatGateways({ client: clients.ec2, pageSize: 5 }, {})) gateways.push(...(page.NatGateways ?? []));
        served.push({ clients, gateways });
      }
    }
  });

  it('pages with MaxResults 5–1000, filters with `Filter`, and counts as inventoryCounts plans', async () => {
    const total = served.reduce((n, s) => n + s.gateways.length, 0);
    expect(total).toBe(sim.inventoryCounts()['nat-gateway']);
    const { clients, gateways } = served[0]!;
    expect(new Set(gateways.map((g) => g.NatGatewayId)).size).toBe(gateways.length);
    expect(gateways[0]).toMatchObject({
      NatGatewayId: expect.stringMatching(/^nat-[0-9a-f]{17}$/),
      State: 'available',
      ConnectivityType: expect.stringMatching(/^(public|private)$/),
      CreateTime: expect.any(Date),
      NatGatewayAddresses: [expect.objectContaining({ NetworkInterfaceId: expect.stringMatching(/^eni-/) })],
    });
    const one = await clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'nat-gateway-id', Values: [gateways[0]!.NatGatewayId as string] }] }));
    expect(one.NatGateways?.map((g) => g.NatGatewayId)).toEqual([gateways[0]!.NatGatewayId]);
    expect((await errorOf(() => clients.ec2.send(new DescribeNatGatewaysCommand({ MaxResults: 1001 })))).name).toBe('InvalidParameterValue');
  });

  it('plants idle gateways with zero bytes both ways for 30 days, and busy ones with traffic every day', async () => {
    const idle = new Set(sim.plantedWaste().filter((w) => w.checkId === 'nat-idle-gateway').map((w) => w.resourceId));
    expect(idle.size).toBeGreaterThan(0);
    const today = Math.floor(Date.now() / DAY) * DAY;
    let busy = 0;
    for (const { clients, gateways } of served) {
      const queries: MetricDataQuery[] = gateways.flatMap((g, n) =>
        ['BytesOutToDestination', 'BytesOutToSource'].map((metric, k) => ({
          Id: `q${n}_${k}`,
          MetricStat: { Metric: { Namespace: 'AWS/NATGateway', MetricName: metric, Dimensions: [{ Name: 'NatGatewayId', Value: g.NatGatewayId as string }] }, Period: 86400, Stat: 'Sum' },
        })),
      );
      const values = new Map<string, number[]>();
      for await (const page of paginateGetMetricData({ client: clients.cloudwatch }, { StartTime: new Date(today - 30 * DAY), EndTime: new Date(today), MetricDataQueries: queries })) {
        for (const r of page.MetricDataResults ?? []) values.set(r.Id as string, [...(values.get(r.Id as string) ?? []), ...(r.Values ?? [])]);
      }
      gateways.forEach((g, n) => {
        const out = values.get(`q${n}_0`) ?? [];
        const back = values.get(`q${n}_1`) ?? [];
        if (idle.has(g.NatGatewayId as string)) {
          // Created more than 30 days ago: a full window of datapoints, every one of them 0.
          expect(out).toHaveLength(30);
          expect([...out, ...back].every((v) => v === 0)).toBe(true);
        } else {
          busy += 1;
          expect(out.length).toBeGreaterThan(0);
          expect(Math.min(...out)).toBeGreaterThan(1_000_000);
          expect(Math.min(...back)).toBeGreaterThan(0);
        }
      });
    }
    expect(busy).toBeGreaterThan(0);
  });
});
