// The order of a report's recommendation lists: largest saving first, ties in id order.
import type { Recommendation } from '@finops/core';

/**
 * Negative when `a` comes before `b` in a report's lists: the larger saving first, then the smaller id, so the same
 * scan always renders the same way.
 */
export function compareReportOrder(a: Recommendation, b: Recommendation): number {
  return compareSavingsAndId(a.monthlySavingsUsd, a.id, b.monthlySavingsUsd, b.id);
}

/** The report's order on its two keys, for holders of the keys without the recommendation (sorts, run records). */
export function compareSavingsAndId(savingsA: number, idA: string, savingsB: number, idB: string): number {
  return savingsB - savingsA || (idA < idB ? -1 : idA > idB ? 1 : 0);
}

/**
 * A new array in report order. The keys are read once into uniform records: the comparator then reads two fields of
 * one shape instead of recommendations of many.
 */
export function sortedBySavings(recommendations: readonly Recommendation[]): Recommendation[] {
  return recommendations
    .map((r) => ({ savings: r.monthlySavingsUsd, id: r.id, r }))
    .sort((a, b) => compareSavingsAndId(a.savings, a.id, b.savings, b.id))
    .map(({ r }) => r);
}
