// Fault: two scans with different settings run at the same time.
// Injects: (1) scan A (ec2 in one account and us-east-1, dry run) and scan B (rds and lambda in the other account and
//   eu-west-1, live mode recorded) are started together on one set of workers and interleave at every stage;
//   (2) two deployments with different configuration files (estate, accounts, savings floor, a check disabled,
//   report folder) share one Redis under their own prefixes and scan at the same time.
// Asserts: (1) each report holds only its own accounts, regions, resource kinds and mode, and equals the report of
//   the same scan run alone; (2) each deployment's report follows its own configuration only and lands in its own
//   folder. Neither has an error or a duplicate. One configuration per redis.prefix: see docs/reliability.md.
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

describe('two deployments with different configuration files on one Redis, scanning at the same time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-two-configs-'));
  const configs: Record<'a' | 'b', ConfigInput> = {
    a: {
      aws: { provider: 'simulated', regions: ['us-east-1'] },
      simulation: { seed: 17, accounts: ['111111111111'], resourcesPerRegion: 60, latencyMs: { min: 5, max: 20 } },
      redis: { prefix: uniquePrefix('config-a'), managed: { enabled: false, useLocalDefault: false } },
      reporting: { outputDir: join(dir, 'a', 'reports') },
      logging: { level: 'silent' },
    },
    b: {
      aws: { provider: 'simulated', regions: ['us-east-1'] },
      simulation: { seed: 99, accounts: ['333333333333'], resourcesPerRegion: 60, latencyMs: { min: 5, max: 20 } },
      redis: { prefix: uniquePrefix('config-b'), managed: { enabled: false, useLocalDefault: false } },
      reporting: { outputDir: join(dir, 'b', 'reports') },
      optimization: { minMonthlySavingsUsd: 20 },
      checks: { 'ebs-gp2-volume': { enabled: false } },
      logging: { level: 'silent' },
    },
  };
  const contexts: ServiceContext[] = [];
  const workers: RoleWorkers[] = [];
  const reports: Record<string, { report: Report; dir: string }> = {};

  beforeAll(async () => {
    for (const [name, config] of Object.entries(configs)) {
      const ctx = await openContext(writeConfig(dir, config, name), testRedisUrl());
      contexts.push(ctx);
      workers.push(...(await startReplicas(ctx, SCAN_ROLES)));
    }
    const done = await Promise.all(contexts.map(async (ctx) => awaitScan(ctx, (await startScan(ctx, { trigger: 'test' })).scanId)));
    Object.keys(configs).forEach((name, i) => {
      const { report, progress } = done[i] as Awaited<ReturnType<typeof awaitScan>>;
      reports[name] = { report, dir: progress.reportDir as string };
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    for (const ctx of contexts) await closeContext(ctx);
  });

  it('keeps each deployment to its own estate, accounts and report folder', () => {
    for (const [name, config] of Object.entries(configs)) {
      const { report, dir: reportDir } = reports[name] as { report: Report; dir: string };
      const account = config.simulation?.accounts?.[0];
      expect(report.accounts, name).toEqual([account]);
      expect([...report.recommendations, ...report.suppressed].every((r) => r.accountId === account), name).toBe(true);
      expect(reportDir.startsWith(config.reporting?.outputDir as string), name).toBe(true);
      expect(report.errors, name).toEqual([]);
      expect(duplicates(report.recommendations.map((r) => r.id)), name).toEqual([]);
    }
  });

  it('applies each deployment\'s own thresholds and checks only', () => {
    const a = (reports.a as { report: Report }).report;
    const b = (reports.b as { report: Report }).report;
    // A reports small savings and gp2 volumes; B, with a $20 floor and the gp2 check off, reports neither.
    expect(a.recommendations.some((r) => r.monthlySavingsUsd < 20)).toBe(true);
    expect(a.recommendations.some((r) => r.checkId === 'ebs-gp2-volume')).toBe(true);
    expect(b.recommendations.length).toBeGreaterThan(0);
    expect(b.recommendations.filter((r) => r.monthlySavingsUsd < 20 && r.monthlySavingsUsd > 0)).toEqual([]);
    expect(b.recommendations.filter((r) => r.checkId === 'ebs-gp2-volume')).toEqual([]);
  });
});
