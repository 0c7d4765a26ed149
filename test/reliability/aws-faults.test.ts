// Fault: an AWS throttling storm, and a region that answers every call with AccessDenied.
// Injects: for the first seconds of a scan, 30% of all AWS call attempts (every service, region and account) are
//   answered with the service's throttling error, between the SDK's retry loop and the simulated AWS; a whole region
//   (eu-central-1) is denied by the simulated account's IAM. The simulated AWS also enforces AWS's documented
//   per-API rate limits (simulation.rateLimits), and the workers take tokens from the shared Redis rate limiter.
// Asserts: the scan completes; its report equals that of an undisturbed scan with the same denied region; the storm
//   was felt (throttled attempts counted in the report's apiUsage); calls drew from the shared Redis token buckets
//   and their retries never pushed any API over AWS's rate limits (the simulated AWS throttled nothing itself);
//   the denied region is in the report's errors with the denied action, and the other regions are complete.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALLER_ACCOUNT, createAwsAccess, type ClientPlugins } from '@finops/aws';
import type { ConfigInput } from '@finops/core';
import { redisSharedAws, type AwsRuntime, type ServiceContext } from '@finops/pipeline';
import type { RoleWorkers } from '@finops/queues';
import type { Report } from '@finops/reports';
import { createSimulatedAws, SimulatedServiceError, type SimulatedAws } from '@finops/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix, testRedisUrl } from '../support/redis.js';
import { SCAN_ROLES, closeContext, openContext, reportFingerprint, runScan, scanKeys, startReplicas, writeConfig } from './harness.js';

type Plugin = ReturnType<ClientPlugins>[number];

/** Throttles a share of call attempts while it is on, with a seeded generator; counts what it did. */
class ThrottlingStorm {
  on = false;
  throttled = 0;
  passed = 0;
  #state: number;

  constructor(
    readonly rate: number,
    seed: number,
  ) {
    this.#state = seed;
  }

  #next(): number {
    // mulberry32: a small seeded generator, enough to spread throttles evenly.
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.#state ^ (this.#state >>> 15), 1 | this.#state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  plugin(service: string): Plugin {
    const middleware = (next: (args: object) => Promise<unknown>) => async (args: object) => {
      if (this.on && this.#next() < this.rate) {
        this.throttled += 1;
        // As AWS answers: EC2 with 503 RequestLimitExceeded, the others with 400 Throttling.
        throw new SimulatedServiceError({
          name: service === 'ec2' ? 'RequestLimitExceeded' : 'Throttling',
          message: 'Rate exceeded (injected storm)',
          httpStatusCode: service === 'ec2' ? 503 : 400,
          requestId: 'storm',
          throttling: true,
        });
      }
      if (this.on) this.passed += 1;
      return next(args);
    };
    // finalizeRequest, low: inside the SDK's retry loop (each attempt passes here), before the simulated AWS answers.
    return { applyToStack: (stack: { add(m: typeof middleware, o: object): void }) => stack.add(middleware, { step: 'finalizeRequest', priority: 'low', name: 'throttlingStorm' }) } as Plugin;
  }
}

/** The runtime createAwsRuntime builds for `simulated`, with the storm between the SDK and the simulated account. */
function stormyRuntime(ctx: ServiceContext, storm: ThrottlingStorm): { runtime: AwsRuntime; simulator: SimulatedAws } {
  const { config, logger, redis } = ctx;
  const regions = config.aws.regions as string[];
  const { mutationStore, ...shared } = redisSharedAws(config, redis, logger);
  const simulator = createSimulatedAws(config.simulation, regions, mutationStore ? { mutationStore } : {});
  const access = createAwsAccess({
    aws: config.aws,
    plugins: (scope) => [
      simulator.plugin({ ...scope, accountId: scope.accountId === CALLER_ACCOUNT ? (simulator.accounts[0] as string) : scope.accountId }),
      storm.plugin(scope.service),
    ],
    credentials: { accessKeyId: 'ASIASIMULATED000000', secretAccessKey: 'simulated-secret-access-key' },
    logger,
    ...shared,
  });
  return {
    simulator,
    runtime: { access, simulator, accounts: async () => simulator.accounts, regions: async () => regions, close: () => access.close() },
  };
}

