// Fault: two scans with different settings run at the same time on the same workers.
// Injects: scan A (ec2 in one account and us-east-1, dry run) and scan B (rds and lambda in the other account and
//   eu-west-1, live mode recorded) are started together on one set of workers and interleave at every stage.
// Asserts: each report holds only its own accounts, regions, resource kinds and mode; each equals the report of the
//   same scan run alone (on a separate deployment); neither has an error or a duplicate.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_KINDS, type ConfigInput, type ResourceKind } from '@finops/core';
import { startScan, type ScanOptions, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import type { Report } from '@finops/reports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { SCAN_ROLES, awaitScan, closeContext, duplicates, openContext, reportFingerprint, runScan, startReplicas, writeConfig } from './harness.js';

const SCANS = {
  a: { trigger: 'test', services: ['ec2'], accounts: ['111111111111'], regions: ['us-east-1'], dryRun: true },
  b: { trigger: 'test', services: ['rds', 'lambda'], accounts: ['222222222222'], regions: ['eu-west-1'], dryRun: false },
} satisfies Record<string, ScanOptions>;

describe('two scans with different settings at the same time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-concurrent-'));
  const settings = (name: string): ConfigInput => ({
    aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1'] },
    simulation: { seed: 17, accounts: ['111111111111', '222222222222'], resourcesPerRegion: 50, latencyMs: { min: 5, max: 20 } },
    redis: { prefix: uniquePrefix(name), managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, name, 'reports') },
    workers: { backoffMs: 200 },
    logging: { level: 'silent' },
  });
  let ctx: ServiceContext;
  const workers: RoleWorkers[] = [];
  const together: Record<string, Report> = {};
  const alone: Record<string, Report> = {};

  beforeAll(async () => {
    const solo = (async () => {
      const base = await openContext(writeConfig(dir, settings('concurrent-solo'), 'solo'), testRedisUrl());
      const replicas = await startReplicas(base, SCAN_ROLES);
      try {
        for (const [name, options] of Object.entries(SCANS)) alone[name] = (await runScan(base, options)).report;
      } finally {
        await Promise.all(replicas.map((w) => w.close()));
        await closeContext(base);
      }
    })();
    ctx = await openContext(writeConfig(dir, settings('concurrent')), testRedisUrl());
    workers.push(...(await startReplicas(ctx, SCAN_ROLES)));
    const plans = await Promise.all(Object.values(SCANS).map((options) => startScan(ctx, options)));
    const reports = await Promise.all(plans.map((plan) => awaitScan(ctx, plan.scanId)));
    Object.keys(SCANS).forEach((name, i) => {
      together[name] = (reports[i] as { report: Report }).report;
    });
    await solo;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await closeContext(ctx);
  });

  it('keeps each report to its own accounts, regions, kinds and mode', () => {
    for (const [name, options] of Object.entries(SCANS)) {
      const report = together[name] as Report;
      const kinds = new Set<ResourceKind>(options.services.flatMap((s) => SERVICE_KINDS[s as keyof typeof SERVICE_KINDS]));
      expect(report.accounts, name).toEqual(options.accounts);
      expect(report.regions, name).toEqual(options.regions);
      expect(report.dryRun, name).toBe(options.dryRun);
      expect(report.inventory.byAccountRegion.map((p) => `${p.accountId}|${p.region}`), name).toEqual([`${options.accounts[0]}|${options.regions[0]}`]);
      for (const [kind, count] of Object.entries(report.inventory.byKind)) if (count > 0) expect(kinds.has(kind as ResourceKind), `${name}: ${kind}`).toBe(true);
      const all = [...report.recommendations, ...report.suppressed];
      expect(all.length, name).toBeGreaterThan(0);
      for (const r of all) {
        expect(r.accountId, `${name}: ${r.id}`).toBe(options.accounts[0]);
        expect(r.region, `${name}: ${r.id}`).toBe(options.regions[0]);
        expect(kinds.has(r.resourceKind), `${name}: ${r.id} is a ${r.resourceKind}`).toBe(true);
      }
      expect(duplicates(all.map((r) => r.id)), name).toEqual([]);
      expect(report.errors, name).toEqual([]);
    }
  });

  it('gives each scan the report it gets when run alone', () => {
    for (const name of Object.keys(SCANS)) {
      expect(reportFingerprint(together[name] as Report), name).toEqual(reportFingerprint(alone[name] as Report));
    }
  });
});
