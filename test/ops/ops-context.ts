// A bootstrapped service context on the run's private Redis with a throwaway config, for operations tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedisConnection } from '@finops/core';
import { bootstrap, type ServiceContext } from '@finops/pipeline';
import { stringify } from 'yaml';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../support/redis.js';

export interface OpsContext {
  ctx: ServiceContext;
  dir: string;
  configFile: string;
  prefix: string;
  /** Settings written to the config file (before defaults). */
  settings: Record<string, unknown>;
  /** Rewrites the config file (for reload tests). */
  writeConfig(settings: Record<string, unknown>): void;
  /** Another context on the same config and Redis: a second replica or a restarted process. */
  replica(service?: string): Promise<ServiceContext>;
  /** Closes every context opened here and deletes the test's keys. */
  cleanup(): Promise<void>;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur) ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** A simulated one-account estate in us-east-1 with a small inventory, silent logs and a unique key prefix. */
export async function opsContext(name: string, overrides: Record<string, unknown> = {}, service = `${name}-test`): Promise<OpsContext> {
  const dir = mkdtempSync(join(tmpdir(), `finops-${name}-`));
  const configFile = join(dir, 'config.yaml');
  const prefix = uniquePrefix(name);
  const base = {
    aws: { provider: 'simulated', regions: ['us-east-1'] },
    simulation: { accounts: ['111111111111'], resourcesPerRegion: 10 },
    redis: { prefix, managed: { enabled: false, useLocalDefault: false } },
    reporting: { outputDir: join(dir, 'reports') },
    workers: { backoffMs: 50 },
    api: { auth: 'none' },
    logging: { level: 'silent' },
  };
  let settings = deepMerge(base, overrides);
  const writeConfig = (next: Record<string, unknown>) => {
    settings = next;
    writeFileSync(configFile, stringify(next));
  };
  writeConfig(settings);
  const env = { ...process.env, REDIS_URL: testRedisUrl(), FINOPS_LOG_LEVEL: '' };
  const open = (svc: string) => bootstrap({ service: svc, argv: ['--config', configFile], env });
  const contexts: ServiceContext[] = [];
  const ctx = await open(service);
  contexts.push(ctx);
  return {
    ctx,
    dir,
    configFile,
    prefix,
    get settings() {
      return settings;
    },
    writeConfig,
    replica: async (svc = `${service}-replica`) => {
      const replica = await open(svc);
      contexts.push(replica);
      return replica;
    },
    cleanup: async () => {
      for (const c of contexts) await c.close();
      // A connection of its own: the contexts' are closed, and a test may have closed them already.
      const redis = createRedisConnection(testRedisUrl(), { role: 'producer', name: 'ops-test-cleanup' });
      await cleanupPrefix(redis, prefix);
      await redis.quit();
    },
  };
}
