// Scan progress from job events: discovery jobs report what they found (job.updateProgress) before their job
// completes, the watcher shows it from the events alone (its safety-net read is set far beyond the test), and the
// finops CLI turns it into log lines when stderr is not a terminal; with --json it prints one JSON result only.
// Injects: the discovery workers run the real handler, then hold each job open until the test lets go.
import { run } from '@finops/cli';
import { handlersFor, startRoleWorkers, startScan, waitForScan, type ScanProgress } from '@finops/pipeline';
import { RoleWorkers, type JobHandler } from '@finops/queues';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureOutput, cli } from '../input/cli-capture.js';
import { testRedisUrl } from '../support/redis.js';
import { opsContext, type OpsContext } from './ops-context.js';

/** Holds jobs after their handler ran, until released; a released gate lets every later job through. */
class Gate {
  held = 0;
  private open!: () => void;
  private opened = new Promise<void>((resolve) => (this.open = resolve));

  pass(): Promise<void> {
    this.held += 1;
    return this.opened;
  }

  release(): void {
    this.open();
  }
}

async function until(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('scan progress from job progress events', () => {
  let ops: OpsContext;
  let gate = new Gate();
  const pools: RoleWorkers[] = [];


  /** Discovery workers running the real handler, each job held after it until the gate opens. */
  async function heldDiscovery(): Promise<RoleWorkers> {
    const { ctx } = ops;
    const discover = handlersFor('discovery', ctx.deps).discover!;
    const held: JobHandler<'discover'> = async (payload, context) => {
      const result = await discover(payload, context);
      await gate.pass();
      return result;
    };
    const workers = new RoleWorkers({
      role: 'discovery',
      handlers: { discover: held },
      connection: ctx.redis,
      prefix: ctx.config.redis.prefix,
      concurrency: ctx.config.workers.concurrency.discovery,
      regions: ctx.regions,
      logger: ctx.logger,
      shutdownTimeoutMs: 5000,
    });
    pools.push(workers);
    await workers.ready();
    return workers;
  }

  beforeAll(async () => {
    ops = await opsContext('scan-progress', {
      redis: { url: testRedisUrl() },
      services: { rds: false, lambda: false },
      costs: { enabled: false },
      reporting: { formats: ['json'] },
      // Every discovery job of the partition runs (and is held) at once.
      workers: { concurrency: { discovery: 16 } },
    });
    for (const role of ['analysis', 'optimizer', 'reporter'] as const) pools.push(await startRoleWorkers(ops.ctx, role));
  });

  afterEach(() => {
    // A test that failed while jobs were held must not leave them held for the next one.
    gate.release();
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    for (const w of pools) await w.close();
    await ops?.cleanup();
  });

  it('reaches the watcher: resources found mid-discovery, before any discovery job completes', async () => {
    const { ctx } = ops;
    gate = new Gate();
    const plan = await startScan(ctx, { trigger: 'test' });
    const seen: ScanProgress[] = [];
    let heldView: ScanProgress | undefined;
    // The discovery workers start after the watcher's first read: what it learns of them, events told it.
    let discovery: Promise<RoleWorkers> | undefined;
    const done = waitForScan(ctx.queues, ctx.store, plan.scanId, {
      // Far beyond the test: every update after the first read comes from job events.
      pollMs: 10 * 60_000,
      signal: AbortSignal.timeout(30_000),
      onProgress: (p) => {
        seen.push(p);
        discovery ??= heldDiscovery();
        const { discover } = p.stages;
        if (!heldView && discover.completed === 0 && discover.active === discover.total && discover.inFlight === discover.total) {
          heldView = p;
          gate.release();
        }
      },
    });
    const final = await done;
    await (await discovery)?.close();
    expect(final.status, JSON.stringify(final.failedJobs)).toBe('completed');
    expect(heldView, `no view of every discovery job reported and none completed: ${JSON.stringify(seen.map((s) => s.stages.discover))}`).toBeDefined();
    expect(gate.held).toBe(plan.kinds.length);
    // What the jobs reported while held is what they stored once they completed.
    expect(final.resourcesFound).toBeGreaterThan(0);
    expect(heldView!.resourcesFound).toBe(final.resourcesFound);
    // No discovery job had run at the first read, and a held job's completed event never came: the progress events
    // carried those counts.
    expect(seen[0]!.resourcesFound).toBe(0);
    expect(seen[0]!.stages.discover.active).toBe(0);
    expect(Object.values(final.stages).every((s) => s.completed === s.total && s.inFlight === 0)).toBe(true);
  });

  it('becomes log lines in the CLI when stderr is not a terminal, one per change', async () => {
    gate = new Gate();
    const output = captureOutput();
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true, writable: true });
    const discovery = await heldDiscovery();
    try {
      const running = run(['scan', '--config', ops.configFile]);
      await until('the scan header', () => /^scan \S+: 1 account\(s\) × 1 region\(s\) × \d+ kind\(s\)/m.test(output.stderr));
      const [, scanId, kinds] = output.stderr.match(/^scan (\S+): 1 account\(s\) × 1 region\(s\) × (\d+) kind\(s\)/m)!;
      // Every discovery job listed its kind and stored it, and is held: no job of the scan completed.
      await until('every discovery job held', () => gate.held === Number(kinds));
      const found = (await ops.ctx.store.inventoryCounts(scanId!)).reduce((sum, c) => sum + c.count, 0);
      expect(found).toBeGreaterThan(0);
      // Analysis may have begun: each discovery job queues its kind's analysis before it completes.
      const midDiscovery = new RegExp(`discovery 0/${kinds} \\(${kinds} running\\) · analysis [^·]+ · checks 0/\\d+ · optimization 0/1 · report 0/1 · ${found.toLocaleString('en-US')} resources · `);
      await until('a progress line showing every resource found mid-discovery', () => midDiscovery.test(output.stderr));
      gate.release();
      const code = await running;
      expect(code, output.stderr).toBe(0);
      expect(output.stdout).toContain(`Resources: ${found} `);
      const lines = output.stderr.split('\n').filter((l) => / resources · /.test(l));
      expect(lines.every((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z discovery /.test(l)), lines.join('\n')).toBe(true);
      expect(lines.at(-1)).toMatch(new RegExp(`discovery ${kinds}/${kinds} · analysis (\\d+)/\\1 · checks (\\d+)/\\2 · optimization 1/1 · report 1/1 · ${found.toLocaleString('en-US')} resources · `));
      // One line per change: no line repeats the one before it (timestamps and clocks aside).
      const states = lines.map((l) => l.replace(/^\S+Z /, '').replace(/ · [\d.]+s( · ETA \d+s)?$/, ''));
      for (let i = 1; i < states.length; i += 1) expect(states[i], `line ${i}`).not.toBe(states[i - 1]);
    } finally {
      output.restore();
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
      await discovery.close();
    }
  });

  it('prints one JSON result and no progress with --json', async () => {
    gate = new Gate();
    gate.release();
    const discovery = await heldDiscovery();
    const { code, stdout, stderr } = await cli('scan', '--config', ops.configFile, '--json').finally(() => discovery.close());
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { status: string; totals: unknown };
    expect(result).toMatchObject({ status: 'completed', totals: expect.any(Object) });
    expect(stderr).not.toMatch(/ resources · /);
  });
});
