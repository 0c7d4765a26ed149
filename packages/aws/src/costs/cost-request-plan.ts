// Plans the fewest GetCostAndUsage requests that give daily cost by service, region and account (at most 2 GroupBy keys per request).

export type CostDimension = 'SERVICE' | 'REGION' | 'LINKED_ACCOUNT';
/** A dimension, or a cost-allocation tag as `TAG:<key>`. */
export type CostGrouping = CostDimension | `TAG:${string}`;

export const COST_DIMENSIONS: readonly CostDimension[] = ['SERVICE', 'REGION', 'LINKED_ACCOUNT'];
export const DEFAULT_COST_GROUPINGS: readonly CostGrouping[] = COST_DIMENSIONS;

/** Cost Explorer accepts at most this many GroupBy keys in one request. */
export const MAX_GROUP_BY = 2;

export type CostGroupKey = { type: 'DIMENSION'; key: CostDimension } | { type: 'TAG'; key: string };

/** One GetCostAndUsage request (followed through all its pages). */
export interface CostRequestSet {
  groupBy: CostGroupKey[];
  /** Every request is filtered to the scanned accounts. */
  accounts: string[];
  /** The third dimension, fixed by a filter, when the three dimensions are split over several requests. */
  fixed?: { dimension: CostDimension; value: string };
  /** `dimensions` sets feed the total, the service/region/account series and the breakdown; `tag` sets their tag series. */
  purpose: 'dimensions' | 'tag';
}

export interface CostRequestPlanInput {
  groupings: readonly CostGrouping[];
  accounts: readonly string[];
  /** Regions that have cost in the window (GetDimensionValues), when they were looked up; see {@link needsRegionLookup}. */
  regionsWithCost?: readonly string[];
}

/** The requested dimensions in canonical order, and the requested tag keys. */
export function splitGroupings(groupings: readonly CostGrouping[]): { dimensions: CostDimension[]; tagKeys: string[] } {
  const dimensions = COST_DIMENSIONS.filter((d) => groupings.includes(d));
  const tagKeys = [...new Set(groupings.filter((g): g is `TAG:${string}` => g.startsWith('TAG:')).map((g) => g.slice(4)))];
  for (const key of tagKeys) if (!key) throw new Error('a TAG: grouping needs a tag key, e.g. TAG:team');
  return { dimensions, tagKeys };
}

/**
 * Whether listing the regions with cost first (one GetDimensionValues request, $0.01) can save requests: only when
 * all three dimensions are wanted and there are at least 3 accounts (with 1 or 2 accounts, one request per account
 * is never beaten by 1 + one per region).
 */
export function needsRegionLookup(groupings: readonly CostGrouping[], accounts: readonly string[]): boolean {
  return splitGroupings(groupings).dimensions.length === COST_DIMENSIONS.length && accounts.length >= 3;
}

/**
 * The request sets for daily cost. Cost Explorer groups by at most 2 keys, so the (service, region, account)
 * breakdown needs the third dimension fixed by a filter, one request set per value:
 *
 * - all three dimensions, A accounts, R regions with cost: `min(A, 1 + R)` sets — one per account
 *   (GroupBy SERVICE, REGION; Filter LINKED_ACCOUNT = a) or, when fewer, one GetDimensionValues plus one per region
 *   (GroupBy SERVICE, LINKED_ACCOUNT; Filter REGION = r);
 * - two dimensions or fewer: 1 set grouped by them (no breakdown);
 * - plus 1 set per cost-allocation tag key (GroupBy TAG).
 *
 * Each set costs as many requests as it has pages (NextPageToken; every page is a billed $0.01 request), so a scan
 * makes Σ pages(set) requests, plus 1 GetDimensionValues when regions are looked up, plus 1 GetCostForecast. Every
 * series (total, service:*, region:*, account:*) is summed from the same answers: no request is spent on them.
 */
export function planCostRequests({ groupings, accounts, regionsWithCost }: CostRequestPlanInput): CostRequestSet[] {
  const { dimensions, tagKeys } = splitGroupings(groupings);
  const scoped = [...accounts];
  const sets: CostRequestSet[] = [];
  const dimension = (key: CostDimension): CostGroupKey => ({ type: 'DIMENSION', key });
  if (dimensions.length <= MAX_GROUP_BY) {
    sets.push({ groupBy: dimensions.map(dimension), accounts: scoped, purpose: 'dimensions' });
  } else if (regionsWithCost && 1 + regionsWithCost.length < accounts.length) {
    for (const region of regionsWithCost) {
      sets.push({
        groupBy: [dimension('SERVICE'), dimension('LINKED_ACCOUNT')],
        accounts: scoped,
        fixed: { dimension: 'REGION', value: region },
        purpose: 'dimensions',
      });
    }
  } else {
    for (const accountId of accounts) {
      sets.push({
        groupBy: [dimension('SERVICE'), dimension('REGION')],
        accounts: scoped,
        fixed: { dimension: 'LINKED_ACCOUNT', value: accountId },
        purpose: 'dimensions',
      });
    }
  }
  for (const key of tagKeys) sets.push({ groupBy: [{ type: 'TAG', key }], accounts: scoped, purpose: 'tag' });
  return sets;
}
