// The performance targets, judged on measured runs: each says pass or miss, the figure, and what held it.
import type { CaseResult, ScanMeasurement, UnfinishedScan } from './run-case.js';

export const TARGETS = {
  /** Wall time over the lower bound, at 100k resources. */
  wallRatio: 1.25,
  /** The same with 20% of calls throttled. */
  wallRatioThrottled: 1.5,
  /** AWS calls over the minimum. */
  callsRatio: 1.05,
  /** GetMetricData calls per 10,000 EC2 instances. */
  cloudwatchCallsPer10kInstances: 100,
  /** Peak RSS of any worker process, MB, at 100k resources. */
  workerPeakRssMb: 300,
  /** Redis used_memory peak, MB, at 100k resources. */
  redisPeakMb: 512,
  /** Growth exponent between two estate sizes: 1 is linear; the slack absorbs noise on a shared machine. */
  growthExponent: 1.1,
} as const;

export interface TargetVerdict {
  target: string;
  /** `pass`, `miss`, or `n/a` when the run has nothing to judge (an unfinished case). */
  verdict: 'pass' | 'miss' | 'n/a';
  measured: string;
  /** Why it missed: the stage holding the time, the operation above its minimum. */
  detail?: string;
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));

function verdict(ok: boolean | undefined): TargetVerdict['verdict'] {
  return ok === undefined ? 'n/a' : ok ? 'pass' : 'miss';
}

/** The scan targets are judged on: the last (warm) one, as long-running workers see every scan but their first. */
export function judgedScan(result: CaseResult): ScanMeasurement | undefined {
  return result.scans[result.scans.length - 1];
}

/** Where the time went when a wall-time target is missed: the stage holding most of the critical path. */
export function wallDetail(scan: ScanMeasurement): string {
  const path = scan.stages.onCriticalPath;
  const parts = (Object.entries(path) as [string, number][]).sort((a, b) => b[1] - a[1]).map(([stage, s]) => `${stage} ${fixed(s, 1)} s`);
  return `${scan.stages.slowestStage} holds the most of the critical path (${parts.join(', ')}); AWS's bound ${fixed(scan.lowerBound.seconds, 1)} s is set by ${scan.lowerBound.boundBy}: ${scan.lowerBound.binding}`;
}

/** The operations furthest above their minimum, for a calls target that missed. */
export function callsDetail(scan: ScanMeasurement): string {
  return scan.calls.byOperation
    .filter((o) => o.measured !== o.minimum)
    .sort((a, b) => b.measured - b.minimum - (a.measured - a.minimum))
    .slice(0, 5)
    .map((o) => `${o.operation} ${o.measured} vs ${o.minimum}`)
    .join(', ');
}

/** What an unfinished scan got done: where it stopped, and discovery against its own bound. */
export function unfinishedDetail(unfinished: UnfinishedScan): string {
  const stopped = unfinished.stages.stages.map((s) => `${s.stage} ${s.jobs} jobs done by ${fixed(s.lastEndSec, 1)} s`).join(', ');
  const discovery = unfinished.discovery
    ? `; discovery done in ${fixed(unfinished.discovery.wallSec, 1)} s vs its bound ${fixed(unfinished.discovery.lowerBoundSec, 1)} s (×${fixed(unfinished.discovery.ratio)}), ` +
      `${unfinished.discovery.calls.measured} discovery calls vs ${fixed(unfinished.discovery.calls.minimum, 0)} (×${fixed(unfinished.discovery.calls.ratio, 3)})`
    : '';
  return `scan ${unfinished.index} ${unfinished.status} after ${fixed(unfinished.waitedSec, 0)} s: ${stopped}${discovery}`;
}

