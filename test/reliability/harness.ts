// A reliability bench: worker services as real processes (or in-process replicas) on a Redis, scans started and
// awaited, faults injected at a chosen moment, and reports reduced to what must not change under a fault.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServiceProcess, stopServiceProcess, type ServiceProcess } from '@finops/cli';
import type { ConfigInput } from '@finops/core';
import { bootstrap, startRoleWorkers, startScan, waitForScan, type ScanOptions, type ScanProgress, type ServiceContext } from '@finops/pipeline';
import { roleQueueNames, type RoleWorkers } from '@finops/queues';
import type { Report } from '@finops/reports';
import { stringify } from 'yaml';

export const SCAN_ROLES = ['discovery', 'analysis', 'optimizer', 'reporter'] as const;

/** A BullMQ job as the platform's queues return it (the root package does not depend on bullmq itself). */
export type QueueJob = NonNullable<Awaited<ReturnType<ReturnType<ServiceContext['queues']['get']>['getJob']>>>;
export type ScanRole = (typeof SCAN_ROLES)[number];

/** Writes `settings` as YAML to `<dir>/<name>.yaml` and returns the path. */
export function writeConfig(dir: string, settings: ConfigInput, name = 'config'): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(settings));
  return file;
}

/** A context as a service would bootstrap it from this file and Redis: the test's producer and in-process replicas. */
export function openContext(configFile: string, redisUrl: string, service = 'reliability-test'): Promise<ServiceContext> {
  return bootstrap({
    service,
    argv: ['--config', configFile],
    env: { ...process.env, FINOPS_CONFIG: configFile, REDIS_URL: redisUrl },
    // The processes' logs go to their files; the test's own workers would only flood the test output.
    logOutput: { write: () => true },
  });
}

/** Starts in-process workers of these roles on `ctx` (another replica of each). */
export async function startReplicas(ctx: ServiceContext, roles: readonly ScanRole[]): Promise<RoleWorkers[]> {
  return Promise.all(roles.map((role) => startRoleWorkers(ctx, role)));
}

/** Starts one service process per role, with the config file and Redis in its environment, and waits until each is ready. */
export async function startWorkerProcesses(
  roles: readonly ScanRole[],
  options: { configFile: string; redisUrl: string; logDir: string; timeoutMs?: number },
): Promise<Record<string, ServiceProcess>> {
  const env = { ...process.env, FINOPS_CONFIG: options.configFile, REDIS_URL: options.redisUrl };
  const processes = Object.fromEntries(roles.map((role) => [role, startServiceProcess(role, { env, logDir: options.logDir })]));
  await Promise.all(Object.values(processes).map((p) => waitForLog(p, /"msg":"workers ready"/, options.timeoutMs ?? 60_000)));
  return processes;
}

/** Resolves when the process's log matches `pattern`; rejects with the log's tail when it exits or time runs out. */
export async function waitForLog(proc: ServiceProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const log = readLog(proc);
    if (pattern.test(log)) return;
    if (proc.child.exitCode !== null || proc.child.signalCode !== null || Date.now() > until) {
      throw new Error(`${proc.name} never logged ${pattern} (exit ${proc.child.exitCode ?? proc.child.signalCode}):\n${log.slice(-3000)}`);
    }
    await sleep(100);
  }
}

export function readLog(proc: ServiceProcess): string {
  try {
    return readFileSync(proc.logFile, 'utf8');
  } catch {
    return '';
  }
}

