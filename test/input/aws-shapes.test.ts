// Bad input: AWS answers with shapes the platform did not expect — missing fields, unknown instance, storage and
// database types, an unknown instance state, a list left out, mismatched metric series, and a huge page. Injected
// between the SDK clients and the simulated account: the simulator answers, then the answer is bent before the
// collectors see it.
// Asserts: no worker crashes or stops and the scan completes; every resource is inventoried (the huge page whole),
// with what could not be read kept as "unknown" rather than dropped; whatever is priced from an unknown type is
// flagged `priceConfidence: estimated` with a basis naming the unknown; an unknown state is never taken for waste.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALLER_ACCOUNT, createAwsAccess, type ClientPlugins } from '@finops/aws';
import type { ConfigInput } from '@finops/core';
import { redisSharedAws, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import type { Report } from '@finops/reports';
import { createSimulatedAws } from '@finops/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { SCAN_ROLES, closeContext, openContext, runScan, startReplicas, writeConfig } from '../reliability/harness.js';

type Plugin = ReturnType<ClientPlugins>[number];
type Output = Record<string, unknown>;

const HUGE_PAGE = 5000;

/** Ids of the resources whose answer was bent, by how. */
const bent = new Map<string, string>();
const mark = (id: unknown, how: string) => {
  if (typeof id === 'string') bent.set(id, how);
};

/** How each operation's real answer is bent. Index-based, so the same resources are bent on every call. */
const BEND: Record<string, (output: Output) => Output> = {
  DescribeInstances: (output) => {
    const reservations = (output.Reservations as Output[] | undefined) ?? [];
    reservations.forEach((reservation, r) => {
      for (const [i, instance] of ((reservation.Instances as Output[] | undefined) ?? []).entries()) {
        const n = r * 10 + i;
        if (n % 5 === 0) instance.InstanceType = 'zz9.galactic';
        if (n % 5 === 1) delete instance.InstanceType;
        if (n % 5 === 2) delete instance.LaunchTime;
        if (n % 5 === 3) instance.State = { Name: 'teleporting' };
        mark(instance.InstanceId, ['unknown type', 'no type', 'no launch time', 'unknown state', 'as is'][n % 5] as string);
        if (n % 7 === 0) delete instance.Tags;
      }
    });
    return { ...output, Reservations: [...reservations, { Instances: [] }, {}] };
  },
  DescribeVolumes: (output) => {
    const volumes = ((output.Volumes as Output[] | undefined) ?? []).map((volume, i) => {
      mark(volume.VolumeId, ['unknown type', 'no size', 'as is', 'as is'][i % 4] as string);
      if (i % 4 === 0) return { ...volume, VolumeType: 'gp9' };
      if (i % 4 === 1) {
        const { Size: _size, ...rest } = volume;
        return rest;
      }
      return volume;
    });
    // A huge page: thousands of well-formed volumes more than the estate has.
    const first = volumes.find((v) => typeof v.Size === 'number') ?? {};
    const extra = Array.from({ length: HUGE_PAGE }, (_, i) => ({ ...first, VolumeId: `vol-huge${String(i).padStart(8, '0')}`, Attachments: [] }));
    return { ...output, Volumes: [...volumes, ...extra] };
  },
  DescribeDBInstances: (output) => ({
    ...output,
    DBInstances: ((output.DBInstances as Output[] | undefined) ?? []).map((db, i) => (i % 2 === 0 ? { ...db, DBInstanceClass: 'db.zz9.galactic', Engine: undefined } : db)),
  }),
  ListFunctions: (output) => ({
    ...output,
    Functions: ((output.Functions as Output[] | undefined) ?? []).map((fn, i) => (i % 3 === 0 ? { ...fn, MemorySize: undefined, Architectures: ['quantum'], Runtime: undefined } : fn)),
  }),
  DescribeAddresses: (output) => ({ ...output, Addresses: undefined }),
  GetMetricData: (output) => ({
    ...output,
    MetricDataResults: ((output.MetricDataResults as Output[] | undefined) ?? []).map((result, i) =>
      i % 3 === 0 ? { ...result, Values: [...((result.Values as number[]) ?? []), Number.NaN, -1], Timestamps: [] } : i % 3 === 1 ? { Id: result.Id } : result,
    ),
  }),
};

/** Outer middleware at the simulator's own step: lets the simulator answer, then bends the answer. */
function bendingPlugin(): Plugin {
  const middleware = (next: (args: object) => Promise<{ output: Output }>, context: { commandName?: string }) => async (args: object) => {
    const result = await next(args);
    const bend = BEND[(context.commandName ?? '').replace(/Command$/, '')];
    return bend ? { ...result, output: bend(result.output) } : result;
  };
  return { applyToStack: (stack: { add(m: typeof middleware, o: object): void }) => stack.add(middleware, { step: 'deserialize', priority: 'high', name: 'bendAnswers' }) } as Plugin;
}

describe('AWS answers of unexpected shapes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-aws-shapes-'));
  const settings: ConfigInput = {
    aws: { provider: 'simulated', regions: ['eu-west-1'] },
    simulation: { seed: 31, accounts: ['111111111111'], resourcesPerRegion: 40 },
    redis: { prefix: uniquePrefix('aws-shapes'), managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports'), formats: ['json'] },
    workers: { attempts: 2, backoffMs: 100 },
    logging: { level: 'silent' },
  };
  let ctx: ServiceContext;
  const workers: RoleWorkers[] = [];
  let report: Report;

  beforeAll(async () => {
    ctx = await openContext(writeConfig(dir, settings), testRedisUrl());
    const { mutationStore, ...shared } = redisSharedAws(ctx.config, ctx.redis, ctx.logger);
    const simulator = createSimulatedAws(ctx.config.simulation, ['eu-west-1'], mutationStore ? { mutationStore } : {});
    const access = createAwsAccess({
      aws: ctx.config.aws,
      // The bending plugin first: it is the outer one, and sees the simulator's answer on its way back.
      plugins: (scope) => [bendingPlugin(), simulator.plugin({ ...scope, accountId: scope.accountId === CALLER_ACCOUNT ? '111111111111' : scope.accountId })],
      credentials: { accessKeyId: 'ASIASIMULATED000000', secretAccessKey: 'simulated-secret-access-key' },
      logger: ctx.logger,
      ...shared,
    });
    ctx.aws.close();
    ctx.aws = { access, simulator, accounts: async () => ['111111111111'], regions: async () => ['eu-west-1'], close: () => access.close() };
    ctx.deps.aws = ctx.aws;
    workers.push(...(await startReplicas(ctx, SCAN_ROLES)));
    report = (await runScan(ctx, {}, 90_000)).report;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await closeContext(ctx);
  });

  it('keeps every worker running and completes the scan', () => {
    expect(workers.every((w) => w.isRunning())).toBe(true);
    expect(report.scanId).toMatch(/^scan-/);
  });

  it('takes the huge page whole', () => {
    expect(report.inventory.byKind['ebs-volume']).toBeGreaterThan(HUGE_PAGE);
  });

  it('inventories every resource, with what it could not read kept as "unknown", not dropped', async () => {
    const expected = createSimulatedAws(ctx.config.simulation, ['eu-west-1']).inventoryCounts();
    // DescribeAddresses answered without its list: no address, and no crash.
    expect(report.inventory.byKind).toEqual({ ...expected, 'ebs-volume': expected['ebs-volume'] + HUGE_PAGE, 'elastic-ip': 0 });
    expect(report.errors).toEqual([]);
    const instances = await ctx.store.loadInventory(report.scanId, '111111111111', 'eu-west-1', ['ec2-instance']);
    const byHow = (how: string) => instances.filter((r) => bent.get(r.id) === how) as { instanceType: string; state: string }[];
    expect(byHow('unknown type').length).toBeGreaterThan(0);
    for (const r of byHow('unknown type')) expect(r.instanceType).toBe('zz9.galactic');
    for (const r of byHow('no type')) expect(r.instanceType).toBe('unknown');
    for (const r of byHow('unknown state')) expect(r.state).toBe('teleporting');
  });

  it('prices nothing it does not know as exact, and takes no unknown state for waste', () => {
    const all = [...report.recommendations, ...report.suppressed];
    expect(all.length).toBeGreaterThan(0);
    for (const r of all) {
      expect(Number.isFinite(r.monthlySavingsUsd), r.id).toBe(true);
      expect(r.monthlySavingsUsd, r.id).toBeGreaterThanOrEqual(0);
      const text = JSON.stringify(r);
      // A type the price table does not know is priced by the per-vCPU rule, flagged, and says so.
      if (/zz9\.galactic|"unknown"/.test(text) && r.monthlySavingsUsd > 0) {
        expect(r.priceConfidence, r.id).toBe('estimated');
        expect(text, r.id).toMatch(/unknown/);
      }
      const how = bent.get(r.resourceId);
      if (how === 'unknown state' || how === 'no type') expect(r.checkId, `${r.id} on an instance read with ${how}`).not.toMatch(/stopped|idle/);
      if (how === 'no size') expect(r.monthlySavingsUsd, `${r.id}: a volume of unknown size`).toBe(0);
    }
  });
});
