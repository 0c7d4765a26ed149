// Totals without double counting: among recommendations that touch the same resource, count the best exclusive set.
import type { Recommendation } from '@finops/core';

/** Components larger than this are folded greedily (largest saving first) instead of exactly. */
const EXACT_LIMIT = 24;

function resourcesOf(r: Recommendation): string[] {
  const scope = `${r.accountId}|${r.region}|`;
  return [r.resourceId, ...(r.relatedResourceIds ?? [])].map((id) => scope + id);
}

/**
 * Which recommendations are folded into another: two conflict when they touch a common resource (their own or a
 * related one, e.g. a terminated instance's volumes), since doing one changes what the other saves. Per group of
 * conflicting recommendations, the set with the largest total saving and no conflict inside is counted; each other
 * recommendation maps to the counted one it conflicts with that saves most.
 *
 * @example foldRecommendations([idleStop, rightsize]) // Map { rightsize.id => idleStop.id }
 */
export function foldRecommendations(recommendations: readonly Recommendation[]): Map<string, string> {
  const byResource = new Map<string, number[]>();
  recommendations.forEach((r, index) => {
    for (const key of resourcesOf(r)) {
      const list = byResource.get(key) ?? [];
      list.push(index);
      byResource.set(key, list);
    }
  });
  // Only recommendations that share a resource get a neighbour set: most share none, and a set each is 100k sets.
  const neighbours = new Map<number, Set<number>>();
  for (const list of byResource.values()) {
    if (list.length < 2) continue;
    for (const a of list) {
      const set = neighbours.get(a) ?? new Set<number>();
      neighbours.set(a, set);
      for (const b of list) if (a !== b) set.add(b);
    }
  }

  const folded = new Map<string, string>();
  const seen = new Set<number>();
  for (let start = 0; start < recommendations.length; start++) {
    if (seen.has(start) || !neighbours.get(start)?.size) continue;
    const component: number[] = [];
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const node = queue.pop() as number;
      component.push(node);
      for (const next of neighbours.get(node) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    const weight = (i: number) => recommendations[i]?.monthlySavingsUsd ?? 0;
    // Largest saving first, ties by id: the same input always folds the same way.
    component.sort((a, b) => weight(b) - weight(a) || compareIds(recommendations[a]?.id, recommendations[b]?.id));
    const kept = component.length <= EXACT_LIMIT ? bestExclusiveSet(component, neighbours, weight) : greedySet(component, neighbours);
    for (const node of component) {
      if (kept.has(node)) continue;
      const into = component.find((other) => kept.has(other) && neighbours.get(node)?.has(other));
      const target = recommendations[into ?? -1];
      const source = recommendations[node];
      if (source && target) folded.set(source.id, target.id);
    }
  }
  return folded;
}

function compareIds(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Neighbours = ReadonlyMap<number, ReadonlySet<number>>;

/** Whether `node` conflicts with any of `nodes`. */
function conflictsWithAny(node: number, nodes: Iterable<number>, neighbours: Neighbours): boolean {
  const near = neighbours.get(node);
  if (!near) return false;
  for (const other of nodes) if (near.has(other)) return true;
  return false;
}

function greedySet(order: number[], neighbours: Neighbours): Set<number> {
  const kept = new Set<number>();
  for (const node of order) if (!conflictsWithAny(node, kept, neighbours)) kept.add(node);
  return kept;
}

/**
 * Maximum-weight independent set by branch and bound over nodes in descending weight: exact for the small groups
 * one resource produces (an instance, its volumes and their alternatives). On equal totals the first found wins,
 * which prefers the larger single savings.
 */
function bestExclusiveSet(order: number[], neighbours: Neighbours, weight: (i: number) => number): Set<number> {
  const suffix = new Array<number>(order.length + 1).fill(0);
  for (let i = order.length - 1; i >= 0; i--) suffix[i] = (suffix[i + 1] ?? 0) + Math.max(0, weight(order[i] as number));
  let best: number[] = [];
  let bestTotal = -1;
  const chosen: number[] = [];
  const visit = (position: number, total: number) => {
    if (total > bestTotal + 1e-9) {
      bestTotal = total;
      best = [...chosen];
    }
    if (position >= order.length || total + (suffix[position] ?? 0) <= bestTotal + 1e-9) return;
    const node = order[position] as number;
    if (!conflictsWithAny(node, chosen, neighbours)) {
      chosen.push(node);
      visit(position + 1, total + weight(node));
      chosen.pop();
    }
    visit(position + 1, total);
  };
  visit(0, 0);
  // Make the set maximal: a $0 recommendation adds nothing to the total, yet one that conflicts with nothing kept
  // is counted rather than folded into nothing.
  const kept = new Set(best);
  for (const node of order) if (!kept.has(node) && !conflictsWithAny(node, kept, neighbours)) kept.add(node);
  return kept;
}
