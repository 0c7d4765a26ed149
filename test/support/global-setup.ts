// vitest globalSetup: one private Redis for the whole run (a container when Docker answers, else a redis-server child).
import { spawn } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:<port>` of the Redis private to this test run. */
    redisUrl: string;
  }
}

const DOCKER_PROBE_TIMEOUT_MS = 3000;
const REDIS_ARGS = ['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'];

/** Whether a Docker engine answers `docker info` in time (the CLI alone is not enough). */
async function dockerAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(false);
    }, DOCKER_PROBE_TIMEOUT_MS);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

async function startContainer(): Promise<{ url: string; stop(): Promise<void> }> {
  // Loaded only on this path: testcontainers is slow to import and useless without an engine.
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('redis:7')
    .withCommand(['redis-server', ...REDIS_ARGS])
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  return {
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    stop: async () => {
      await container.stop();
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = (await dockerAnswers())
    ? await startContainer()
    : await startRedisServer({ appendonly: false }).catch((error: unknown) => {
        throw new Error(
          `The tests need a private Redis: no Docker engine answers and redis-server could not be started ` +
            `(install it: apt-get install redis-server). ${(error as Error).message}`,
          { cause: error },
        );
      });
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
