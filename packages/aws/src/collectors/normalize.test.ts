// The collectors' normalizers, StateTransitionReason parsing first.
import { describe, expect, it } from 'vitest';
import { isoTime, oneOf, parseStateTransitionTime, tagsFromList } from './normalize.js';

describe('parseStateTransitionTime', () => {
  it.each([
    ['User initiated (2024-01-02 03:04:05 GMT)', '2024-01-02T03:04:05.000Z'],
    ['Server.ScheduledStop (2023-12-31 23:59:59 GMT)', '2023-12-31T23:59:59.000Z'],
    ['User initiated', undefined],
    ['', undefined],
    [undefined, undefined],
    ['User initiated (2024-13-45 99:00:00 GMT)', undefined],
  ])('%j → %j', (reason, expected) => {
    expect(parseStateTransitionTime(reason)).toBe(expected);
  });
});

describe('normalizers', () => {
  it('reads tags, times and closed sets with fallbacks', () => {
    expect(tagsFromList([{ Key: 'a', Value: '1' }, { Key: 'b' }, { Value: 'orphan' }])).toEqual({ a: '1', b: '' });
    expect(tagsFromList(undefined)).toEqual({});
    expect(isoTime(new Date('2024-01-01T00:00:00Z'), 'x')).toBe('2024-01-01T00:00:00.000Z');
    expect(isoTime('2024-02-03T04:05:06.000+0000', 'x')).toBe('2024-02-03T04:05:06.000Z');
    expect(isoTime('garbage', 'fallback')).toBe('fallback');
    expect(oneOf('arm64', ['x86_64', 'arm64'] as const, 'x86_64')).toBe('arm64');
    expect(oneOf('riscv', ['x86_64', 'arm64'] as const, 'x86_64')).toBe('x86_64');
  });
});
