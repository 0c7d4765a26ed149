// Runs service entrypoints as child processes (as docker-compose does), logs to files, stops them in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNodeArgs, type EntrypointSource } from './paths.js';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartServiceOptions {
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Extra arguments for the service. */
  args?: string[];
  /** The bundle in dist/ (`pnpm build`) or the TypeScript sources through tsx. Default: as this CLI runs (CLI_SOURCE). */
  source?: EntrypointSource;
}

export function startServiceProcess(name: string, options: StartServiceOptions): ServiceProcess {
  const nodeArgs = serviceNodeArgs(name, options.source);
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'w' });
  const child = spawn(process.execPath, [...nodeArgs, ...(options.args ?? [])], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end();
      resolve({ code, signal });
    });
  });
  return { name, child, logFile, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`. Safe to call on a process that already exited. */
export async function stopServiceProcess(proc: ServiceProcess, graceMs = 15_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/**
 * Until `url` answers 2xx (a started service's readiness), polling every 200 ms; an error once `timeoutMs` passed or
 * as soon as `alive()` says the process is gone.
 */
export async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(Math.max(1, Math.min(2000, deadline - Date.now()))) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready in ${timeoutMs / 1000}s`);
}
