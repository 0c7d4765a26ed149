// `pnpm bench` arguments: none for the default suite, or one case described by --size, --regions, --latency, …
import { parseArgs } from 'node:util';
import { BENCH_ACCOUNTS, BENCH_REGIONS, benchCase, defaultSuite, SIMULATOR_PLACEMENTS, type BenchCase, type SimulatorPlacement } from './bench-case.js';

export const BENCH_USAGE = `pnpm bench [--size N] [--regions R|r1,r2] [--accounts A] [--latency MS|MIN-MAX] [--throttle RATE] [--scans S] [--seed N] [--simulator endpoint|in-process] [--timeout-min M] [--out FILE]

Without --size: the default suite (10k, 50k, 100k resources over 2 accounts × 8 regions at 50–100 ms, then 100k with
20% of calls throttled). With --size: one case of that many resources. Results are printed and written to
bench/results/<date>.json (or --out). The simulated AWS runs in its own process, which the workers call over HTTP
(--simulator endpoint, the default), or inside each worker (--simulator in-process).`;

export interface BenchArgs {
  cases: BenchCase[];
  scanTimeoutMs: number;
  simulator: SimulatorPlacement;
  out?: string;
  help: boolean;
}

function fail(message: string): never {
  throw new Error(`${message}\n\n${BENCH_USAGE}`);
}

function count(value: string, name: string, max: number): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) fail(`--${name} expects a whole number from 1 to ${max}, got "${value}"`);
  return parsed;
}

/** `75` → 75–75 ms, `50-100` → 50–100 ms. */
export function parseLatency(value: string): { min: number; max: number } {
  const match = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(value.trim());
  if (!match) fail(`--latency expects milliseconds (75) or a range (50-100), got "${value}"`);
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max < min) fail(`--latency ${value}: the range's end is below its start`);
  return { min, max };
}

/** `3` → the first three bench regions; `eu-west-1,us-east-1` → those. */
export function parseRegions(value: string): string[] {
  if (/^\d+$/.test(value)) return BENCH_REGIONS.slice(0, count(value, 'regions', BENCH_REGIONS.length));
  const regions = value.split(',').map((r) => r.trim()).filter(Boolean);
  for (const region of regions) if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) fail(`--regions: "${region}" is not a region name`);
  return regions;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      size: { type: 'string' },
      regions: { type: 'string' },
      accounts: { type: 'string' },
      latency: { type: 'string' },
      throttle: { type: 'string' },
      scans: { type: 'string' },
      seed: { type: 'string' },
      'timeout-min': { type: 'string' },
      simulator: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const scanTimeoutMs = (values['timeout-min'] ? count(values['timeout-min'], 'timeout-min', 600) : 15) * 60_000;
  const simulator = (values.simulator ?? 'endpoint') as SimulatorPlacement;
  if (!SIMULATOR_PLACEMENTS.includes(simulator)) fail(`--simulator expects ${SIMULATOR_PLACEMENTS.join(' or ')}, got "${values.simulator}"`);
  const shaped = values.regions || values.accounts || values.latency || values.throttle || values.scans || values.seed;
  if (!values.size) {
    if (shaped) fail('--regions, --accounts, --latency, --throttle, --scans and --seed describe one case: give its --size too');
    return { cases: defaultSuite(), scanTimeoutMs, simulator, out: values.out, help: values.help ?? false };
  }
  const throttleRate = values.throttle === undefined ? 0 : Number(values.throttle.replace(/%$/, '')) / (values.throttle.endsWith('%') ? 100 : 1);
  if (!Number.isFinite(throttleRate) || throttleRate < 0 || throttleRate >= 1) fail(`--throttle expects a rate from 0 to below 1 (0.2 or 20%), got "${values.throttle}"`);
  const bench = benchCase({
    size: count(values.size, 'size', 2_000_000),
    ...(values.regions ? { regions: parseRegions(values.regions) } : {}),
    ...(values.accounts ? { accounts: BENCH_ACCOUNTS.slice(0, count(values.accounts, 'accounts', BENCH_ACCOUNTS.length)) } : {}),
    ...(values.latency ? { latencyMs: parseLatency(values.latency) } : {}),
    throttleRate,
    ...(values.scans ? { scans: count(values.scans, 'scans', 10) } : {}),
    ...(values.seed ? { seed: count(values.seed, 'seed', 2 ** 31) } : {}),
  });
  return { cases: [bench], scanTimeoutMs, simulator, out: values.out, help: values.help ?? false };
}
