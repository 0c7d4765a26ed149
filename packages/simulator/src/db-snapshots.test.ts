// RDS DescribeDBSnapshots: manual and automated snapshots, paging, and the planted old and orphaned manual snapshots.
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, paginateDescribeDBSnapshots, type DBSnapshot } from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedAws, type SimulatedAws } from './create-simulated-aws.js';
import { errorOf, MANAGEMENT, MEMBER, sdkClients, simulationOptions, type SdkClients } from './test-support.js';

const REGIONS = ['eu-west-1', 'us-east-2'];
const DAY = 86_400_000;

describe('simulated DB snapshots', () => {
  let sim: SimulatedAws;
  const served: { clients: SdkClients; manual: DBSnapshot[]; instances: { id: string; resourceId: string }[] }[] = [];

  beforeAll(async () => {
    sim = createSimulatedAws(simulationOptions({ resourcesPerRegion: 300 }), REGIONS);
    for (const accountId of [MANAGEMENT, MEMBER]) {
      for (const region of REGIONS) {
        const clients = sdkClients(sim, accountId, region);
        const manual: DBSnapshot[] = [];
        for await (const page of paginateDescribeDBSnapshots({ client: clients.rds, pageSize: 20 }, { SnapshotType: 'manual' })) manual.push(...(page.DBSnapshots ?? []));
        const instances = ((await clients.rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).map((db) => ({
          id: db.DBInstanceIdentifier as string,
          resourceId: db.DbiResourceId as string,
        }));
        served.push({ clients, manual, instances });
      }
    }
  });

  it('lists manual snapshots as inventoryCounts plans, and automated ones only when asked for all', async () => {
    expect(served.reduce((n, s) => n + s.manual.length, 0)).toBe(sim.inventoryCounts()['rds-snapshot']);
    const { clients, manual, instances } = served[0]!;
    expect(manual.every((s) => s.SnapshotType === 'manual' && s.Status === 'available')).toBe(true);
    // Without SnapshotType the answer also holds a week of automated snapshots per instance.
    const everything: DBSnapshot[] = [];
    for await (const page of paginateDescribeDBSnapshots({ client: clients.rds, pageSize: 100 }, {})) everything.push(...(page.DBSnapshots ?? []));
    const automated = everything.filter((s) => s.SnapshotType === 'automated');
    expect(automated.length).toBeGreaterThan(instances.length);
    expect(automated.every((s) => s.DBSnapshotIdentifier?.startsWith('rds:'))).toBe(true);
    expect(everything.length).toBe(manual.length + automated.length);
    const invalid = await errorOf(() => clients.rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'nightly' })));
    expect(invalid.name).toBe('InvalidParameterValue');
    const missing = await errorOf(() => clients.rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'no-such-snapshot' })));
    expect(missing.name).toBe('DBSnapshotNotFoundFault');
  });

  it('plants old (> 90 days) and orphaned (source instance gone) manual snapshots exactly', () => {
    const planted = (checkId: string) => new Set(sim.plantedWaste().filter((w) => w.checkId === checkId).map((w) => w.resourceId));
    const ages = served.flatMap((s) => s.manual.map((snap) => ({ id: snap.DBSnapshotIdentifier as string, days: (Date.now() - (snap.SnapshotCreateTime as Date).getTime()) / DAY })));
    for (const { days } of ages) expect(days < 61 || days > 119).toBe(true);
    expect(new Set(ages.filter((a) => a.days > 90).map((a) => a.id))).toEqual(planted('rds-old-snapshot'));
    const orphans = served.flatMap((s) => {
      const live = new Set(s.instances.map((i) => i.resourceId));
      return s.manual.filter((snap) => !live.has(snap.DbiResourceId as string)).map((snap) => snap.DBSnapshotIdentifier as string);
    });
    expect(new Set(orphans)).toEqual(planted('rds-orphaned-snapshot'));
    expect(orphans.length).toBeGreaterThan(0);
    // Snapshots of live instances exist too, and name an instance that does exist.
    const live = served.flatMap((s) => s.manual.filter((snap) => s.instances.some((i) => i.id === snap.DBInstanceIdentifier)));
    expect(live.length).toBeGreaterThan(0);
  });
});