/** The per-case targets: wall time, calls, CloudWatch calls, Cost Explorer on a warm scan, memory. */
export function caseTargets(result: CaseResult): TargetVerdict[] {
  const scan = judgedScan(result);
  const throttled = result.case.throttleRate > 0;
  const wallLimit = throttled ? TARGETS.wallRatioThrottled : TARGETS.wallRatio;
  const verdicts: TargetVerdict[] = [];
  const unfinished = result.unfinishedScan;
  verdicts.push({
    target: 'every scan completes',
    verdict: result.error ? 'miss' : 'pass',
    measured: result.error ? (result.error.split('\n')[0] ?? '').split('; stages')[0]!.slice(0, 200) : `${result.scans.length} of ${result.case.scans} completed`,
    ...(unfinished ? { detail: unfinishedDetail(unfinished) } : {}),
  });
  const wallOk = scan ? scan.wallRatio <= wallLimit : result.error ? false : undefined;
  verdicts.push({
    target: `wall ≤ ${wallLimit} × lower bound`,
    verdict: verdict(wallOk),
    measured: scan ? `${fixed(scan.wallSec, 2)} s / ${fixed(scan.lowerBound.seconds, 2)} s = ×${fixed(scan.wallRatio)}` : 'no finished scan',
    ...(scan && !wallOk ? { detail: wallDetail(scan) } : {}),
  });
  const callsOk = scan ? scan.calls.ratio <= TARGETS.callsRatio : undefined;
  verdicts.push({
    target: `AWS calls ≤ ${TARGETS.callsRatio} × minimum${throttled ? ' (× expected attempts)' : ''}`,
    verdict: verdict(callsOk),
    measured: scan ? `${scan.calls.measured} / ${fixed(scan.calls.minimum, 0)} = ×${fixed(scan.calls.ratio, 3)}` : 'no finished scan',
    ...(scan && !callsOk ? { detail: callsDetail(scan) } : {}),
  });
  const perInstance = scan?.cloudwatch.callsPer10kInstances;
  verdicts.push({
    target: `GetMetricData calls per 10,000 EC2 instances ≤ ${TARGETS.cloudwatchCallsPer10kInstances}`,
    verdict: verdict(perInstance === undefined ? undefined : perInstance <= TARGETS.cloudwatchCallsPer10kInstances),
    measured: scan
      ? `${fixed(perInstance ?? 0, 1)} per 10k instances (the ec2-instance analysis jobs' ${scan.cloudwatch.ec2Calls} calls); ` +
        `every kind: ${scan.cloudwatch.getMetricDataCalls} calls, ${fixed(scan.cloudwatch.callsPer10kResources, 1)} per 10k resources`
      : 'no finished scan',
  });
  const warm = result.scans.slice(1);
  verdicts.push({
    target: 'no Cost Explorer request on a scan within the cache window',
    verdict: verdict(warm.length ? warm.every((s) => s.costExplorer.requests === 0) : undefined),
    measured: warm.length ? warm.map((s) => `scan ${s.index}: ${s.costExplorer.requests}`).join(', ') : 'only one scan ran',
  });
  const peaks = [...result.scans.flatMap((s) => Object.entries(s.memory.workerPeakRssMb)), ...Object.entries(result.workerPeakRssMbAtError ?? {})];
  const worst = peaks.reduce<[string, number] | undefined>((a, b) => (!a || b[1] > a[1] ? b : a), undefined);
  verdicts.push({
    target: `peak RSS per worker ≤ ${TARGETS.workerPeakRssMb} MB`,
    verdict: verdict(worst ? worst[1] <= TARGETS.workerPeakRssMb : undefined),
    measured: worst ? `${worst[0]} ${fixed(worst[1], 0)} MB` : 'not measured',
  });
  const redisPeaks = [...result.scans.map((s) => s.memory.redisPeakMb), ...(result.redisPeakMbAtError === undefined ? [] : [result.redisPeakMbAtError])];
  const redisPeak = Math.max(...redisPeaks);
  verdicts.push({
    target: `Redis used_memory peak ≤ ${TARGETS.redisPeakMb} MB`,
    verdict: verdict(redisPeaks.length ? redisPeak <= TARGETS.redisPeakMb : undefined),
    measured: redisPeaks.length ? `${fixed(redisPeak, 0)} MB${result.scans.length ? '' : ' (when the case stopped)'}` : 'not measured',
  });
  return verdicts;
}

/** How a figure grows from one estate size to the next: ln(y2 / y1) / ln(x2 / x1), 1 being linear. */
export function growthExponent(x1: number, y1: number, x2: number, y2: number): number {
  if (x1 <= 0 || y1 <= 0 || x2 <= x1 || y2 <= 0) return Number.NaN;
  return Math.log(y2 / y1) / Math.log(x2 / x1);
}

/** When a case's discovery ended (every discover job done), finished scan or not. */
function discoveryEndSec(result: CaseResult): number | undefined {
  const scan = judgedScan(result);
  if (scan) return scan.stages.stages.find((s) => s.stage === 'discovery')?.lastEndSec;
  return result.unfinishedScan?.discovery?.wallSec;
}

/**
 * Growth across the unthrottled cases, smallest to largest: worker peak RSS, Redis peak and wall time must grow at
 * most linearly with the estate. Discovery's time and memory are judged on every case whose discovery finished,
 * so a case that stopped later still says how that stage grows.
 */
export function growthTargets(results: readonly CaseResult[]): TargetVerdict[] {
  const finished = (figure: (r: CaseResult) => number) => (r: CaseResult) => (judgedScan(r) && !r.error ? figure(r) : undefined);
  const figures: [string, (r: CaseResult) => number | undefined][] = [
    ['worker peak RSS (largest worker)', finished((r) => Math.max(...r.scans.flatMap((s) => Object.values(s.memory.workerPeakRssMb))))],
    ['Redis used_memory peak', finished((r) => Math.max(...r.scans.map((s) => s.memory.redisPeakMb)))],
    ['wall time', finished((r) => judgedScan(r)?.wallSec ?? Number.NaN)],
    ['discovery time', discoveryEndSec],
    ['discovery worker peak RSS', (r) => judgedScan(r)?.memory.workerPeakRssMb.discovery ?? r.workerPeakRssMbAtError?.discovery],
  ];
  const unthrottled = results.filter((r) => r.case.throttleRate === 0).sort((a, b) => a.estate.total - b.estate.total);
  return figures.map(([name, figure]) => {
    const series = unthrottled
      .map((r) => ({ r, y: figure(r) }))
      .filter((point): point is { r: CaseResult; y: number } => point.y !== undefined && Number.isFinite(point.y));
    if (series.length < 2) {
      return { target: `${name} grows at most linearly`, verdict: 'n/a' as const, measured: `measured at ${series.length} size${series.length === 1 ? '' : 's'}: needs two` };
    }
    const steps = series.slice(1).map((point, i) => {
      const previous = series[i] as { r: CaseResult; y: number };
      return { from: previous.r.case.name, to: point.r.case.name, k: growthExponent(previous.r.estate.total, previous.y, point.r.estate.total, point.y) };
    });
    const ok = steps.every((step) => Number.isFinite(step.k) && step.k <= TARGETS.growthExponent);
    return {
      target: `${name} grows at most linearly`,
      verdict: verdict(steps.some((step) => !Number.isFinite(step.k)) ? undefined : ok),
      measured: steps.map((step) => `${step.from}→${step.to}: exponent ${fixed(step.k)}`).join(', '),
    };
  });
}
