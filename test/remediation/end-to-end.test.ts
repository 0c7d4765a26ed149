// End to end on a real Redis, with the scan roles and the optimizer in two separate service contexts (each with its
// own simulator, as two processes would have): scan → approve → apply live → rescan shows the waste gone and the
// recommendations resolved → rollback restores what it can.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADVISORY_ACTION_TYPES, executorFor } from '@finops/aws';
import type { Recommendation } from '@finops/core';
import { bootstrap, remediationDeps, startRoleWorkers, startScan, waitForScan, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import { actionRecord, decide, requestRollback, startRun, waitForRun, type ActionRecord, type RemediationDeps } from '@finops/remediation';
import { reportSchema, type Report } from '@finops/reports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

const ALLOWED = ['ec2.stop-instance', 'ec2.release-address', 'ebs.delete-volume'];

describe('remediation end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-remediation-e2e-'));
  const configFile = join(dir, 'config.yaml');
  const prefix = uniquePrefix('remediation-e2e');
  let scanner: ServiceContext;
  let optimizer: ServiceContext;
  let deps: RemediationDeps;
  const workers: RoleWorkers[] = [];
  let before: Report;
  let chosen: Recommendation[];
  let runId: string;

  async function scan(): Promise<Report> {
    const plan = await startScan(scanner, { trigger: 'test' });
    const progress = await waitForScan(scanner.queues, scanner.store, plan.scanId, { pollMs: 100, signal: AbortSignal.timeout(60_000) });
    if (progress.status !== 'completed' || !progress.reportDir) throw new Error(`scan ended ${progress.status}: ${JSON.stringify(progress.failedJobs)}`);
    return reportSchema.parse(JSON.parse(readFileSync(join(progress.reportDir, 'report.json'), 'utf8')));
  }

  beforeAll(async () => {
    writeFileSync(
      configFile,
      stringify({
        aws: { provider: 'simulated', regions: ['eu-west-1'] },
        simulation: { seed: 11, accounts: ['111111111111'], resourcesPerRegion: 60 },
        redis: { prefix, managed: { enabled: false, useLocalDefault: false } },
        reporting: { outputDir: join(dir, 'reports'), formats: ['json'] },
        costs: { enabled: false },
        safety: { dryRun: false, allowedActions: ALLOWED, waitTimeoutSec: 30 },
        workers: { backoffMs: 100 },
        logging: { level: 'silent' },
      }),
    );
    const env = { ...process.env, REDIS_URL: testRedisUrl() };
    scanner = await bootstrap({ service: 'e2e-scanner', argv: ['--config', configFile], env });
    optimizer = await bootstrap({ service: 'e2e-optimizer', argv: ['--config', configFile], env });
    for (const role of ['discovery', 'analysis', 'reporter'] as const) workers.push(await startRoleWorkers(scanner, role));
    workers.push(await startRoleWorkers(optimizer, 'optimizer'));
    deps = { ...remediationDeps(optimizer.deps), waiter: { minDelay: 0.01, maxDelay: 0.05, maxWaitTime: 10 } };
    before = await scan();
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) await w.close();
    for (const q of scanner?.queues.all() ?? []) await q.obliterate({ force: true }).catch(() => undefined);
    if (scanner) await cleanupPrefix(scanner.redis, prefix);
    await scanner?.close();
    await optimizer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds recommendations whose every action has an executor that accepts its params', () => {
    expect(before.recommendations.length).toBeGreaterThan(0);
    for (const r of [...before.recommendations, ...before.suppressed]) {
      const executor = executorFor(r.action.type);
      if (!executor) {
        expect(ADVISORY_ACTION_TYPES, `${r.checkId} emits ${r.action.type}`).toHaveProperty(r.action.type);
        continue;
      }
      expect(() => executor.parseParams(r.action.params, r.resourceId), `${r.checkId} ${r.action.type}`).not.toThrow();
    }
  });

  it('applies approved actions live: the next scan no longer finds the waste and shows the recommendations resolved', async () => {
    // One of each allowed kind; the volume unattached (a stopped instance's root volume is refused, as it should be).
    const first = (type: string) => before.recommendations.find((r) => r.action.type === type && (type !== 'ebs.delete-volume' || r.checkId === 'ebs-unattached-volume'))!;
    chosen = ALLOWED.map(first);
    expect(chosen.every(Boolean)).toBe(true);
    await decide(deps, { recommendationIds: chosen.filter((r) => r.risk !== 'low').map((r) => r.id), decision: 'approved', actor: 'alice@host', scanId: before.scanId });
    const run = await startRun(deps, { scanId: before.scanId, recommendationIds: chosen.map((r) => r.id), live: true, actor: 'alice@host', trigger: 'test' });
    runId = run.runId;
    const progress = await waitForRun(deps, run.runId, { pollMs: 100, signal: AbortSignal.timeout(60_000) });
    expect(progress.status).toBe('completed');
    expect(progress.counts).toEqual({ applied: 3 });

    const after = await scan();
    const stillFound = new Set(after.recommendations.map((r) => r.id));
    for (const r of chosen) expect(stillFound.has(r.id), r.checkId).toBe(false);
    expect(after.actions?.applied.map((a) => [a.recommendationId, a.recommendationStatus]).sort()).toEqual(chosen.map((r) => [r.id, 'resolved']).sort());
    expect(after.actions?.resolvedMonthlySavingsUsd).toBeCloseTo(chosen.reduce((sum, r) => sum + r.monthlySavingsUsd, 0), 2);
    // Resolved too: other recommendations on the same resources (a stopped instance is no longer a resize candidate).
    expect(after.suppressed.filter((r) => r.status === 'resolved').map((r) => r.id)).toEqual(expect.arrayContaining(chosen.map((r) => r.id)));
    expect(after.actions?.entries.some((e) => e.event === 'approved' && e.actor === 'alice@host')).toBe(true);
    expect(after.actions?.entries.filter((e) => e.event === 'applied').every((e) => (e.requestIds?.length ?? 0) > 0)).toBe(true);
    expect(after.inventory.byKind['elastic-ip']).toBe((before.inventory.byKind['elastic-ip'] ?? 0) - 1);
  }, 120_000);

  it('rolls back through the queue: the instance runs again, the volume comes back from its snapshot, the address is recovered', async () => {
    const records = await Promise.all((await waitForRun(deps, runId)).batches.flatMap((b) => b.actions).map((a) => actionRecord(deps, a.actionId)));
    const outcomes: Record<string, string> = {};
    for (const record of records as ActionRecord[]) {
      const { payload } = await requestRollback(deps, { actionId: record.actionId, actor: 'carol@host' });
      const deadline = Date.now() + 30_000;
      let done: ActionRecord | undefined;
      while (Date.now() < deadline) {
        done = await actionRecord(deps, record.actionId);
        if (done?.rollback && done.rollback.at >= payload.requestedAt) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      outcomes[record.actionType] = done?.rollback?.status ?? 'timed out';
    }
    expect(outcomes).toEqual({ 'ec2.stop-instance': 'rolled-back', 'ebs.delete-volume': 'partial', 'ec2.release-address': 'partial' });
    const instance = chosen.find((r) => r.action.type === 'ec2.stop-instance')!;
    const running = (await optimizer.aws.access.discover('ec2-instance', { accountId: instance.accountId, region: instance.region })).find((i) => i.id === instance.resourceId);
    expect(running).toMatchObject({ state: 'running' });
  }, 120_000);
});
