// The SDK's own paginators read every item exactly once; page limits, tokens and filters behave as AWS's do.
import {
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  DescribeAddressesCommand,
  DescribeRegionsCommand,
} from '@aws-sdk/client-ec2';
import { ListFunctionsCommand, paginateListFunctions } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, paginateDescribeDBInstances } from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedAws } from './create-simulated-aws.js';
import { errorOf, MANAGEMENT, sdkClients, simulationOptions, type SdkClients } from './test-support.js';

const REGION = 'eu-west-1';

/** Collects every page, recording how many came back empty with a token. */
async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<{ all: T[]; pages: number; emptyPages: number }> {
  const all: T[] = [];
  let count = 0;
  let emptyPages = 0;
  for await (const page of pages) {
    count += 1;
    const got = items(page) ?? [];
    if (got.length === 0) emptyPages += 1;
    all.push(...got);
  }
  return { all, pages: count, emptyPages };
}

function expectUnique(ids: string[]): void {
  expect(new Set(ids).size).toBe(ids.length);
}

describe('pagination', () => {
  let clients: SdkClients;

  beforeAll(() => {
    // ~600 resources: ~180 instances, enough for many pages.
    clients = sdkClients(createSimulatedAws(simulationOptions({ resourcesPerRegion: 600 }), [REGION]), MANAGEMENT, REGION);
  });

  it('paginateDescribeInstances collects every instance exactly once, across empty pages', async () => {
    const { ec2 } = clients;
    const all = await ec2.send(new DescribeInstancesCommand({}));
    const expected = (all.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId as string);
    expect(all.NextToken).toBeUndefined();
    const paged = await collect(paginateDescribeInstances({ client: ec2, pageSize: 5 }, {}), (p) =>
      (p.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId as string),
    );
    expectUnique(paged.all);
    expect(paged.all.sort()).toEqual([...expected].sort());
    expect(paged.pages).toBeGreaterThan(expected.length / 5);
    // EC2 sometimes answers an empty page that still carries a NextToken; the SDK paginator keeps going.
    expect(paged.emptyPages).toBeGreaterThan(0);
  });

  it('volumes, snapshots and images page completely', async () => {
    const { ec2 } = clients;
    const allVolumes = (await ec2.send(new DescribeVolumesCommand({}))).Volumes ?? [];
    const volumes = await collect(paginateDescribeVolumes({ client: ec2, pageSize: 7 }, {}), (p) => p.Volumes?.map((v) => v.VolumeId as string));
    expectUnique(volumes.all);
    expect(volumes.all.sort()).toEqual(allVolumes.map((v) => v.VolumeId as string).sort());

    const allSnapshots = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots ?? [];
    const snapshots = await collect(paginateDescribeSnapshots({ client: ec2, pageSize: 5 }, { OwnerIds: ['self'] }), (p) =>
      p.Snapshots?.map((s) => s.SnapshotId as string),
    );
    expectUnique(snapshots.all);
    expect(snapshots.all.sort()).toEqual(allSnapshots.map((s) => s.SnapshotId as string).sort());
    expect(allSnapshots.every((s) => s.OwnerId === MANAGEMENT)).toBe(true);

    const images = await collect(paginateDescribeImages({ client: ec2, pageSize: 5 }, { Owners: ['self'], IncludeDeprecated: true }), (p) => p.Images);
    expectUnique(images.all.map((i) => i.ImageId as string));
    expect(images.all.length).toBeGreaterThan(0);
    expect(images.all.every((i) => i.OwnerId === MANAGEMENT)).toBe(true);
    // Every AMI points at snapshots of this account.
    const snapshotIds = new Set(snapshots.all);
    for (const image of images.all) {
      for (const mapping of image.BlockDeviceMappings ?? []) expect(snapshotIds.has(mapping.Ebs?.SnapshotId as string)).toBe(true);
    }
  });

  it('DescribeSnapshots without OwnerIds also returns public snapshots of other owners', async () => {
    const { ec2 } = clients;
    const everything = (await ec2.send(new DescribeSnapshotsCommand({}))).Snapshots ?? [];
    const own = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots ?? [];
    expect(everything.length).toBeGreaterThan(own.length);
    expect(everything.some((s) => s.OwnerId !== MANAGEMENT)).toBe(true);
  });

  it('RDS pages with MaxRecords 20..100 and Lambda with at most 50 functions a page', async () => {
    const { rds, lambda } = clients;
    const dbs = await collect(paginateDescribeDBInstances({ client: rds, pageSize: 20 }, {}), (p) => p.DBInstances?.map((d) => d.DBInstanceIdentifier as string));
    expectUnique(dbs.all);
    expect(dbs.all.length).toBe(((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).length);
    expect(dbs.pages).toBeGreaterThan(1);
    expect((await errorOf(() => rds.send(new DescribeDBInstancesCommand({ MaxRecords: 10 })))).name).toBe('InvalidParameterValue');

    const fns = await collect(paginateListFunctions({ client: lambda, pageSize: 7 }, {}), (p) => p.Functions?.map((f) => f.FunctionName as string));
    expectUnique(fns.all);
    expect(fns.pages).toBeGreaterThan(1);
    const bigPage = await lambda.send(new ListFunctionsCommand({ MaxItems: 500 }));
    expect(bigPage.Functions?.length).toBe(Math.min(50, fns.all.length));
    const unpaged = await collect(paginateListFunctions({ client: lambda }, {}), (p) => p.Functions);
    expect(unpaged.all.length).toBe(fns.all.length);
  });

  it('rejects page sizes AWS rejects, foreign tokens, and MaxResults with InstanceIds', async () => {
    const { ec2 } = clients;
    const tooSmall = await errorOf(() => ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })));
    expect(tooSmall.name).toBe('InvalidParameterValue');
    expect(tooSmall.$metadata?.httpStatusCode).toBe(400);
    expect((await errorOf(() => ec2.send(new DescribeVolumesCommand({ MaxResults: 1001 })))).name).toBe('InvalidParameterValue');
    expect((await errorOf(() => ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: 'bogus' })))).name).toBe('InvalidPaginationToken');

    let token: string | undefined;
    for (let i = 0; i < 5 && !token; i++) token = (await ec2.send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: token }))).NextToken;
    expect(token).toBeDefined();
    const reused = await errorOf(() => ec2.send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: token, Filters: [{ Name: 'status', Values: ['available'] }] })));
    expect(reused.name).toBe('InvalidPaginationToken');

    const instance = (await ec2.send(new DescribeInstancesCommand({}))).Reservations?.[0]?.Instances?.[0]?.InstanceId as string;
    expect((await errorOf(() => ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance], MaxResults: 5 })))).name).toBe('InvalidParameterCombination');
    const byId = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance] }));
    expect(byId.Reservations?.[0]?.Instances?.[0]?.InstanceId).toBe(instance);
    expect((await errorOf(() => ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-00000000000000000'] })))).name).toBe('InvalidInstanceID.NotFound');
  });

  it('applies EC2 filters and refuses unknown ones', async () => {
    const { ec2 } = clients;
    const stopped = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }));
    const stoppedStates = (stopped.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.State?.Name);
    expect(stoppedStates.length).toBeGreaterThan(0);
    expect(new Set(stoppedStates)).toEqual(new Set(['stopped']));

    const available = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'status', Values: ['available'] }] }))).Volumes ?? [];
    expect(available.length).toBeGreaterThan(0);
    expect(available.every((v) => v.State === 'available' && (v.Attachments ?? []).length === 0)).toBe(true);

    const tagged = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:env', Values: ['pr*'] }] }))).Volumes ?? [];
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.every((v) => v.Tags?.some((t) => t.Key === 'env' && t.Value === 'prod'))).toBe(true);

    const unknown = await errorOf(() => ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })));
    expect(unknown.name).toBe('InvalidParameterValue');
    expect(unknown.message).toContain('no-such-filter');
  });

  it('DescribeAddresses answers everything at once and DescribeRegions lists the simulated regions', async () => {
    const { ec2 } = clients;
    const addresses = await ec2.send(new DescribeAddressesCommand({}));
    expect(addresses.Addresses?.length).toBeGreaterThan(0);
    expect('NextToken' in addresses).toBe(false);
    const regions = await ec2.send(new DescribeRegionsCommand({}));
    expect(regions.Regions?.map((r) => r.RegionName)).toEqual([REGION]);
    const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(all.Regions?.find((r) => r.RegionName === 'ap-south-1')?.OptInStatus).toBe('not-opted-in');
  });
});
