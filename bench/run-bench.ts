// Runs benchmark cases one after another and gathers what they measured, the machine's state and the targets.
import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchCase } from './bench-case.js';
import { runCase, type CaseResult, type RunCaseOptions } from './run-case.js';
import { caseTargets, growthTargets, type TargetVerdict } from './targets.js';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  cases: (CaseResult & { targets: TargetVerdict[] })[];
  /** Growth of memory and wall time across the unthrottled cases, smallest to largest. */
  growth: TargetVerdict[];
}

/**
 * Runs `cases` in order (put the big ones last: they take minutes) and judges each against the targets.
 * `onCase` sees each case as soon as it is done, for printing while the next one runs.
 */
export async function runBench(
  cases: readonly BenchCase[],
  options: RunCaseOptions & { onCase?: (result: CaseResult & { targets: TargetVerdict[] }) => void } = {},
): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadavg().map((l) => Math.round(l * 100) / 100);
  const results: BenchResults['cases'] = [];
  for (const bench of cases) {
    const result = await runCase(bench, options);
    const judged = { ...result, targets: caseTargets(result) };
    results.push(judged);
    options.onCase?.(judged);
  }
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      loadAverageStart,
      loadAverageEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    },
    cases: results,
    growth: growthTargets(results),
  };
}
