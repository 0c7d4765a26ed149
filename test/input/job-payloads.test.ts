// Bad input: jobs with malformed payloads added straight to every queue (as a bug, an old producer or an operator
// with Bull Board could). Property: whatever the payload, the job fails at once with a reason naming the job and the
// field, and the workers keep running and keep processing good jobs.
// Payloads are generated from a valid one per job name by seeded random mutations (drop, retype, add a key, replace
// the whole payload); every generated payload is checked to be invalid against the job's schema before it is added.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRoleWorkers, type ServiceContext } from '@finops/pipeline';
import { JOBS, JOB_NAMES, jobQueueName, type JobName, type RoleWorkers } from '@finops/queues';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { SCAN_ROLES, closeContext, eventually, openContext, writeConfig, type QueueJob } from '../reliability/harness.js';

const REGION = 'us-east-1';
const ISO = '2026-11-26T10:00:00.000Z';

/** One valid payload per job name: the seed of the mutations. */
const VALID: Record<JobName, Record<string, unknown>> = {
  discover: { scanId: 'scan-fuzz', accountId: '111111111111', region: REGION, kind: 'ebs-volume' },
  analyze: { scanId: 'scan-fuzz', accountId: '111111111111', region: REGION },
  check: { scanId: 'scan-fuzz', accountId: '111111111111', region: REGION, kinds: ['ebs-volume'] },
  optimize: { scanId: 'scan-fuzz', accountId: '111111111111', region: REGION },
  report: { scanId: 'scan-fuzz' },
  costs: { scanId: 'scan-fuzz', region: REGION },
  'scheduled-run': { scheduleId: 'nightly', type: 'scan', options: {} },
  notify: { channelId: 'ops', notification: { event: 'high-savings', dedupKey: 'k', title: 't', text: 'x', occurredAt: ISO } },
  deliver: { scanId: 'scan-fuzz', reportDir: '/nonexistent/reports/scan-fuzz' },
  remediate: { runId: 'run-fuzz', accountId: '111111111111', region: REGION },
  'rollback-action': { actionId: 'act_0123456789abcdef', actor: 'fuzz', requestedAt: ISO },
};

/** mulberry32: seeded, so a failure reproduces. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}

type Gen = ReturnType<typeof generator>;

/** Values of every JSON type, including the awkward ones: separators, traversal, huge, deep, unicode. */
function oddValue(g: Gen): unknown {
  return g.pick<() => unknown>([
    () => null,
    () => g.next() * 1e6 - 5e5,
    () => -1,
    () => Number.MAX_SAFE_INTEGER,
    () => true,
    () => '',
    () => 'a:b:c',
    () => '../../etc/passwd',
    () => '{finops}:scan:*',
    () => '\u0000\u202e\ud83d\ude00',
    () => 'x'.repeat(20_000),
    () => [],
    () => [1, 'two', null],
    () => ({}),
    () => ({ nested: { deeper: { deepest: [{}] } } }),
    () => '2026-13-45T99:99:99Z',
  ])();
}

/** A payload derived from `valid` by one or two random mutations. */
function mutate(valid: Record<string, unknown>, g: Gen): unknown {
  const mutation = g.pick(['drop', 'retype', 'add', 'replace', 'retype-nested'] as const);
  if (mutation === 'replace') return oddValue(g);
  const copy: Record<string, unknown> = structuredClone(valid);
  const keys = Object.keys(copy);
  const key = g.pick(keys);
  if (mutation === 'drop') delete copy[key];
  if (mutation === 'retype') copy[key] = oddValue(g);
  if (mutation === 'add') copy[g.pick(['extra', '__proto__x', 'scanID', 'constructor'])] = oddValue(g);
  if (mutation === 'retype-nested') {
    const nested = keys.find((k) => copy[k] !== null && typeof copy[k] === 'object');
    if (nested) (copy[nested] as Record<string, unknown>)[g.pick(['event', 'services', 'bogus'])] = oddValue(g);
    else copy[key] = oddValue(g);
  }
  return g.next() < 0.3 ? mutate(copy, g) : copy;
}

