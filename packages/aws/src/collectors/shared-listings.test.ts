// Shared listings: one per scan, account, region and API; let go once every reader has it, on failure, on expiry or when too big.
import type { ResourceKind } from '@finops/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SharedListing } from './collector.js';
import { SharedListings } from './shared-listings.js';

const scope = { accountId: '111111111111', region: 'eu-west-1' };
const VOLUMES: SharedListing<string> = { name: 'ec2:DescribeVolumes', list: async () => [] };
const CONSUMERS: ResourceKind[] = ['ebs-volume', 'ebs-snapshot'];

/** A listing function that counts its calls and answers `items`, or fails with `error`. */
function lister(items: string[] = ['vol-1', 'vol-2'], error?: Error) {
  const counter = { calls: 0 };
  const list = async (): Promise<readonly string[]> => {
    counter.calls += 1;
    await Promise.resolve();
    if (error) throw error;
    return items;
  };
  return Object.assign(counter, { list });
}

function shared(options: { ttlMs?: number; maxHeldItems?: number } = {}) {
  return new SharedListings({ consumers: () => CONSUMERS, ...options });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SharedListings', () => {
  it('lists once for the collectors of one scan and partition, whichever comes first, and then lets go', async () => {
    const listings = shared();
    const volumes = lister();
    const first = await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-snapshot' }, volumes.list);
    expect(listings.size).toBe(1);
    const second = await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-volume' }, volumes.list);
    expect(second).toBe(first);
    expect(volumes.calls).toBe(1);
    // Both consumers have it: nothing is held any more, and a later reader lists again.
    expect(listings.size).toBe(0);
    await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-volume' }, volumes.list);
    expect(volumes.calls).toBe(2);
  });

  it('shares a listing still in flight', async () => {
    const listings = shared();
    const volumes = lister();
    const [a, b] = await Promise.all([
      listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-volume' }, volumes.list),
      listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-snapshot' }, volumes.list),
    ]);
    expect(a).toEqual(['vol-1', 'vol-2']);
    expect(b).toBe(a);
    expect(volumes.calls).toBe(1);
  });

  it('never shares across scans, accounts or regions', async () => {
    const listings = shared();
    const volumes = lister();
    await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-volume' }, volumes.list);
    await listings.read(VOLUMES, { scanId: 's2', scope, kind: 'ebs-snapshot' }, volumes.list);
    await listings.read(VOLUMES, { scanId: 's1', scope: { ...scope, accountId: '222222222222' }, kind: 'ebs-snapshot' }, volumes.list);
    await listings.read(VOLUMES, { scanId: 's1', scope: { ...scope, region: 'us-east-1' }, kind: 'ebs-snapshot' }, volumes.list);
    expect(volumes.calls).toBe(4);
    // The first listing is still there for its own scan's snapshot collector.
    await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-snapshot' }, volumes.list);
    expect(volumes.calls).toBe(4);
  });

  it('holds nothing for a listing only one collector reads', async () => {
    const listings = new SharedListings({ consumers: () => ['ebs-volume'] });
    const volumes = lister();
    await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-volume' }, volumes.list);
    expect(listings.size).toBe(0);
  });

  it('drops a failed listing at once; a collector that waited on it lists on its own', async () => {
    const listings = shared();
    const failing = lister([], new Error('RequestLimitExceeded'));
    const healthy = lister(['vol-9']);
    const [a, b] = await Promise.allSettled([
      listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-volume' }, failing.list),
      listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-snapshot' }, healthy.list),
    ]);
    expect(a).toMatchObject({ status: 'rejected', reason: { message: 'RequestLimitExceeded' } });
    expect(b).toEqual({ status: 'fulfilled', value: ['vol-9'] });
    expect(healthy.calls).toBe(1);
    // The snapshot collector's own listing is kept for the volume collector's retry.
    expect(listings.size).toBe(1);
    expect(await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-volume' }, failing.list)).toEqual(['vol-9']);
    expect(failing.calls).toBe(1);
  });

  it('lets a listing go when its other reader does not come within the TTL', async () => {
    vi.useFakeTimers();
    const listings = shared({ ttlMs: 60_000 });
    const volumes = lister();
    await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-snapshot' }, volumes.list);
    expect(listings.size).toBe(1);
    vi.advanceTimersByTime(60_000);
    expect(listings.size).toBe(0);
    await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-volume' }, volumes.list);
    expect(volumes.calls).toBe(2);
  });

  it('holds at most maxHeldItems, letting the oldest listings go first', async () => {
    const listings = shared({ maxHeldItems: 5 });
    const two = lister(['a', 'b']);
    for (const scanId of ['s1', 's2', 's3']) await listings.read(VOLUMES, { scanId, scope, kind: 'ebs-snapshot' }, two.list);
    // 6 items would be held: s1's listing went.
    expect(listings.size).toBe(2);
    await listings.read(VOLUMES, { scanId: 's1', scope, kind: 'ebs-volume' }, two.list);
    expect(two.calls).toBe(4);
    await listings.read(VOLUMES, { scanId: 's3', scope, kind: 'ebs-volume' }, two.list);
    expect(two.calls).toBe(4);
    // A listing bigger than the limit alone is shared while in flight but not held.
    const big = lister(['1', '2', '3', '4', '5', '6']);
    await listings.read(VOLUMES, { scanId: 's4', scope, kind: 'ebs-snapshot' }, big.list);
    await listings.read(VOLUMES, { scanId: 's4', scope, kind: 'ebs-volume' }, big.list);
    expect(big.calls).toBe(2);
    listings.clear();
    listings.clear();
    expect(listings.size).toBe(0);
  });
});
