// Runs a redis-server child process on a free local port: the managed Redis, and the private Redis of the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pingRedis } from './redis-ping.js';

export interface RedisServerOptions {
  /** Working directory of the server: its append-only files go here. Must exist. */
  dir: string;
  /** Executable. Default: `redis-server` from PATH. */
  binary?: string;
  /** Default: a free port. */
  port?: number;
  /** Append-only persistence (fsync every second). Default: false. */
  appendonly?: boolean;
  /** Default: `noeviction`, the only policy under which BullMQ keeps its jobs. */
  maxmemoryPolicy?: string;
  /** How long the server may take to answer PING. Default: 10 s. */
  startTimeoutMs?: number;
}

export interface RedisServerProcess {
  url: string;
  port: number;
  pid: number;
  /** Graceful shutdown (SIGTERM: Redis fsyncs its AOF), SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
  /** Abrupt death (SIGKILL), as in a crash. Safe to call after stop(). */
  kill(): Promise<void>;
  /** The last few kilobytes the server printed. */
  output(): string;
}

const OUTPUT_TAIL_CHARS = 4096;
const STOP_TIMEOUT_MS = 10_000;

/** Children still running, killed when this process exits so none outlives it. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killRunningChildren(): void {
  for (const child of running) child.kill('SIGTERM');
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not read the port of a listening socket');
  return address.port;
}

/**
 * Starts `redis-server` bound to 127.0.0.1 and resolves once it answers PING.
 *
 * @throws Error with the server's own output when it exits early or does not answer within `startTimeoutMs`.
 */
export async function startRedisServer(options: RedisServerOptions): Promise<RedisServerProcess> {
  // Another process can take a port between findFreePort() and the server binding it: retry on a fresh one.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, options.port ?? (await findFreePort()));
    } catch (error) {
      if (attempt >= attempts || !/Address already in use/i.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(options: RedisServerOptions, port: number): Promise<RedisServerProcess> {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', options.dir,
    '--appendonly', options.appendonly ? 'yes' : 'no',
    ...(options.appendonly ? ['--appendfsync', 'everysec'] : []),
    '--maxmemory-policy', options.maxmemoryPolicy ?? 'noeviction',
    '--save', '',
    '--daemonize', 'no',
  ];
  // Not detached: the child shares our process group, so a terminal's Ctrl-C reaches it too.
  const child = spawn(options.binary ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  // Keep draining the pipes for the server's whole life: a full pipe would block it.
  const collect = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exitCode: number | null | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    const finish = (code: number | null): void => {
      if (exitCode !== undefined) return;
      exitCode = code;
      running.delete(child);
      resolve();
    };
    child.once('exit', (code, signal) => finish(code ?? (signal ? -1 : null)));
    // A failed spawn (ENOENT, EACCES) may emit 'error' without 'exit'.
    child.on('error', (error) => {
      spawnError ??= error;
      if (child.pid === undefined) finish(null);
    });
  });

  running.add(child);
  if (!exitHookInstalled) {
    process.on('exit', killRunningChildren);
    exitHookInstalled = true;
  }

  const url = `redis://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let failure: string | undefined = `redis-server did not answer PING on ${url} within ${timeoutMs} ms`;
  while (Date.now() < deadline) {
    if (spawnError) {
      failure = `could not start ${options.binary ?? 'redis-server'}: ${spawnError.message}`;
      break;
    }
    if (exitCode !== undefined) {
      failure = `redis-server exited (code ${String(exitCode)}) before answering`;
      break;
    }
    if (await pingRedis(url, 500)) {
      failure = undefined;
      break;
    }
    await sleep(50);
  }
  if (failure !== undefined) {
    child.kill('SIGKILL');
    await exited;
    const output = tail.trim();
    throw new Error(output ? `${failure}:\n${output}` : failure);
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  const kill = async (): Promise<void> => {
    if (exitCode === undefined) child.kill('SIGKILL');
    await exited;
  };

  // The pid is set: the server answered PING.
  return { url, port, pid: child.pid as number, stop, kill, output: () => tail };
}
