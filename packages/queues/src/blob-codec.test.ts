// The scan's blobs read back exactly as a JSON round trip gives them, whichever form they were stored in.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBlob, encodeBlob, jsonExact } from './blob-codec.js';

const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Findings and metric summaries as the checks and the analysis write them: thousands of same-shaped objects. */
function findings(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `rec_${i.toString(16).padStart(16, '0')}`,
    checkId: i % 2 ? 'ec2-idle-instance' : 'ebs-unattached-volume',
    resourceId: `i-${i}`,
    tags: { Name: `web-${i}`, 'cost-center': 'cc-data', 'naïve key ✓': 'värde' },
    monthlySavingsUsd: Math.round(i * 13.37) / 100,
    confidence: i % 3 === 0 ? 1 : 0.75,
    evidence: { cpuP99Percent: 1.7967796448618174 + i, maxDailyNetworkBytes: 473109 * i, production: i % 5 === 0, note: null },
    daily: Array.from({ length: 15 }, (__, d) => ({ date: `2026-11-${String(d + 10).padStart(2, '0')}`, value: 27160914462 + d * 0.1 })),
    ...(i % 4 === 0 ? { foldedInto: 'rec_0000000000000000' } : {}),
  }));
}

describe('scan blobs', () => {
  it('stores the platform\'s own lists as MessagePack, and reads them back as JSON would', () => {
    const value = { groups: [['ec2-instance', 'ebs-volume']], tracking: { rec_1: { firstSeenAt: '2026-11-01T00:00:00.000Z', seenCount: 3 } }, resolved: findings(2000) };
    const blob = encodeBlob(value, { packed: true });
    expect(blob[0]).toBe(0x01);
    const back = decodeBlob(blob);
    expect(back).toStrictEqual(viaJson(value));
    expect(JSON.stringify(back)).toBe(JSON.stringify(value));
  });

  it('stores as JSON what MessagePack would carry differently, so it reads back as JSON gives it', () => {
    class Money {
      constructor(readonly usd: number) {}
    }
    const sparse = [1, 2, 3];
    delete sparse[1];
    const cases: [string, unknown][] = [
      ['a key holding undefined', { a: 1, b: undefined }],
      ['undefined in a list', [1, undefined, 2]],
      ['a hole in a list', sparse],
      ['NaN', { ratio: Number.NaN }],
      ['Infinity', [Number.POSITIVE_INFINITY]],
      ['-0', { delta: -0 }],
      ['a Date', { launchedAt: new Date('2026-11-01T00:00:00.000Z') }],
      ['toJSON', { at: { toJSON: () => 'then' } }],
      ['a class instance', { price: new Money(3) }],
      ['a __proto__ key', JSON.parse('{"tags":{"__proto__":{"polluted":true}}}') as unknown],
      ['a bigint-free number beyond 2^53', { big: 2 ** 60 }],
    ];
    for (const [name, value] of cases) {
      const blob = encodeBlob([value, ...findings(3)], { packed: true });
      const exact = jsonExact([value]);
      expect(blob[0], name).toBe(exact ? 0x01 : 0x1f);
      expect(decodeBlob(blob), name).toStrictEqual(viaJson([value, ...findings(3)]));
    }
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('stores JSON unless asked to pack, and reads an earlier version\'s blobs (gzip\'d JSON)', () => {
    const value = findings(10);
    expect(encodeBlob(value)[0]).toBe(0x1f);
    expect(decodeBlob(encodeBlob(value))).toStrictEqual(viaJson(value));
    expect(decodeBlob(gzipSync(JSON.stringify(value)))).toStrictEqual(viaJson(value));
  });

  it('walks only plain data: nesting deeper than any stored value is left to JSON', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = { next: deep };
    expect(jsonExact(deep)).toBe(false);
    expect(decodeBlob(encodeBlob(deep, { packed: true }))).toStrictEqual(viaJson(deep));
    expect(jsonExact({ a: [1, 'x', true, null, { b: 2.5 }] })).toBe(true);
  });
});
