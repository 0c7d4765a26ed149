// report.json in pieces, as `JSON.stringify(report, null, 2)` writes it: a report with 100k recommendations is written
// without one huge string, its lists an element at a time.
import type { FileLayout, ListItem, ListSlot } from './file-layout.js';
import { REPORT_LISTS, type ListDigest, type ReportDigest, type ReportListName } from './report-digest.js';

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * `JSON.stringify(value, null, 2)` as it reads `depth` levels deep in an indented document: stringified inside
 * `depth` one-element arrays, which JSON.stringify indents for us, and cut out of them (a slice, no copy).
 */
function nested(value: unknown, depth: 1 | 2): string {
  const text = JSON.stringify(depth === 1 ? [value] : [[value]], null, 2);
  // Depth 1: `[\n  ` … `\n]`; depth 2: `[\n  [\n    ` … `\n  ]\n]`. An omitted value reads `null`, as in an array.
  return depth === 1 ? text.slice(4, -2) : text.slice(10, -6);
}

const hasToJson = (value: unknown) => typeof (value as { toJSON?: unknown } | null | undefined)?.toJSON === 'function';

/** A plain object none of whose values has toJSON (which may return undefined, dropping the key). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && !hasToJson(value) && !Object.values(value).some(hasToJson);
}

/** An element of a top-level array, as the array of `count` elements holds it at `index`. */
const element = (value: unknown, index: number, count: number) => `    ${nested(value, 2)}${index < count - 1 ? ',' : ''}\n`;

/** A recommendation in one of report.json's lists; the line break after the last comes with the list's end. */
export const jsonItem: ListItem = { render: (r) => `    ${nested(r, 2)}`, separator: ',\n' };

/**
 * The top-level object one key at a time and its arrays one element at a time; the keys of `lists` as arrays of
 * their `count` elements, left to slots.
 */
function* objectPieces(value: Record<string, unknown>, lists: Partial<Record<string, ListDigest>>): Generator<string | ListSlot> {
  const keys = Object.keys(value).filter((key) => !isOmitted(value[key]));
  if (keys.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (const [index, key] of keys.entries()) {
    const item = value[key];
    const label = `  ${JSON.stringify(key)}: `;
    const list = lists[key];
    if (list && list.count > 0) {
      yield `${label}[\n`;
      yield { list: key as ReportListName };
      yield '\n  ]';
    } else if (list) {
      yield `${label}[]`;
    } else if (Array.isArray(item) && item.length > 0) {
      yield `${label}[\n`;
      for (let i = 0; i < item.length; i++) yield element(item[i] as unknown, i, item.length);
      yield '  ]';
    } else {
      yield `${label}${nested(item, 1)}`;
    }
    yield index < keys.length - 1 ? ',\n' : '\n';
  }
  yield '}\n';
}

/**
 * report.json of a digest: what `JSON.stringify(report, null, 2)` writes for the whole report, a line break after —
 * the top-level object a key at a time, its arrays an element at a time — with a slot where each of its two lists'
 * elements go (jsonItem).
 *
 * @example renderLayout(jsonLayout(digestOf(report)), jsonItem, report) === `${JSON.stringify(report, null, 2)}\n`
 */
export function jsonLayout(digest: ReportDigest): FileLayout {
  const { scanId } = digest;
  if (!isPlainRecord(digest)) {
    throw new Error(`report ${scanId}: a field of the report has a toJSON method or the report is not a plain object; report fields must be plain data`);
  }
  return objectPieces(digest, Object.fromEntries(REPORT_LISTS.map((list) => [list, digest[list]])));
}
