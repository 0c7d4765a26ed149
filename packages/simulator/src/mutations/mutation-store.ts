// Where the simulated estate's changes live: an overlay per (account, region), shared by every process given one store.

/** A JSON record of the estate (an instance, a volume…), as the generator builds it. */
export type SimRecord = Record<string, unknown>;

/**
 * What happened to one resource, relative to the generated estate. A `patch` key set to `null` removes that field
 * (an instance started again loses its `stoppedAt`). `created` resources carry their whole record; `deleted` keeps
 * the record it had (a released address can be recovered from it).
 */
export type OverlayEntry = { patch: SimRecord } | { created: SimRecord } | { deleted: SimRecord };

/** One partition's overlay: entries keyed `<collection>/<id>` (`instances/i-0abc…`), and a version that changes with each write. */
export interface Overlay {
  version: string;
  entries: Record<string, OverlayEntry>;
}

/**
 * Persistence of overlays. The simulator reads a partition's overlay before every call it serves and writes the
 * entries a mutating call changed, so every process given the same store sees one estate.
 * `packages/remediation` implements it on Redis; {@link memoryMutationStore} keeps it in the process.
 */
export interface MutationStore {
  load(accountId: string, region: string): Promise<Overlay>;
  /** Replaces these entries (whole entries, already merged with what was loaded) and changes the version. */
  save(accountId: string, region: string, entries: Record<string, OverlayEntry>): Promise<void>;
}

/** A store private to this process: the default, so one simulator's own calls always see its own changes. */
export function memoryMutationStore(): MutationStore {
  const overlays = new Map<string, { version: number; entries: Record<string, OverlayEntry> }>();
  return {
    async load(accountId, region) {
      const overlay = overlays.get(`${accountId}|${region}`);
      return { version: String(overlay?.version ?? 0), entries: structuredClone(overlay?.entries ?? {}) };
    },
    async save(accountId, region, entries) {
      const key = `${accountId}|${region}`;
      const overlay = overlays.get(key) ?? { version: 0, entries: {} };
      Object.assign(overlay.entries, structuredClone(entries));
      overlay.version += 1;
      overlays.set(key, overlay);
    },
  };
}
