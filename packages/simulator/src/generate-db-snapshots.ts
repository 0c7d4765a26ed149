// Manual DB snapshots of a partition: recent and old ones of live instances, and ones whose instance is gone.
import type { SimDbInstance, SimDbSnapshot } from './estate-types.js';
import { byQuota, daysBefore, teamTags, type KindGenerationContext } from './kind-generation.js';

type SnapshotCase = 'live-young' | 'live-old' | 'orphan-young' | 'orphan-old';

const ENGINE_VERSIONS: Record<string, string[]> = {
  postgres: ['13.15', '14.12', '15.7'],
  mysql: ['8.0.35', '8.0.36'],
  mariadb: ['10.6.18'],
};

/**
 * Old snapshots are 120–700 days old and young ones 1–60 days, so nothing sits near the 90-day threshold. An orphan
 * was taken of an instance deleted since: its identifier and resource id match no live instance.
 */
export function generateDbSnapshots(context: KindGenerationContext, count: number, dbInstances: readonly SimDbInstance[]): SimDbSnapshot[] {
  const { rng } = context;
  const hasLive = dbInstances.length > 0;
  const cases = byQuota<SnapshotCase>(
    rng,
    count,
    [
      ['orphan-young', count >= 2 ? Math.max(1, Math.round(count * 0.15)) : 0],
      [hasLive ? 'live-old' : 'orphan-old', count >= 2 ? Math.max(1, Math.round(count * 0.2)) : 0],
      ['orphan-old', Math.round(count * 0.1)],
    ],
    hasLive ? 'live-young' : 'orphan-young',
  );
  const ids = new Set<string>();
  return cases.map((kind, index) => {
    const old = kind.endsWith('-old');
    const createTime = old ? daysBefore(context, 120, 700) : daysBefore(context, 1, 60);
    // A snapshot is of an instance that existed when it was taken; when none did, it is of one deleted since.
    const candidates = kind.startsWith('live') ? dbInstances.filter((db) => db.createTime < createTime) : [];
    const source = candidates.length > 0 ? rng.pick(candidates) : undefined;
    const engine = source?.engine ?? rng.weighted({ postgres: 45, mysql: 40, mariadb: 15 });
    const dbInstanceId = source?.id ?? `${rng.pick(['legacy', 'old', 'migrated', 'tmp'])}-${rng.pick(['orders', 'users', 'reports', 'audit'])}-db-${index + 1}`;
    const purpose = rng.pick(['pre-upgrade', 'before-migration', 'manual-backup', 'final-snapshot', 'release']);
    const tags = teamTags(context, '', source?.tags.team);
    let id = `${dbInstanceId}-${purpose}-${new Date(createTime).toISOString().slice(0, 10)}`;
    if (ids.has(id)) id = `${id}-${index + 1}`;
    ids.add(id);
    tags.Name = id;
    return {
      id,
      dbInstanceId,
      dbiResourceId: source?.resourceId ?? `db-${rng.hex(26).toUpperCase()}`,
      sourceExists: source !== undefined,
      engine,
      engineVersion: source?.engineVersion ?? rng.pick(ENGINE_VERSIONS[engine]),
      allocatedStorageGiB: source?.allocatedStorageGiB ?? rng.pick([20, 50, 100, 200, 500]),
      storageType: source?.storageType ?? (rng.chance(0.5) ? 'gp2' : 'gp3'),
      encrypted: rng.chance(0.8),
      createTime,
      availabilityZone: source?.availabilityZone ?? rng.pick(context.zones),
      vpcId: context.vpcId,
      tags,
    };
  });
}