describe('malformed job payloads on every queue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-bad-jobs-'));
  const PER_JOB = 12;
  let ctx: ServiceContext;
  const workers: RoleWorkers[] = [];
  const added: { name: string; job: QueueJob; payload: unknown; misplaced?: boolean }[] = [];

  beforeAll(async () => {
    const configFile = writeConfig(dir, {
      aws: { provider: 'simulated', regions: [REGION] },
      simulation: { accounts: ['111111111111'], resourcesPerRegion: 5 },
      redis: { prefix: uniquePrefix('bad-jobs'), managed: { enabled: false, useLocalDefault: false } },
      reporting: { outputDir: join(dir, 'reports') },
      notifications: { enabled: true, channels: [{ id: 'ops', type: 'webhook', url: 'http://127.0.0.1:9/hook', events: ['scan-failure'] }] },
      logging: { level: 'silent' },
    });
    ctx = await openContext(configFile, testRedisUrl());
    for (const role of [...SCAN_ROLES, 'scheduler'] as const) workers.push(await startRoleWorkers(ctx, role));
    const g = generator(20261126);
    for (const name of JOB_NAMES) {
      let made = 0;
      for (let tries = 0; made < PER_JOB && tries < PER_JOB * 20; tries++) {
        const payload = mutate(VALID[name], g);
        if (JOBS[name].payload.safeParse(payload).success) continue;
        const job = await ctx.queues.get(jobQueueName(name, REGION)).add(name, payload, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
        added.push({ name, job, payload });
        made += 1;
      }
    }
    // A job whose name no handler knows, on a role's queue, and a job of one role put on another role's queue.
    added.push({ name: 'mine-bitcoin', job: await ctx.queues.get('optimizer').add('mine-bitcoin', {}), payload: {}, misplaced: true });
    added.push({ name: 'report', job: await ctx.queues.get(`discovery-${REGION}`).add('report', VALID.report), payload: VALID.report, misplaced: true });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await closeContext(ctx);
  });

  it('generated an invalid payload for every job name', () => {
    for (const name of JOB_NAMES) expect(added.filter((a) => a.name === name && !a.misplaced).length, name).toBe(PER_JOB);
  });

  it('fails every such job at once, with a reason that names the job and what is wrong', async () => {
    const settled = await eventually(async () => {
      const states = await Promise.all(added.map((a) => a.job.getState()));
      expect(states.filter((s) => s !== 'failed')).toEqual([]);
      // Read once every job has failed, so each copy carries its final reason.
      return Promise.all(added.map(async (a) => ({ ...a, now: await ctx.queues.get(a.job.queueName).getJob(a.job.id as string) })));
    }, 30_000, 200);
    for (const { name, now, payload, misplaced } of settled) {
      const reason = now?.failedReason ?? '';
      const what = `${name} ${JSON.stringify(payload)?.slice(0, 120)}`;
      if (misplaced) {
        expect(reason, what).toMatch(new RegExp(`job "${name}" cannot run on queue ${now?.queueName}: the \\w+ service runs `));
      } else {
        expect(reason, what).toMatch(new RegExp(`^invalid ${name} payload in job ${now?.id}: \\S+: .+`));
      }
      // A malformed payload is not retried: no attempt could succeed.
      expect(now?.attemptsMade, what).toBe(1);
      expect(reason, what).not.toMatch(/\n\s+at /);
    }
  });

  it('keeps every worker running and processing good jobs', async () => {
    expect(workers.every((w) => w.isRunning())).toBe(true);
    const good = await ctx.queues.get('reporter').add('report', { scanId: 'scan-never-started' });
    const done = await eventually(async () => {
      const job = await ctx.queues.get('reporter').getJob(good.id as string);
      expect(await job?.getState()).toBe('completed');
      return job;
    }, 10_000);
    expect(done?.returnvalue).toMatchObject({ status: 'skipped' });
  });
});
