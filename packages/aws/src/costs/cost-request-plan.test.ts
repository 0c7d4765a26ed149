// The request plan: how many GetCostAndUsage request sets a dataset takes, and how each is grouped and filtered.
import { describe, expect, it } from 'vitest';
import { needsRegionLookup, planCostRequests } from './cost-request-plan.js';

const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));
const ALL = ['SERVICE', 'REGION', 'LINKED_ACCOUNT'] as const;

describe('planCostRequests', () => {
  it('takes one set per account for the three dimensions when that is fewest', () => {
    const sets = planCostRequests({ groupings: ALL, accounts: accounts(2) });
    expect(sets).toHaveLength(2);
    expect(sets.every((s) => s.groupBy.map((g) => g.key).join() === 'SERVICE,REGION' && s.fixed?.dimension === 'LINKED_ACCOUNT')).toBe(true);
    expect(needsRegionLookup(ALL, accounts(2))).toBe(false);
  });

  it('takes one set per region with cost when 1 + regions < accounts, else stays per account', () => {
    expect(needsRegionLookup(ALL, accounts(10))).toBe(true);
    const byRegion = planCostRequests({ groupings: ALL, accounts: accounts(10), regionsWithCost: ['eu-west-1', 'global', 'us-east-1'] });
    expect(byRegion.map((s) => s.fixed?.value)).toEqual(['eu-west-1', 'global', 'us-east-1']);
    expect(byRegion[0]?.groupBy.map((g) => g.key)).toEqual(['SERVICE', 'LINKED_ACCOUNT']);
    const byAccount = planCostRequests({ groupings: ALL, accounts: accounts(4), regionsWithCost: ['a', 'b', 'c'] });
    expect(byAccount).toHaveLength(4);
  });

  it('groups two dimensions or fewer in one set, and adds one set per tag key', () => {
    const sets = planCostRequests({ groupings: ['SERVICE', 'LINKED_ACCOUNT', 'TAG:team', 'TAG:env', 'TAG:team'], accounts: accounts(30) });
    expect(sets.map((s) => [s.purpose, s.groupBy.map((g) => `${g.type}:${g.key}`).join('+'), s.fixed])).toEqual([
      ['dimensions', 'DIMENSION:SERVICE+DIMENSION:LINKED_ACCOUNT', undefined],
      ['tag', 'TAG:team', undefined],
      ['tag', 'TAG:env', undefined],
    ]);
    expect(planCostRequests({ groupings: [], accounts: accounts(1) })).toEqual([{ groupBy: [], accounts: accounts(1), purpose: 'dimensions' }]);
  });
});
