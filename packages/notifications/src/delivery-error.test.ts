// What an HTTP answer means for a delivery, and Retry-After in both of its forms.
import { describe, expect, it } from 'vitest';
import { classifyHttpStatus, parseRetryAfter } from './delivery-error.js';

describe('classifyHttpStatus', () => {
  it('retries 408, 429 and 5xx; treats other 4xx and 3xx as permanent', () => {
    expect([200, 201, 204].map(classifyHttpStatus)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([408, 429, 500, 502, 503, 504].map(classifyHttpStatus)).toEqual(Array(6).fill('retryable'));
    expect([301, 400, 401, 403, 404, 410, 413, 422].map(classifyHttpStatus)).toEqual(Array(8).fill('permanent'));
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('30')).toBe(30_000);
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
