// The benchmark's printed form: one block per case, then the targets and how figures grow with the estate.
import type { CaseResult, ScanMeasurement } from './run-case.js';
import type { TargetVerdict } from './targets.js';

/** Seconds with enough digits to tell small figures apart: 0.015, 3.42, 61.2. */
const sec = (value: number) => n(value, value < 1 ? 3 : value < 10 ? 2 : 1);
const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : String(value));

function scanLine(scan: ScanMeasurement): string {
  const kind = scan.index === 1 ? 'cold' : 'warm';
  return (
    `  scan ${scan.index} (${kind}): wall ${sec(scan.wallSec)} s, lower bound ${sec(scan.lowerBound.seconds)} s → ×${n(scan.wallRatio, 2)}; ` +
    `${n(scan.resourcesPerSec)} resources/s; calls ${n(scan.calls.measured)} vs minimum ${n(scan.calls.minimum)} → ×${n(scan.calls.ratio, 3)}` +
    (scan.calls.throttled ? ` (${n(scan.calls.throttled)} throttled)` : '')
  );
}

function stagesLines(scan: ScanMeasurement): string[] {
  const lines = scan.stages.stages.map(
    (s) =>
      `    ${s.stage.padEnd(9)} ${String(s.jobs).padStart(4)} jobs  ${n(s.firstStartSec, 1).padStart(6)} → ${n(s.lastEndSec, 1).padStart(6)} s` +
      `  busy ${n(s.busySec, 1).padStart(7)} s  longest ${n(s.longestJobSec, 1)} s${s.retried ? `  retried ${s.retried}` : ''}`,
  );
  const path = scan.stages.criticalPath.filter((p) => p.seconds >= 0.05).map((p) => `${p.stage} ${n(p.seconds, 1)}`);
  return [...lines, `    critical path (s): ${path.join(' · ')}  — ${scan.stages.slowestStage} holds the most`];
}

