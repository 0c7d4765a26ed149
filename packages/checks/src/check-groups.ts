// Which kinds a scan checks together: a check job per group, so each group's checks run as soon as its kinds are in.
import type { ResourceKind } from '@finops/core';
import type { AnyCheck } from './check.js';
import { CHECKS } from './registry.js';

/**
 * `kinds` split into the groups a scan's check jobs run: two kinds are in one group when a check of one reads the
 * other (`Check.reads`: a stopped instance's volumes and addresses, a volume's instance), so every check sees all it
 * reads. Every kind is in exactly one group, a kind no check reads alongside another on its own; groups and the
 * kinds in them keep the order of `kinds`.
 * @example checkGroups(['ec2-instance', 'ebs-volume', 'lambda-function']) // [['ec2-instance', 'ebs-volume'], ['lambda-function']]
 */
export function checkGroups(kinds: readonly ResourceKind[], checks: readonly AnyCheck[] = CHECKS): ResourceKind[][] {
  const unique = [...new Set(kinds)];
  const root = new Map<ResourceKind, ResourceKind>(unique.map((kind) => [kind, kind]));
  const find = (kind: ResourceKind): ResourceKind => {
    let at = kind;
    while (root.get(at) !== at) at = root.get(at) as ResourceKind;
    return at;
  };
  for (const check of checks) {
    if (!root.has(check.resourceKind)) continue;
    for (const other of check.reads ?? []) {
      if (!root.has(other)) continue;
      const [a, b] = [find(check.resourceKind), find(other)];
      if (a === b) continue;
      // The earlier kind's root stays the root, so groups come out in the order of `kinds`.
      const [keep, join] = unique.indexOf(a) < unique.indexOf(b) ? [a, b] : [b, a];
      root.set(join, keep);
    }
  }
  const groups = new Map<ResourceKind, ResourceKind[]>();
  for (const kind of unique) {
    const group = groups.get(find(kind)) ?? [];
    groups.set(find(kind), group);
    group.push(kind);
  }
  return [...groups.values()];
}

/** The checks a group's job runs: those whose recommendations are on one of its kinds. */
export function checksOf(kinds: readonly ResourceKind[], checks: readonly AnyCheck[] = CHECKS): AnyCheck[] {
  return checks.filter((check) => kinds.includes(check.resourceKind));
}
