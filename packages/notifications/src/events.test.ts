// Event builders: ISO weeks, a high-savings key that names the set of recommendations, nothing below the threshold.
import { describe, expect, it } from 'vitest';
import { buildReport } from '@finops/reports';
import { recommendation, reportInput } from '../../reports/src/test-fixtures.js';
import { highSavingsNotification, isoWeek, scanFailureNotification } from './events.js';

describe('isoWeek', () => {
  it('numbers weeks from Monday, week 1 holding the first Thursday', () => {
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2026-11-23T08:00:00Z'))).toBe('2026-W48');
    expect(isoWeek(new Date('2026-11-29T23:59:59Z'))).toBe('2026-W48');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
  });
});

describe('highSavingsNotification', () => {
  const a = recommendation({ monthlySavingsUsd: 150 });
  const b = recommendation({ monthlySavingsUsd: 99.99 });
  const c = recommendation({ monthlySavingsUsd: 100 });
  const report = buildReport(reportInput({ recommendations: [a, b, c] }));

  it('lists the recommendations at or above the threshold under a key of their ids, whatever their order', () => {
    const one = highSavingsNotification({ report, candidates: [a, b, c], thresholdUsd: 100 })!;
    const two = highSavingsNotification({ report, candidates: [c, b, a], thresholdUsd: 100 })!;
    expect(one.dedupKey).toBe(two.dedupKey);
    expect(one.dedupKey).toMatch(/^high-savings:[0-9a-f]{24}$/);
    expect(one.title).toBe('2 new recommendation(s) could save $250.00/month');
    expect(one.fields).toHaveLength(2);
    expect(highSavingsNotification({ report, candidates: [a], thresholdUsd: 100 })!.dedupKey).not.toBe(one.dedupKey);
  });

  it('says nothing when no candidate reaches the threshold', () => {
    expect(highSavingsNotification({ report, candidates: [b], thresholdUsd: 100 })).toBeUndefined();
  });
});

describe('scanFailureNotification', () => {
  it('keys by scan, so a second failed partition of the same scan pages once', () => {
    const input = { scanId: 'scan-1', jobId: 'scan-1.optimize.1.r', jobName: 'optimize', queue: 'optimizer', reason: 'boom', attemptsMade: 3, failedAt: new Date('2026-11-26T12:00:00Z') };
    expect(scanFailureNotification(input).dedupKey).toBe(scanFailureNotification({ ...input, jobId: 'other' }).dedupKey);
  });
});