/** One case as text: the estate and settings, each scan, stages, spend, memory and calls above the minimum. */
export function formatCase(result: CaseResult, verdicts: readonly TargetVerdict[]): string {
  const { case: bench, estate, settings } = result;
  const kinds = Object.entries(estate.byKind)
    .map(([kind, count]) => `${kind} ${n(count ?? 0)}`)
    .join(' · ');
  const lines = [
    `== ${bench.name}: ${estate.accounts} accounts × ${estate.regions} regions, ${n(estate.total)} resources (${settings.resourcesPerRegion}/partition)`,
    `  ${kinds}`,
    `  latency ${settings.latencyMs.min}–${settings.latencyMs.max} ms per call, ${n(settings.throttleRate * 100)}% of calls throttled, AWS rate limits on ` +
      `(AWS's burst + per second, then the platform's own bucket where it differs: ${settings.rateLimits.map((b) => `${b.name} ${b.simulator.burst}+${b.simulator.refillPerSec}/s${b.platform.burst !== b.simulator.burst || b.platform.refillPerSec !== b.simulator.refillPerSec ? ` (platform ${b.platform.burst}+${b.platform.refillPerSec}/s)` : ''}`).join(', ')})`,
    `  simulated AWS ${settings.simulator === 'in-process' ? 'in each worker process (--simulator in-process): its estate and CloudWatch datapoints count in the workers\' memory and CPU' : 'in its own process, called over HTTP by every worker'}`,
    `  load average ${result.loadAverage.start.join(' ')} → ${result.loadAverage.end.join(' ')}; census ${n(result.censusMs / 1000, 1)} s`,
  ];
  for (const scan of result.scans) lines.push(scanLine(scan));
  const judged = result.scans[result.scans.length - 1];
  if (judged) {
    lines.push(`  AWS's bound: ${judged.lowerBound.boundBy} — ${judged.lowerBound.binding}`);
    lines.push(`  stages of scan ${judged.index}:`, ...stagesLines(judged));
    for (const scan of result.scans) {
      lines.push(
        `  scan ${scan.index} spend: CloudWatch ${n(scan.cloudwatch.getMetricDataCalls)} GetMetricData (minimum ${n(scan.cloudwatch.minimumCalls)}), ` +
          `${n(scan.cloudwatch.metricsRequested)} metrics = $${n(scan.cloudwatch.usd, 2)}; Cost Explorer ${scan.costExplorer.requests} requests ` +
          `(minimum ${scan.costExplorer.minimum}) = $${n(scan.costExplorer.usd, 2)}; ${n(scan.cloudwatch.callsPer10kInstances, 1)} GetMetricData per 10k instances`,
      );
    }
    const memory = Object.entries(judged.memory.workerPeakRssMb).map(([name, mb]) => `${name} ${n(mb)} MB`);
    const idle = Object.entries(result.workerIdleRssMb).map(([name, mb]) => `${name} ${n(mb)}`);
    lines.push(`  peak RSS: ${memory.join(', ')} (idle after start-up: ${idle.join(', ')} MB); Redis used_memory ${n(judged.memory.redisUsedMb)} MB, peak ${n(judged.memory.redisPeakMb)} MB`);
    const cpu = Object.entries(judged.workerCpuSec).map(([name, sec]) => `${name} ${n(sec, 1)}`);
    lines.push(`  CPU used during scan ${judged.index} (s): ${cpu.join(', ')}`);
    const m = judged.machineCpu;
    lines.push(
      `  CPU of the whole machine during scan ${judged.index}: ${n(m.totalSec, 1)} s (workers, simulated AWS, Redis ${n(m.redisSec, 1)}, bench ${n(m.benchSec, 1)}) on ${m.cores} cores: at least ${n(m.floorSec, 1)} s of wall time even with every core busy throughout (${n(m.floorSec / judged.lowerBound.seconds, 2)} × the bound)`,
    );
    if (judged.simulatedAws) {
      lines.push(
        `  simulated AWS process (AWS's side, not the platform's): CPU ${n(judged.simulatedAws.cpuSec, 1)} s during scan ${judged.index}, peak RSS ${n(judged.simulatedAws.peakRssMb)} MB` +
          (result.simulatedAwsIdleRssMb !== undefined ? ` (idle ${n(result.simulatedAwsIdleRssMb)} MB)` : ''),
      );
    }
    const capacity = Object.entries(judged.capacity.partitionsPerCoreAtBound).map(([name, count]) => `${name} ${n(count, 1)}`);
    lines.push(`  partitions of this size one core keeps up with at AWS's bound: ${capacity.join(', ')}`);
    const above = judged.calls.byOperation.filter((o) => o.measured !== o.minimum).map((o) => `${o.operation} ${o.measured}/${n(o.minimum)}`);
    if (above.length) lines.push(`  calls ≠ minimum (measured/minimum): ${above.join(', ')}`);
  }
  if (result.error) {
    lines.push(`  UNFINISHED: ${(result.error.split('\n')[0] ?? '').slice(0, 400)}`);
    if (result.workerPeakRssMbAtError) {
      const peaks = Object.entries(result.workerPeakRssMbAtError).map(([k, v]) => `${k} ${n(v)} MB`);
      const redis = result.redisPeakMbAtError === undefined ? '' : `; Redis used_memory peak ${n(result.redisPeakMbAtError)} MB`;
      lines.push(`  peak RSS before it stopped: ${peaks.join(', ')}${redis}`);
    }
    if (result.unfinishedScan) {
      const cpu = Object.entries(result.unfinishedScan.workerCpuSec).map(([name, sec]) => `${name} ${n(sec, 1)}`);
      lines.push(`  CPU used until it stopped (s): ${cpu.join(', ')}`);
    }
  }
  lines.push(...formatVerdicts(verdicts));
  return lines.join('\n');
}

export function formatVerdicts(verdicts: readonly TargetVerdict[]): string[] {
  return verdicts.map((v) => `  [${v.verdict === 'pass' ? 'pass' : v.verdict === 'miss' ? 'MISS' : ' n/a'}] ${v.target}: ${v.measured}${v.detail ? ` — ${v.detail}` : ''}`);
}
