// How a scan's blobs are stored in Redis: gzip'd JSON, or gzip'd MessagePack for the large lists read several times.
import { gunzipSync, gzipSync } from 'node:zlib';
import { Packr } from 'msgpackr';

/**
 * zlib's fastest level for the scan's blobs: half the CPU of the default (6) for a third more bytes — 48 against
 * 102 ms for a partition's 5,000 recommendations (6.5 MB of JSON: 0.60 against 0.45 MB). Every stage writes blobs
 * on the scan's path; Redis holds them for hours only.
 */
const GZIP_LEVEL = 1;

/** The first byte of a MessagePack blob. A JSON blob is gzip alone, whose first byte is always 0x1f. */
const PACKED = 0x01;

/**
 * MessagePack with records: an object's keys are written once per shape and its values after them. Over a 100k
 * scan's blobs, decoded by msgpackr's JavaScript (the bundles ship without its native addon): metric summaries
 * encode in 3.8 s against JSON's 5.3 s and decode in 4.1 s against 6.0 s (short strings shared included), findings
 * decode in 2.0 against 2.4 s. Every blob carries its own record definitions.
 */
const packr = new Packr({ useRecords: true });

/** Deeper nesting than the platform's data ever has is left to JSON rather than walked. */
const MAX_DEPTH = 32;

/**
 * Whether `value` comes back from a JSON round trip exactly as it is, so that MessagePack (which would keep them)
 * may carry it: strings, booleans, null, finite numbers other than -0, arrays without holes and plain objects of
 * those, with no key holding `undefined` (JSON drops it), no `toJSON` and no `__proto__` key. Anything else (a Date,
 * NaN, a class instance) is stored as JSON, so a blob always reads back as JSON would have given it.
 */
export function jsonExact(value: unknown, depth = 0): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!jsonExact(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      if (typeof record.toJSON === 'function') return false;
      for (const key in record) {
        if (key === '__proto__' || !jsonExact(record[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * A blob's bytes: MessagePack when `packed` is asked for and the value is JSON-exact, JSON otherwise; gzip'd.
 * @example await redis.set(key, encodeBlob(metrics, { packed: true }))
 */
export function encodeBlob(value: unknown, { packed = false }: { packed?: boolean } = {}): Buffer {
  if (packed && jsonExact(value)) {
    const body = gzipSync(packr.pack(value), { level: GZIP_LEVEL });
    const out = Buffer.allocUnsafe(body.length + 1);
    out[0] = PACKED;
    body.copy(out, 1);
    return out;
  }
  return gzipSync(JSON.stringify(value), { level: GZIP_LEVEL });
}

/** The value of a blob encodeBlob wrote, in either form (and those of earlier versions, which are gzip'd JSON). */
export function decodeBlob<T>(raw: Buffer): T {
  if (raw[0] === PACKED) return shareShortStrings(packr.unpack(gunzipSync(raw.subarray(1))), new Map()) as T;
  return JSON.parse(gunzipSync(raw).toString('utf8')) as T;
}

/** Strings up to this length are shared, as V8's JSON.parse shares them (it internalizes short values). */
const SHARED_STRING_LENGTH = 10;

/**
 * One string object per distinct short string of a decoded blob, set in place: MessagePack decodes every
 * occurrence apart, and a partition's metric summaries repeat the same day labels ("2026-11-13") tens of
 * thousands of times — held apart they took 40% more heap than the JSON they replace (626 against 449 MB for a
 * 100k scan's summaries), shared the same.
 */
function shareShortStrings(value: unknown, seen: Map<string, string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as unknown;
      if (typeof item === 'string') value[i] = sharedString(item, seen);
      else shareShortStrings(item, seen);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string') record[key] = sharedString(item, seen);
    else shareShortStrings(item, seen);
  }
  return value;
}

/** The blob's one copy of a short string (its first); a longer one as it is. */
function sharedString(text: string, seen: Map<string, string>): string {
  if (text.length > SHARED_STRING_LENGTH) return text;
  const known = seen.get(text);
  if (known !== undefined) return known;
  seen.set(text, text);
  return text;
}
