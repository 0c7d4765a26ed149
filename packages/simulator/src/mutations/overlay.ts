// Applies an overlay to a generated partition (patched, deleted and created records) and merges new changes into one.
import type { Partition } from '../estate-types.js';
import type { Overlay, OverlayEntry, SimRecord } from './mutation-store.js';

/** One change a mutating call made. */
export type ResourceChange =
  | { op: 'patch'; collection: string; id: string; patch: SimRecord }
  | { op: 'create'; collection: string; id: string; record: SimRecord }
  | { op: 'delete'; collection: string; id: string; record: SimRecord };

/** The field naming a record in each collection of a partition; anything else is named by `id`. */
const ID_FIELDS: Record<string, (record: SimRecord) => unknown> = {
  addresses: (r) => r.allocationId,
  functions: (r) => r.name,
  loadBalancers: (r) => r.arn ?? r.name,
  targetGroups: (r) => r.arn,
};

export function recordId(collection: string, record: SimRecord): string {
  return String((ID_FIELDS[collection] ?? ((r: SimRecord) => r.id))(record));
}

/** The partition's lookup maps: which collection each indexes, and by which field (for records an overlay creates). */
const MAP_KEYS: Record<string, [collection: string, field: string]> = {
  instanceById: ['instances', 'id'],
  volumeById: ['volumes', 'id'],
  dbInstanceById: ['dbInstances', 'id'],
  functionByName: ['functions', 'name'],
  natGatewayById: ['natGateways', 'id'],
  loadBalancerByDimension: ['loadBalancers', 'dimension'],
};

export function overlayKey(collection: string, id: string): string {
  return `${collection}/${id}`;
}

/** `record` with `patch` applied: a `null` value removes the field. */
export function patched(record: SimRecord, patch: SimRecord): SimRecord {
  const next: SimRecord = { ...record };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/**
 * The partition as the overlay leaves it. The generated partition is never modified: changed records are copies,
 * and every collection and lookup map holding one is rebuilt. Without entries the partition itself is returned.
 */
export function applyOverlay(base: Partition, overlay: Overlay): Partition {
  const entries = Object.entries(overlay.entries);
  if (entries.length === 0) return base;
  const replaced = new Map<unknown, SimRecord | undefined>();
  const result: Record<string, unknown> = { ...base };
  const created = new Map<string, SimRecord[]>();
  for (const [key, entry] of entries) {
    if (!('created' in entry)) continue;
    const collection = key.slice(0, key.indexOf('/'));
    created.set(collection, [...(created.get(collection) ?? []), entry.created]);
  }
  for (const [collection, value] of Object.entries(base)) {
    if (!Array.isArray(value)) continue;
    const items: unknown[] = [];
    const replacedHere = new Set<SimRecord>();
    for (const record of value as SimRecord[]) {
      const entry = overlay.entries[overlayKey(collection, recordId(collection, record))];
      if (entry && 'deleted' in entry) replaced.set(record, undefined);
      else if (entry && 'patch' in entry) {
        const next = patched(record, entry.patch);
        replaced.set(record, next);
        items.push(next);
      } else if (entry && 'created' in entry) {
        // Created again under a generated record's id (a DB instance restored under its old name): it replaces it.
        replaced.set(record, entry.created);
        replacedHere.add(entry.created);
        items.push(entry.created);
      } else items.push(record);
    }
    items.push(...(created.get(collection) ?? []).filter((record) => !replacedHere.has(record)));
    result[collection] = items;
  }
  for (const [name, value] of Object.entries(base)) {
    if (!(value instanceof Map)) continue;
    const map = new Map<unknown, unknown>();
    for (const [key, record] of value) {
      const next = replaced.has(record) ? replaced.get(record) : record;
      if (next) map.set(key, next);
    }
    const spec = MAP_KEYS[name];
    if (spec) for (const record of created.get(spec[0]) ?? []) map.set(record[spec[1]], record);
    result[name] = map;
  }
  return result as unknown as Partition;
}

/** The overlay entries `changes` produce on top of `current`: whole entries, ready to save. */
export function mergeChanges(current: Record<string, OverlayEntry>, changes: readonly ResourceChange[]): Record<string, OverlayEntry> {
  const merged: Record<string, OverlayEntry> = {};
  const entryOf = (key: string) => merged[key] ?? current[key];
  for (const change of changes) {
    const key = overlayKey(change.collection, change.id);
    const existing = entryOf(key);
    if (change.op === 'create') merged[key] = { created: change.record };
    else if (change.op === 'delete') merged[key] = { deleted: change.record };
    else if (existing && 'created' in existing) merged[key] = { created: patched(existing.created, change.patch) };
    else if (existing && 'patch' in existing) merged[key] = { patch: { ...existing.patch, ...change.patch } };
    else merged[key] = { patch: change.patch };
  }
  return merged;
}
