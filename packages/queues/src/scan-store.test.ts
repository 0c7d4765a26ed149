// ScanStore on a real Redis: findings saved once per check group, joined with their tracking; the scan's API usage.
import type { Recommendation } from '@finops/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '../../../test/support/redis.js';
import { recommendation } from '../../reports/src/test-fixtures.js';
import { ScanStore } from './scan-store.js';

const A = '111111111111';
const R = 'eu-west-1';

/** The recommendation of partition A/R under a short id: the same one each time it is asked for. */
const made = new Map<string, Recommendation>();
const rec = (id: string, overrides: Partial<Recommendation> = {}): Recommendation => {
  if (!made.has(id)) made.set(id, recommendation({ id, accountId: A, region: R }));
  return structuredClone({ ...made.get(id)!, ...overrides });
};

describe('ScanStore: a partition\'s recommendations and the scan\'s API usage', () => {
  let redis: Redis;
  let store: ScanStore;
  const prefix = uniquePrefix('scan-store');

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
    store = new ScanStore(redis, { prefix, ttlSeconds: 600 });
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('joins the check groups\' findings, in group order, with their tracking, then the resolved ones', async () => {
    const seen = { firstSeenAt: '2026-11-20T06:00:00.000Z', lastSeenAt: '2026-11-27T06:00:00.000Z', seenCount: 2 };
    await store.saveChecked('s1', A, R, ['ec2-instance', 'ebs-volume'], { recommendations: [rec('a'), rec('b')], observations: [] });
    await store.saveChecked('s1', A, R, ['lambda-function'], { recommendations: [rec('c')], observations: [] });
    expect(await store.isTracked('s1', A, R)).toBe(false);
    const gone = rec('z', { status: 'resolved', tracking: { ...seen, resolvedAt: '2026-11-27T06:00:00.000Z' } });
    await store.saveTracking('s1', A, R, {
      groups: [['lambda-function'], ['ec2-instance', 'ebs-volume']],
      tracking: { a: seen, c: { ...seen, seenCount: 1 } },
      resolved: [gone],
    });
    expect(await store.isTracked('s1', A, R)).toBe(true);
    expect(await store.loadRecommendations('s1', A, R)).toEqual([{ ...rec('c'), tracking: { ...seen, seenCount: 1 } }, { ...rec('a'), tracking: seen }, rec('b'), gone]);
  });

  it('says which group is gone when tracking outlives a group\'s findings', async () => {
    await store.saveTracking('s2', A, R, { groups: [['nat-gateway']], tracking: {}, resolved: [] });
    await expect(store.loadRecommendations('s2', A, R)).rejects.toThrow(/check group nat-gateway in 111111111111\/eu-west-1 are gone/);
  });

  it('reads a list an earlier version saved whole, tracked (marked) or not, and nothing where nothing was saved', async () => {
    expect(await store.loadRecommendations('s3', A, R)).toEqual([]);
    expect(await store.isTracked('s3', A, R)).toBe(false);
    await store.saveRecommendations('s3', A, R, [rec('x')]);
    expect(await store.loadRecommendations('s3', A, R)).toEqual([rec('x')]);
    expect(await store.isTracked('s3', A, R)).toBe(false);
    // The mark an optimize job of the previous version set after saving its tracked list.
    await redis.set(`${prefix}:scan:s3:tracked:${A}:${R}`, '1', 'EX', 600);
    expect(await store.isTracked('s3', A, R)).toBe(true);
  });

  it('adds up every job\'s usage and lists the operations in name order, whatever order the jobs are read in', async () => {
    const usage = (calls: Record<string, number>) => ({ calls, throttled: 1, metricsRequested: 10, costExplorerRequests: 0 });
    // Many jobs, so the hash's own order is not the order they were recorded in.
    for (let i = 0; i < 40; i++) await store.recordUsage('u1', `job-${i}`, 0, usage(i % 2 ? { 'lambda.ListTags': 2, 'ec2.DescribeVolumes': 1 } : { 'cloudwatch.GetMetricData': 3 }));
    const total = await store.usage('u1');
    expect(Object.keys(total.calls)).toEqual(['cloudwatch.GetMetricData', 'ec2.DescribeVolumes', 'lambda.ListTags']);
    expect(total).toEqual({ calls: { 'cloudwatch.GetMetricData': 60, 'ec2.DescribeVolumes': 20, 'lambda.ListTags': 40 }, throttled: 40, metricsRequested: 400, costExplorerRequests: 0 });
  });
});