export async function stopAll(processes: Iterable<ServiceProcess>): Promise<void> {
  await Promise.all([...processes].map((p) => stopServiceProcess(p, 5000)));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The queues a role's workers serve in the context's regions. */
export function roleQueues(ctx: ServiceContext, role: ScanRole) {
  return roleQueueNames(role, ctx.regions).map((name) => ctx.queues.get(name));
}

/** Active jobs of a role's queues whose name is one of `names` (e.g. only `optimize`, not `remediate`). */
export async function activeJobs(ctx: ServiceContext, role: ScanRole, names?: readonly string[]): Promise<QueueJob[]> {
  const jobs = (await Promise.all(roleQueues(ctx, role).map((q) => q.getJobs(['active'])))).flat();
  return jobs.filter((job) => job && (!names || names.includes(job.name)));
}

/**
 * Kills `proc` with SIGKILL while it is in the middle of a job of `role`: waits until one is active, freezes the
 * process (SIGSTOP), checks that the job is still active — not finished in the meantime — and only then kills it.
 * When the job finished first, the process is resumed and the next job is waited for. Returns the jobs that were
 * active in the process when it died.
 */
export async function killMidJob(
  ctx: ServiceContext,
  proc: ServiceProcess,
  role: ScanRole,
  options: { names?: readonly string[]; timeoutMs?: number } = {},
): Promise<QueueJob[]> {
  const until = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < until) {
    const seen = await activeJobs(ctx, role, options.names);
    if (!seen.length) {
      await sleep(2);
      continue;
    }
    proc.child.kill('SIGSTOP');
    // Commands already on the wire land within a few milliseconds; after that the job's state is the truth.
    await sleep(150);
    const still = (await Promise.all(seen.map(async (job) => ((await job.getState()) === 'active' ? job : undefined)))).filter(
      (job): job is QueueJob => job !== undefined,
    );
    if (still.length) {
      proc.child.kill('SIGKILL');
      await proc.exited;
      return still;
    }
    proc.child.kill('SIGCONT');
  }
  throw new Error(`no ${role} job was caught in flight in ${proc.name} within the time allowed`);
}

/** Starts a scan on `ctx` and waits for it to end; throws with the failed jobs unless it completed. */
export async function runScan(ctx: ServiceContext, options: Partial<ScanOptions> = {}, timeoutMs = 90_000): Promise<{ progress: ScanProgress; report: Report }> {
  const plan = await startScan(ctx, { trigger: 'test', ...options });
  return awaitScan(ctx, plan.scanId, timeoutMs);
}

export async function awaitScan(ctx: ServiceContext, scanId: string, timeoutMs = 90_000): Promise<{ progress: ScanProgress; report: Report }> {
  const progress = await waitForScan(ctx.queues, ctx.store, scanId, { pollMs: 100, signal: AbortSignal.timeout(timeoutMs) });
  if (progress.status !== 'completed' || !progress.reportDir) {
    throw new Error(`scan ${scanId} ended ${progress.status}: ${JSON.stringify({ stages: progress.stages, failed: progress.failedJobs })}`);
  }
  return { progress, report: readReport(progress.reportDir) };
}

export function readReport(reportDir: string): Report {
  return JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as Report;
}

/**
 * What two scans of the same estate must agree on, whatever happened to their workers: every recommendation (id,
 * check, resource, saving, folding), the totals, the inventory, and the errors (without their times and messages).
 */
export function reportFingerprint(report: Report) {
  const rec = (r: Report['recommendations'][number]) => ({
    id: r.id,
    checkId: r.checkId,
    resourceId: r.resourceId,
    monthlySavingsUsd: r.monthlySavingsUsd,
    status: r.status,
    foldedInto: r.foldedInto,
  });
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return {
    accounts: report.accounts,
    regions: report.regions,
    inventory: report.inventory,
    recommendations: report.recommendations.map(rec).sort(byId),
    suppressed: report.suppressed.map(rec).sort(byId),
    totals: report.totals,
    errors: report.errors.map((e) => ({ stage: e.stage, accountId: e.accountId, region: e.region, kind: e.kind, code: e.code })),
  };
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(ids.filter((id) => seen.has(id) || !seen.add(id)))];
}

/** Polls until `check` passes or `timeoutMs` ends (then throws its last error). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(everyMs);
    }
  }
}

/** Every key matching `pattern` (a full SCAN: the run's Redis is shared by every test file). */
export async function scanKeys(ctx: ServiceContext, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await ctx.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Removes every queue's jobs, then closes the context. */
export async function closeContext(ctx: ServiceContext | undefined): Promise<void> {
  if (!ctx) return;
  for (const q of ctx.queues.all()) await q.obliterate({ force: true }).catch(() => undefined);
  await ctx.close();
}
