// A private redis-server for tests: a free port and a temporary directory, removed again on stop().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer as startServer } from '../../packages/core/src/redis-server.js';

export interface TestRedisServer {
  url: string;
  port: number;
  /** Graceful shutdown; removes the temporary directory it created. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash; the directory stays so a restart on the same `dir` finds the AOF. */
  kill(): Promise<void>;
}

/**
 * Starts redis-server on 127.0.0.1 with `noeviction` and no RDB snapshots. Pass `dir` and `port` to restart a
 * killed server on the same data (reliability tests); without `dir` a temporary one is used.
 *
 * @example const server = await startRedisServer({ appendonly: true, dir });
 */
export async function startRedisServer(options: { appendonly?: boolean; dir?: string; port?: number } = {}): Promise<TestRedisServer> {
  const ownDir = options.dir === undefined ? mkdtempSync(join(tmpdir(), 'finops-test-redis-')) : undefined;
  const dir = options.dir ?? (ownDir as string);
  const server = await startServer({ dir, port: options.port, appendonly: options.appendonly ?? false }).catch((error: unknown) => {
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    throw error;
  });
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    stop: () => {
      stopping ??= server.stop().then(() => {
        if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      });
      return stopping;
    },
    kill: () => server.kill(),
  };
}
