// foldRecommendations: the best exclusive set per group of recommendations that share a resource.
import type { Recommendation } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { foldRecommendations } from './fold-recommendations.js';

let next = 0;
function rec(resourceId: string, monthlySavingsUsd: number, relatedResourceIds?: string[], overrides: Partial<Recommendation> = {}): Recommendation {
  next += 1;
  return {
    id: `rec_${String(next).padStart(16, '0')}`,
    checkId: 'x-check',
    resourceId,
    resourceKind: 'ec2-instance',
    tags: {},
    accountId: '111111111111',
    region: 'us-east-1',
    monthlySavingsUsd,
    risk: 'low',
    confidence: 1,
    action: { type: 'x', description: 'x', params: {} },
    status: 'open',
    reason: 'x',
    evidence: {},
    priceConfidence: 'exact',
    ...(relatedResourceIds ? { relatedResourceIds } : {}),
    ...overrides,
  };
}

describe('foldRecommendations', () => {
  it('keeps the larger of two recommendations on the same resource', () => {
    const idle = rec('i-1', 70);
    const rightsize = rec('i-1', 35);
    const graviton = rec('i-1', 10);
    expect(foldRecommendations([rightsize, idle, graviton])).toEqual(new Map([[rightsize.id, idle.id], [graviton.id, idle.id]]));
  });

  it('leaves recommendations on different resources alone', () => {
    expect(foldRecommendations([rec('i-1', 70), rec('vol-1', 5), rec('i-2', 1)]).size).toBe(0);
  });

  it('folds through related resources and picks the best exclusive set, not the single largest', () => {
    // Terminating the instance (12) covers both its volumes; converting each volume to gp3 (8 + 7) is worth more.
    const terminate = rec('i-1', 12, ['vol-a', 'vol-b']);
    const gp3a = rec('vol-a', 8);
    const gp3b = rec('vol-b', 7);
    expect(foldRecommendations([terminate, gp3a, gp3b])).toEqual(new Map([[terminate.id, gp3a.id]]));
    const bigger = rec('i-2', 20, ['vol-c', 'vol-d']);
    const c = rec('vol-c', 8);
    const d = rec('vol-d', 7);
    expect(foldRecommendations([c, bigger, d])).toEqual(new Map([[c.id, bigger.id], [d.id, bigger.id]]));
  });

  it('does not connect the same resource id in different accounts or regions', () => {
    expect(foldRecommendations([rec('i-1', 5), rec('i-1', 3, undefined, { region: 'eu-west-1' }), rec('i-1', 2, undefined, { accountId: '222222222222' })]).size).toBe(0);
  });

  it('folds a $0 recommendation into a priced one, and keeps one of two $0 ones', () => {
    const free = rec('fn-1', 0);
    const priced = rec('fn-1', 4);
    expect(foldRecommendations([free, priced])).toEqual(new Map([[free.id, priced.id]]));
    const a = rec('fn-2', 0);
    const b = rec('fn-2', 0);
    expect(foldRecommendations([a, b])).toEqual(new Map([[b.id, a.id]]));
  });

  it('chains: every folded recommendation points at a counted one it conflicts with', () => {
    const all = [rec('i-9', 10, ['vol-1']), rec('vol-1', 9, ['vol-2']), rec('vol-2', 8)];
    const folded = foldRecommendations(all);
    expect(folded).toEqual(new Map([[all[1]?.id, all[0]?.id]]));
  });

  it('stays fast and consistent on a large group, greedily', () => {
    const many = Array.from({ length: 60 }, (_, i) => rec('i-big', i + 1));
    const folded = foldRecommendations(many);
    expect(folded.size).toBe(59);
    expect(new Set(folded.values())).toEqual(new Set([many[59]?.id]));
  });
});
