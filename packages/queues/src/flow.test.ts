// The scan flow on a real Redis: deterministic ids, no duplicates on re-add, children before parents, and an
// operator's retry of a failed child resuming the scan.
import { Job, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix, cleanupPrefix } from '../../../test/support/redis.js';
import { analysisJobOf, buildScanFlow, scanJobs } from './flow.js';
import { QueueSet, allQueueNames } from './queue-set.js';
import { RoleWorkers, assertHandlers } from './role-workers.js';
import { newScanId, type ScanPlan } from './scan-plan.js';
import type { Logger } from '@finops/core';
import pino from 'pino';

const logger = pino({ level: 'silent' }) as Logger;
const plan = (scanId = newScanId()): ScanPlan => ({
  scanId,
  startedAt: new Date().toISOString(),
  provider: 'simulated',
  dryRun: true,
  accounts: ['111111111111', '222222222222'],
  regions: ['us-east-1', 'eu-west-1'],
  kinds: ['ec2-instance', 'ebs-volume'],
  checkGroups: [['ec2-instance'], ['ebs-volume']],
  trigger: 'test',
});
const flowOptions = { attempts: 2, backoffMs: 10, removeOnComplete: { age: 3600, count: 1000 } };

describe('scan flow', () => {
  let redis: Redis;
  let queues: QueueSet;
  const prefix = uniquePrefix('flow');

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    queues = new QueueSet({ connection: redis, prefix, regions: ['us-east-1', 'eu-west-1'] });
  });
  afterAll(async () => {
    await queues.close();
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('names queues without ":" and lists every job of the tree exactly once', () => {
    const p = plan();
    expect(allQueueNames(p.regions)).toEqual(['discovery-us-east-1', 'discovery-eu-west-1', 'analysis-us-east-1', 'analysis-eu-west-1', 'optimizer', 'remediation', 'reporter', 'notifications', 'deliveries', 'scheduler']);
    const jobs = scanJobs(p);
    // discover and analyze per (account, region, kind), check per (account, region, group), optimize per partition, one report.
    expect(jobs).toHaveLength(2 * 2 * 2 + 2 * 2 * 2 + 2 * 2 * 2 + 4 + 1);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
    for (const j of jobs) expect(`${j.id}${j.queue}`).not.toContain(':');
    const tree = buildScanFlow(p, flowOptions);
    const ids: string[] = [];
    const walk = (n: { opts?: { jobId?: string }; children?: unknown[] }) => {
      ids.push(n.opts!.jobId!);
      (n.children as (typeof n)[] | undefined)?.forEach(walk);
    };
    walk(tree as never);
    expect(ids.sort()).toEqual(jobs.map((j) => j.id).sort());
  });

  it("analyses each kind after its own discovery only, so a slow listing holds back no other kind's metrics", () => {
    const p = plan();
    const tree = buildScanFlow(p, flowOptions);
    const optimize = tree.children!.filter((c) => c.name === 'optimize');
    expect(optimize).toHaveLength(4);
    for (const o of optimize) {
      // One check job per group, each waiting for its own kinds' analysis only.
      expect(o.children!.map((c) => [c.name, (c.data as { kinds: string[] }).kinds])).toEqual([
        ['check', ['ec2-instance']],
        ['check', ['ebs-volume']],
      ]);
      for (const check of o.children!) {
        expect(check.opts?.jobId).toMatch(new RegExp(`\\.check\\.\\d{12}\\.[a-z0-9-]+\\.${(check.data as { kinds: string[] }).kinds.join('\\+')}$`));
        expect(check.queueName).toBe('optimizer');
        expect(check.children!.map((c) => c.name)).toEqual(['analyze']);
        for (const analyze of check.children!) {
          const kind = (analyze.data as { kind: string }).kind;
          expect((check.data as { kinds: string[] }).kinds).toContain(kind);
          expect(analyze.opts?.jobId).toMatch(new RegExp(`\\.analyze\\.\\d{12}\\.[a-z0-9-]+\\.${kind}$`));
          expect(analyze.children!.map((c) => [c.name, (c.data as { kind: string }).kind])).toEqual([['discover', kind]]);
        }
      }
    }
    // A group of two kinds waits for both.
    const together = buildScanFlow({ ...p, checkGroups: [['ec2-instance', 'ebs-volume']] }, flowOptions);
    const check = together.children!.find((c) => c.name === 'optimize')!.children!;
    expect(check.map((c) => c.opts?.jobId)).toEqual([`${p.scanId}.check.111111111111.us-east-1.ec2-instance+ebs-volume`]);
    expect(check[0]!.children!.map((c) => (c.data as { kind: string }).kind)).toEqual(['ec2-instance', 'ebs-volume']);
  });

  it('with analysisQueuedByDiscovery, the check waits for the discovery jobs and the analysis jobs they add beside themselves', async () => {
    const p: ScanPlan = { ...plan(), accounts: ['111111111111'], regions: ['us-east-1'], analysisQueuedByDiscovery: true };
    const tree = buildScanFlow(p, flowOptions);
    const checks = tree.children!.find((c) => c.name === 'optimize')!.children!;
    expect(checks.map((c) => c.children!.map((d) => [d.name, (d.data as { kind: string }).kind]))).toEqual([[['discover', 'ec2-instance']], [['discover', 'ebs-volume']]]);
    // scanJobs still lists the analysis jobs: they get the ids the flow would have given them.
    const analyzeIds = scanJobs(p).filter((j) => j.stage === 'analyze').map((j) => j.id);
    const spec = analysisJobOf(p, { accountId: '111111111111', region: 'us-east-1', kind: 'ebs-volume' }, flowOptions);
    expect(spec).toMatchObject({
      name: 'analyze',
      queueName: 'analysis-us-east-1',
      data: { scanId: p.scanId, accountId: '111111111111', region: 'us-east-1', kind: 'ebs-volume' },
      opts: { jobId: `${p.scanId}.analyze.111111111111.us-east-1.ebs-volume`, attempts: 2 },
      parent: { id: `${p.scanId}.check.111111111111.us-east-1.ebs-volume`, queueName: 'optimizer' },
    });
    expect(analyzeIds).toContain(spec.opts.jobId);
    expect(() => analysisJobOf(plan(), { accountId: '111111111111', region: 'us-east-1', kind: 'ec2-instance' }, flowOptions)).toThrow(/analysisQueuedByDiscovery/);
    // Kinds without metrics to fetch get no analysis job at all: their checks wait for the listing alone.
    const some: ScanPlan = { ...p, analyzedKinds: ['ec2-instance'] };
    expect(scanJobs(some).filter((j) => j.stage === 'analyze').map((j) => j.kind)).toEqual(['ec2-instance']);
    expect(() => analysisJobOf(some, { accountId: '111111111111', region: 'us-east-1', kind: 'ebs-volume' }, flowOptions)).toThrow(/analyses no ebs-volume/);

    // On real queues: each discovery job adds its analysis (twice, as a retried job would), and is still running when
    // the analysis ends; the check job runs once both are done.
    const order: string[] = [];
    const add = async (kind: ScanPlan['kinds'][number]) => {
      const job = analysisJobOf(p, { accountId: '111111111111', region: 'us-east-1', kind }, flowOptions);
      await queues.get(job.queueName).add(job.name, job.data, { ...job.opts, parent: { id: job.parent.id, queue: queues.get(job.parent.queueName).qualifiedName } });
    };
    const workers = (role: 'discovery' | 'analysis' | 'optimizer', handlers: ConstructorParameters<typeof RoleWorkers>[0]['handlers']) =>
      new RoleWorkers({ role, handlers, connection: redis, prefix, concurrency: 2, regions: p.regions, logger, shutdownTimeoutMs: 5000 });
    const roles = [
      workers('discovery', {
        discover: async ({ kind }) => {
          await add(kind);
          await add(kind);
          await expect.poll(() => order.includes(`analyze ${kind}`), { timeout: 10_000 }).toBe(true);
          order.push(`discover ${kind}`);
        },
      }),
      workers('analysis', { analyze: async ({ kind }) => void order.push(`analyze ${kind}`), costs: async () => undefined }),
      workers('optimizer', {
        check: async ({ kinds }) => void order.push(`check ${kinds.join('+')}`),
        optimize: async () => void order.push('optimize'),
        remediate: async () => undefined,
        'rollback-action': async () => undefined,
      }),
    ];
    try {
      await queues.flows().add(tree);
      await expect.poll(() => order.includes('optimize'), { timeout: 15_000 }).toBe(true);
      for (const kind of ['ec2-instance', 'ebs-volume']) {
        expect(order.filter((o) => o === `analyze ${kind}`)).toHaveLength(1);
        expect(order.indexOf(`analyze ${kind}`)).toBeLessThan(order.indexOf(`discover ${kind}`));
        expect(order.indexOf(`discover ${kind}`)).toBeLessThan(order.indexOf(`check ${kind}`));
      }
    } finally {
      await Promise.all(roles.map((r) => r.close()));
      for (const q of queues.all()) await q.obliterate({ force: true });
    }
  });

  it('a plan of an earlier version (no check groups) keeps its shape: the optimize job waits for the analyze jobs', () => {
    const { checkGroups: _none, ...p } = plan();
    const tree = buildScanFlow(p, flowOptions);
    for (const o of tree.children!.filter((c) => c.name === 'optimize')) expect(o.children!.map((c) => c.name)).toEqual(['analyze', 'analyze']);
    expect(scanJobs(p).filter((j) => j.stage === 'check')).toEqual([]);
    expect(scanJobs(p)).toHaveLength(2 * 2 * 2 + 2 * 2 * 2 + 4 + 1);
  });

  it('refuses check groups that do not split the plan\'s kinds exactly', () => {
    for (const checkGroups of [[['ec2-instance']], [['ec2-instance'], ['ebs-volume', 'ec2-instance']], [['ec2-instance', 'ebs-volume', 'lambda-function']]] as ScanPlan['checkGroups'][]) {
      expect(() => buildScanFlow({ ...plan(), checkGroups }, flowOptions)).toThrow(/do not split its kinds ec2-instance, ebs-volume/);
      expect(() => scanJobs({ ...plan(), checkGroups })).toThrow(/checkGroups/);
    }
  });

  it('adds one costs job beside the optimize jobs, on the home region\'s analysis queue', () => {
    const p = { ...plan(), regions: ['eu-west-1'], costsRegion: 'us-east-1' };
    const costs = scanJobs(p).filter((j) => j.stage === 'costs');
    expect(costs).toEqual([{ stage: 'costs', queue: 'analysis-us-east-1', id: `${p.scanId}.costs` }]);
    const tree = buildScanFlow(p, flowOptions);
    const child = tree.children?.find((c) => c.name === 'costs');
    expect(child).toMatchObject({ queueName: 'analysis-us-east-1', data: { scanId: p.scanId, region: 'us-east-1' }, opts: { jobId: `${p.scanId}.costs` } });
    expect(child?.children).toBeUndefined();
    expect(scanJobs(plan()).some((j) => j.stage === 'costs')).toBe(false);
  });

  it('starts the leading kinds\' discovery first: the other kinds\' jobs wait behind them with priority 1', async () => {
    const p = { ...plan(), accounts: ['111111111111', '222222222222'], regions: ['us-east-1'] };
    const tree = buildScanFlow(p, { ...flowOptions, leadingKinds: ['ebs-volume'] });
    const discovers: { kind: string; priority?: number }[] = [];
    const walk = (n: { name: string; data?: unknown; opts?: { priority?: number }; children?: unknown[] }) => {
      if (n.name === 'discover') discovers.push({ kind: (n.data as { kind: string }).kind, priority: n.opts?.priority });
      (n.children as (typeof n)[] | undefined)?.forEach(walk);
    };
    walk(tree as never);
    expect(discovers).toEqual([
      { kind: 'ec2-instance', priority: 1 },
      { kind: 'ebs-volume', priority: undefined },
      { kind: 'ec2-instance', priority: 1 },
      { kind: 'ebs-volume', priority: undefined },
    ]);
    expect(JSON.stringify(buildScanFlow(p, flowOptions))).not.toContain('"priority"');

    // On a real queue, one worker at a time: both accounts' leading listings run before either trailing one.
    await queues.flows().add(tree);
    const order: string[] = [];
    const workers = new RoleWorkers({
      role: 'discovery',
      handlers: { discover: async ({ kind }) => void order.push(kind) },
      connection: redis,
      prefix,
      concurrency: 1,
      regions: p.regions,
      logger,
      shutdownTimeoutMs: 5000,
    });
    try {
      await expect.poll(() => order.length, { timeout: 10_000 }).toBe(4);
      expect(order).toEqual(['ebs-volume', 'ebs-volume', 'ec2-instance', 'ec2-instance']);
    } finally {
      await workers.close();
      for (const q of queues.all()) await q.obliterate({ force: true });
    }
  });

  it('adding the same scan twice does not duplicate jobs', async () => {
    const p = plan();
    await queues.flows().add(buildScanFlow(p, flowOptions));
    await queues.flows().add(buildScanFlow(p, flowOptions));
    const counts = await Promise.all(queues.all().map((q) => q.getJobCountByTypes('waiting', 'waiting-children', 'delayed')));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(scanJobs(p).length);
    for (const q of queues.all()) await q.obliterate({ force: true });
  });

  it('a failed child leaves its parent waiting; retrying the child resumes the scan', async () => {
    const p = plan();
    p.accounts = ['111111111111'];
    p.regions = ['us-east-1'];
    p.kinds = ['ec2-instance'];
    p.checkGroups = [['ec2-instance']];
    let failDiscovery = true;
    const order: string[] = [];
    const handlers = {
      discover: async () => {
        order.push('discover');
        if (failDiscovery) throw new Error('RequestLimitExceeded');
        return { ok: true };
      },
      analyze: async () => void order.push('analyze'),
      costs: async () => void order.push('costs'),
      check: async () => void order.push('check'),
      optimize: async () => void order.push('optimize'),
      report: async () => void order.push('report'),
      notify: async () => undefined,
      deliver: async () => undefined,
      remediate: async () => undefined,
      'rollback-action': async () => undefined,
    };
    const roles = (['discovery', 'analysis', 'optimizer', 'reporter'] as const).map((role) => {
      const own = Object.fromEntries(Object.entries(handlers).filter(([n]) => ({ discover: 'discovery', analyze: 'analysis', costs: 'analysis', check: 'optimizer', optimize: 'optimizer', remediate: 'optimizer', 'rollback-action': 'optimizer', report: 'reporter', notify: 'reporter', deliver: 'reporter' })[n] === role));
      return new RoleWorkers({ role, handlers: own, connection: redis, prefix, concurrency: 2, regions: p.regions, logger, shutdownTimeoutMs: 5000 });
    });
    const reporterEvents = new QueueEvents('reporter', { connection: redis.duplicate(), prefix });
    await reporterEvents.waitUntilReady();
    try {
      await queues.flows().add(buildScanFlow(p, flowOptions));
      const discoverId = scanJobs(p).find((j) => j.stage === 'discover')!.id;
      const discoveryQueue = queues.get('discovery-us-east-1');
      await expect.poll(() => discoveryQueue.getJobState(discoverId), { timeout: 10_000 }).toBe('failed');
      const reportId = `${p.scanId}.report`;
      expect(await queues.get('reporter').getJobState(reportId)).toBe('waiting-children');
      expect(order).toEqual(['discover', 'discover']);

      failDiscovery = false;
      const completed = new Promise((resolve) => reporterEvents.on('completed', ({ jobId }) => jobId === reportId && resolve(jobId)));
      const job = (await Job.fromId(discoveryQueue, discoverId))!;
      await job.retry('failed');
      await completed;
      expect(order.slice(2)).toEqual(['discover', 'analyze', 'check', 'optimize', 'report']);
    } finally {
      await Promise.all(roles.map((r) => r.close()));
      await reporterEvents.close();
    }
  });

  it('a malformed payload fails that job with a clear reason and the worker keeps running', async () => {
    const workers = new RoleWorkers({
      role: 'reporter',
      handlers: { report: async () => 'done', notify: async () => undefined, deliver: async () => undefined },
      connection: redis,
      prefix,
      concurrency: 1,
      regions: [],
      logger,
      shutdownTimeoutMs: 5000,
    });
    try {
      const queue = queues.get('reporter');
      const bad = await queue.add('report', { scanId: 'has:colon' });
      const wrong = await queue.add('discover', { scanId: 'x' });
      const good = await queue.add('report', { scanId: 'fine' });
      await expect.poll(async () => (await queue.getJob(good.id!))?.returnvalue, { timeout: 10_000 }).toBe('done');
      const badJob = (await queue.getJob(bad.id!))!;
      expect(await badJob.getState()).toBe('failed');
      expect(badJob.failedReason).toMatch(/invalid report payload .*scanId/);
      expect(badJob.attemptsMade).toBe(1);
      expect((await queue.getJob(wrong.id!))!.failedReason).toMatch(/cannot run on queue reporter/);
      expect(workers.isRunning()).toBe(true);
    } finally {
      await workers.close();
    }
  });

  it('refuses to start a role without a handler for each of its jobs', () => {
    expect(() => assertHandlers('discovery', {})).toThrow(/job "discover" has no handler/);
    // The reporter's workers also serve the standalone notifications and deliveries queues.
    expect(() => assertHandlers('reporter', { report: async () => 1 })).toThrow(/job "notify" has no handler in the reporter service; job "deliver" has no handler/);
    expect(() => assertHandlers('reporter', { report: async () => 1, discover: async () => 1 })).toThrow(/belongs to the discovery service/);
  });
});