describe('an AWS throttling storm and a denied region', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-aws-faults-'));
  const DENIED_REGION = 'eu-central-1';
  const settings = (name: string): ConfigInput => ({
    aws: { provider: 'simulated', regions: ['us-east-1', 'eu-west-1', DENIED_REGION], maxAttempts: 6 },
    simulation: {
      seed: 23,
      accounts: ['111111111111'],
      resourcesPerRegion: 40,
      latencyMs: { min: 5, max: 15 },
      rateLimits: true,
      denied: [{ region: DENIED_REGION }],
    },
    redis: { prefix: uniquePrefix(name), managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, name, 'reports') },
    workers: { attempts: 5, backoffMs: 200 },
    logging: { level: 'silent' },
  });
  const storm = new ThrottlingStorm(0.3, 2026);
  let ctx: ServiceContext;
  let simulator: SimulatedAws;
  const workers: RoleWorkers[] = [];
  let baseline: Report;
  let report: Report;
  const buckets = new Set<string>();

  beforeAll(async () => {
    const undisturbed = (async () => {
      const base = await openContext(writeConfig(dir, settings('storm-baseline'), 'baseline'), testRedisUrl());
      const replicas = await startReplicas(base, SCAN_ROLES);
      try {
        return (await runScan(base)).report;
      } finally {
        await Promise.all(replicas.map((w) => w.close()));
        await closeContext(base);
      }
    })();
    ctx = await openContext(writeConfig(dir, settings('storm')), testRedisUrl());
    const stormy = stormyRuntime(ctx, storm);
    ctx.aws.close();
    ctx.aws = stormy.runtime;
    ctx.deps.aws = stormy.runtime;
    simulator = stormy.simulator;
    workers.push(...(await startReplicas(ctx, SCAN_ROLES)));
    baseline = await undisturbed;

    storm.on = true;
    // The storm blows through discovery and analysis (a few seconds), then calms down.
    const calm = setTimeout(() => {
      storm.on = false;
    }, 3000);
    // While the scan runs: the token buckets it draws from, sampled often (an idle bucket's key expires once it is
    // full again, within seconds; a short scan would otherwise end between two looks).
    let sampling: Promise<void> = Promise.resolve();
    const sample = setInterval(() => {
      sampling = sampling.then(async () => {
        for (const key of await scanKeys(ctx, `${ctx.config.redis.prefix}:ratelimit:*`)) buckets.add(key);
      });
    }, 200);
    try {
      report = (await runScan(ctx, {}, 120_000)).report;
    } finally {
      clearTimeout(calm);
      clearInterval(sample);
      await sampling;
      storm.on = false;
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await closeContext(ctx);
  });

  it('completes the scan with the report of an undisturbed one', () => {
    expect(report.recommendations.length).toBeGreaterThan(0);
    expect(reportFingerprint(report)).toEqual(reportFingerprint(baseline));
  });

  it('retried the throttled calls without ever exceeding AWS\'s rate limits', () => {
    const throttledShare = storm.throttled / (storm.throttled + storm.passed);
    console.log(`storm: ${storm.throttled} of ${storm.throttled + storm.passed} attempts throttled (${(100 * throttledShare).toFixed(1)}%); report apiUsage.throttled ${report.apiUsage.throttled}`);
    expect(storm.throttled).toBeGreaterThan(10);
    // The injector's own sanity: about 30% (a loose band, the number of attempts in the window varies).
    expect(throttledShare).toBeGreaterThan(0.15);
    expect(throttledShare).toBeLessThan(0.45);
    // Every throttled attempt was seen and retried by the platform (a job retried after a throttle counts its attempts too).
    expect(report.apiUsage.throttled).toBeGreaterThan(0);
    expect(report.apiUsage.throttled).toBeLessThanOrEqual(storm.throttled);
    // The simulated AWS enforces the documented per-API buckets: nothing, retries included, went over them.
    expect(simulator.stats().throttled).toBe(0);
  });

  it('took every call through the shared Redis token buckets', async () => {
    const keys = [...buckets];
    expect(keys.length).toBeGreaterThan(0);
    // The scanned account's buckets, and the caller's STS bucket (its account is not known before GetCallerIdentity).
    const bucketKey = new RegExp(`^${ctx.config.redis.prefix.replace(/[{}]/g, '\\$&')}:ratelimit:(111111111111|caller):`);
    expect(keys.filter((k) => !bucketKey.test(k))).toEqual([]);
    expect(keys.some((k) => k.includes(':ratelimit:111111111111:') && k.includes('ec2'))).toBe(true);
  });

  it('reports the denied region in errors, and only that region', () => {
    const denied = report.errors.filter((e) => e.region === DENIED_REGION);
    expect(denied.length).toBeGreaterThan(0);
    for (const e of denied) {
      expect(e.code).toMatch(/AccessDenied|UnauthorizedOperation/);
      expect(e.message).toContain(DENIED_REGION);
    }
    expect(report.errors.filter((e) => e.region !== DENIED_REGION && e.region !== undefined)).toEqual([]);
    const scanned = report.inventory.byAccountRegion.filter((p) => p.region !== DENIED_REGION);
    expect(scanned.map((p) => p.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(report.recommendations.every((r) => r.region !== DENIED_REGION)).toBe(true);
  });
});
