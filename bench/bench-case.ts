// What one benchmark run scans: the simulated estate's size and shape, its latency, and injected throttling.

/** Regions a run spreads over, in order: `--regions 3` takes the first three. */
export const BENCH_REGIONS = [
  'us-east-1',
  'eu-west-1',
  'us-west-2',
  'eu-central-1',
  'ap-northeast-1',
  'us-east-2',
  'ap-southeast-2',
  'sa-east-1',
] as const;

/** Accounts a run spreads over: the first is the management (caller) account, the others are assumed into. */
export const BENCH_ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'] as const;

/**
 * Where the simulated AWS runs. `endpoint` (the default): its own process (the simulated-aws service), which every
 * worker calls over HTTP, as the platform calls AWS: the workers' memory and CPU are then the platform's alone, and
 * AWS's rate limits are one set for all of them. `in-process`: each worker simulates the estate itself (no
 * `simulation.endpoint`), carrying it in its memory and computing CloudWatch's datapoints on its CPU.
 */
export type SimulatorPlacement = 'endpoint' | 'in-process';
export const SIMULATOR_PLACEMENTS: readonly SimulatorPlacement[] = ['endpoint', 'in-process'];

export interface BenchCase {
  /** Short label, e.g. `100k` or `100k-throttled`. */
  name: string;
  /** Resources wanted over the whole estate; each partition holds about size / (accounts × regions), ±10%. */
  size: number;
  accounts: string[];
  regions: string[];
  /** Simulated latency of every AWS call, uniform in [min, max]. */
  latencyMs: { min: number; max: number };
  /** Fraction of calls the simulator answers with a throttling error, on top of its rate limits. */
  throttleRate: number;
  /** Scans run one after the other on the same workers: the first is cold, the later ones warm (Cost Explorer cached). */
  scans: number;
  seed: number;
}

/** `resourcesPerRegion` of the simulation: the estate's size spread over its partitions. */
export function resourcesPerPartition(bench: Pick<BenchCase, 'size' | 'accounts' | 'regions'>): number {
  return Math.max(1, Math.round(bench.size / (bench.accounts.length * bench.regions.length)));
}

/** A case with the defaults: 2 accounts × 8 regions, 50–100 ms per call, no injected throttling, 2 scans. */
export function benchCase(options: Partial<BenchCase> & { size: number }): BenchCase {
  const throttleRate = options.throttleRate ?? 0;
  return {
    name: options.name ?? `${formatSize(options.size)}${throttleRate > 0 ? '-throttled' : ''}`,
    size: options.size,
    accounts: options.accounts ?? BENCH_ACCOUNTS.slice(0, 2),
    regions: options.regions ?? [...BENCH_REGIONS],
    latencyMs: options.latencyMs ?? { min: 50, max: 100 },
    throttleRate,
    scans: options.scans ?? 2,
    seed: options.seed ?? 42,
  };
}

/** The default suite: 10k, 50k and 100k resources, then 100k with 20% of calls throttled. Big runs last. */
export function defaultSuite(): BenchCase[] {
  return [benchCase({ size: 10_000 }), benchCase({ size: 50_000 }), benchCase({ size: 100_000 }), benchCase({ size: 100_000, throttleRate: 0.2 })];
}

/** 10000 → `10k`, 250 → `250`. */
export function formatSize(size: number): string {
  return size >= 1000 && size % 1000 === 0 ? `${size / 1000}k` : String(size);
}
