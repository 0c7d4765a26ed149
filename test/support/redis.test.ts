// The test Redis helpers: a private server, prefixes valid as redis.prefix, cleanup, and restart after a crash.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../packages/core/src/config-schema.js';
import { createRedisConnection, pingRedis } from '../../packages/core/src/redis.js';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from './redis.js';
import { startRedisServer } from './redis-server.js';

describe('the run\'s private Redis', () => {
  let redis: ReturnType<typeof createRedisConnection>;
  beforeAll(() => {
    redis = createRedisConnection(testRedisUrl(), { role: 'producer', name: 'support-test' });
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('is not the shared 6379 and does not evict', async () => {
    expect(new URL(testRedisUrl()).port).not.toBe('6379');
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  });

  it('gives unique, hash-tagged prefixes that redis.prefix accepts', () => {
    const first = uniquePrefix('flow test');
    expect(first).toMatch(/^\{t-flow-test-[0-9a-f]{8}\}$/);
    expect(uniquePrefix('flow test')).not.toBe(first);
    expect(configSchema.parse({ redis: { prefix: first } }).redis.prefix).toBe(first);
  });

  it('cleans up exactly the keys of one prefix', async () => {
    const mine = uniquePrefix('cleanup');
    const other = uniquePrefix('cleanup');
    const keys = Array.from({ length: 2500 }, (_, index) => `${mine}:k${index}`);
    await redis.mset(...keys.flatMap((key) => [key, '1']));
    await redis.set(`${other}:keep`, '1');

    await cleanupPrefix(redis, mine);
    expect(await redis.exists(...keys)).toBe(0);
    expect(await redis.get(`${other}:keep`)).toBe('1');
    await cleanupPrefix(redis, other);
  });
});

describe('startRedisServer', () => {
  it('restarts on the same dir and port after a crash with the acknowledged writes of its append-only file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finops-aof-'));
    try {
      const first = await startRedisServer({ appendonly: true, dir });
      const client = createRedisConnection(first.url, { role: 'producer' });
      await client.set('survivor', 'yes');
      // appendfsync everysec may lose the last second on a power cut, not on a process crash: the page cache stays.
      await first.kill();
      expect(await pingRedis(first.url, 300)).toBe(false);
      client.disconnect();

      const second = await startRedisServer({ appendonly: true, dir, port: first.port });
      const again = createRedisConnection(second.url, { role: 'producer' });
      expect(second.url).toBe(first.url);
      expect(await again.get('survivor')).toBe('yes');
      await again.quit();
      await second.stop();
      await second.stop();
      await second.kill();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes the temporary directory it created', async () => {
    const server = await startRedisServer();
    const client = createRedisConnection(server.url, { role: 'producer' });
    const [, dir] = (await client.config('GET', 'dir')) as string[];
    await client.quit();
    expect(dir).toContain('finops-test-redis-');
    await server.stop();
    expect(existsSync(dir)).toBe(false);
  });
});
