// The simulator's mutation overlays in Redis, so an action in the optimizer shows in the next discovery, in any process.
import type { MutationStore, Overlay, OverlayEntry } from '@finops/simulator';
import type { Redis } from 'ioredis';

const VERSION_FIELD = '__version';

/**
 * One hash per (account, region): `<prefix>:sim:overlay:<account>:<region>`, field `<collection>/<id>` → entry JSON,
 * plus a version counter bumped with every write in the same transaction. Reads are one HGETALL per served call.
 */
export function redisMutationStore(redis: Redis, prefix: string): MutationStore {
  const key = (accountId: string, region: string) => `${prefix}:sim:overlay:${accountId}:${region}`;
  return {
    async load(accountId, region): Promise<Overlay> {
      const fields = await redis.hgetall(key(accountId, region));
      const entries: Record<string, OverlayEntry> = {};
      for (const [field, raw] of Object.entries(fields)) if (field !== VERSION_FIELD) entries[field] = JSON.parse(raw) as OverlayEntry;
      return { version: fields[VERSION_FIELD] ?? '0', entries };
    },
    async save(accountId, region, entries) {
      const serialized = Object.fromEntries(Object.entries(entries).map(([field, entry]) => [field, JSON.stringify(entry)]));
      await redis.multi().hset(key(accountId, region), serialized).hincrby(key(accountId, region), VERSION_FIELD, 1).exec();
    },
  };
}
