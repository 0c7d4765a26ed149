// `pnpm bench`: full scans of the simulated account through the worker services, measured against AWS's limits.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_USAGE, parseBenchArgs } from './bench-args.js';
import { formatCase, formatVerdicts } from './format-results.js';
import { runBench } from './run-bench.js';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** `2026-11-26T20-45-03Z`: sortable, and safe in a file name. */
function stamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const started = new Date();
  process.stdout.write(`bench: ${args.cases.map((c) => c.name).join(', ')} — started ${started.toISOString()}\n`);
  const results = await runBench(args.cases, {
    scanTimeoutMs: args.scanTimeoutMs,
    simulator: args.simulator,
    progress: (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`),
    onCase: (result) => process.stdout.write(`\n${formatCase(result, result.targets)}\n`),
  });
  if (results.growth.length) process.stdout.write(`\n== growth with the estate\n${formatVerdicts(results.growth).join('\n')}\n`);
  const out = resolve(args.out ?? join(RESULTS_DIR, `${stamp(started)}.json`));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nresults: ${out}\n`);
  return results.cases.some((c) => c.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
