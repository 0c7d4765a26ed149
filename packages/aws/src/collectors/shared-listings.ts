// One listing per scan, account, region and API for the collectors that all read it, held only until each has it.
import type { ResourceKind } from '@finops/core';
import type { AwsScope } from '../types.js';
import type { SharedListing } from './collector.js';

/** Where a collector reads a shared listing: its scan, partition and own kind. */
export interface SharedListingReader {
  scanId: string;
  scope: AwsScope;
  kind: ResourceKind;
}

export interface SharedListingsOptions {
  /** The kinds whose collectors read a listing: the listing is let go once each of them has it. */
  consumers(listing: SharedListing<unknown>): readonly ResourceKind[];
  /**
   * How long a listing waits for the other collectors of its scan, ms (default 5 minutes). The discover jobs of
   * one partition are queued side by side and start within seconds of each other in the same process; a job that
   * runs later, or in another replica, lists on its own.
   */
  ttlMs?: number;
  /**
   * Items held at most over every listing waiting for its readers (default 20,000, ≈ 20 MB of SDK objects); the
   * oldest listings are let go first. Listings still in flight are always shared.
   */
  maxHeldItems?: number;
}

interface Entry {
  items: Promise<readonly unknown[]>;
  /** Consumers that have not read it yet. */
  waiting: Set<ResourceKind>;
  /** Items once listed; 0 while in flight. */
  size: number;
  timer: ReturnType<typeof setTimeout>;
}

export const SHARED_LISTING_TTL_MS = 5 * 60_000;
export const SHARED_LISTING_MAX_HELD_ITEMS = 20_000;

/**
 * Shares listings between the collectors of one scan's partition in this process. An entry is keyed by scan,
 * account, region and listing, so nothing crosses scans or accounts; it is dropped when every consumer kind has
 * read it, after `ttlMs`, or when more than `maxHeldItems` items are held. A listing that fails is dropped at
 * once, and a collector that was waiting on it lists again itself, so each job fails (or not) on its own calls.
 *
 * @example
 * const volumes = await shared.read(VOLUMES, { scanId, scope, kind: 'ebs-snapshot' }, () => VOLUMES.list(context));
 */
export class SharedListings {
  readonly #options: SharedListingsOptions;
  readonly #entries = new Map<string, Entry>();
  #held = 0;

  constructor(options: SharedListingsOptions) {
    this.#options = options;
  }

  /** The listing's items for `reader`: the one its scan's partition already has (in flight or done), or a new one. */
  async read<T>(listing: SharedListing<T>, reader: SharedListingReader, list: () => Promise<readonly T[]>): Promise<readonly T[]> {
    const key = JSON.stringify([reader.scanId, reader.scope.accountId, reader.scope.region, listing.name]);
    const existing = this.#entries.get(key);
    if (existing) {
      existing.waiting.delete(reader.kind);
      if (existing.waiting.size === 0) this.#drop(key, existing);
      try {
        return (await existing.items) as readonly T[];
      } catch {
        // The collector that started it reports that failure; this one's own listing decides its job (and is
        // shared in turn, e.g. with the retry of the job that failed).
        return this.read(listing, reader, list);
      }
    }
    const items = list();
    const waiting = new Set(this.#options.consumers(listing).filter((kind) => kind !== reader.kind));
    if (waiting.size === 0) return items;
    const entry: Entry = {
      items,
      waiting,
      size: 0,
      timer: setTimeout(() => this.#drop(key, entry), this.#options.ttlMs ?? SHARED_LISTING_TTL_MS),
    };
    entry.timer.unref();
    this.#entries.set(key, entry);
    items.then(
      (listed) => {
        if (this.#entries.get(key) !== entry) return;
        entry.size = listed.length;
        this.#held += listed.length;
        this.#trim();
      },
      () => this.#drop(key, entry),
    );
    return items;
  }

  /** Listings held now (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops every listing. Safe to call twice. */
  clear(): void {
    for (const entry of this.#entries.values()) clearTimeout(entry.timer);
    this.#entries.clear();
    this.#held = 0;
  }

  #drop(key: string, entry: Entry): void {
    if (this.#entries.get(key) !== entry) return;
    clearTimeout(entry.timer);
    this.#entries.delete(key);
    this.#held -= entry.size;
  }

  /** Lets the oldest listed entries go until the held items fit. */
  #trim(): void {
    const max = this.#options.maxHeldItems ?? SHARED_LISTING_MAX_HELD_ITEMS;
    for (const [key, entry] of this.#entries) {
      if (this.#held <= max) return;
      if (entry.size > 0) this.#drop(key, entry);
    }
  }
}
