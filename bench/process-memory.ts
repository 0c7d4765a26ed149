// Memory and CPU figures of a benchmark run: each worker process's peak RSS and CPU time, and Redis's own accounting.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Peak resident set size of a process so far (VmHWM in /proc/<pid>/status), in bytes; undefined when the process is
 * gone or /proc is not Linux's. VmHWM is the kernel's own high-water mark, so no sample can miss a short peak.
 */
export function peakRssBytes(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface RedisMemory {
  usedBytes: number;
  peakBytes: number;
}

/** `used_memory` and `used_memory_peak` from the text of INFO memory. */
export function parseRedisMemory(info: string): RedisMemory {
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return { usedBytes: field('used_memory'), peakBytes: field('used_memory_peak') };
}

export const MB = 1024 * 1024;

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat CPU times (100 on every common Linux). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds a process has used so far, user and system (fields 14 and 15 of /proc/<pid>/stat); undefined when
 * it is gone. The difference over a scan is the work a worker did, whatever the machine's load made it wait.
 */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
