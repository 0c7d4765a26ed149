// EC2-style filters: `Filters: [{ Name, Values }]` with `*`/`?` wildcards, tag:<key> and tag-key, unknown names refused.
import type { Tags } from '@finops/core';
import type { InputReader } from './input-reader.js';

/**
 * The values a resource has for each filter name it supports. A filter name missing from the map is unknown to
 * this resource type: the request is refused, as AWS does, so a filter the simulator lacks is noticed at once.
 */
export type FilterFields<T> = Record<string, (item: T) => readonly (string | undefined)[]>;

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * Keeps the items matching every filter (filters AND, the values of one filter OR). `filterField` is the input
 * field holding them: `Filters`, except for the few operations that call it `Filter` (DescribeNatGateways).
 */
export function applyFilters<T>(reader: InputReader, items: readonly T[], fields: FilterFields<T>, tagsOf: (item: T) => Tags, filterField = 'Filters'): T[] {
  const filters = reader.filters(filterField);
  if (filters.length === 0) return [...items];
  const tests = filters.map(({ name, values }) => {
    const patterns = values.map(wildcard);
    const matches = (candidates: readonly (string | undefined)[]) =>
      candidates.some((candidate) => candidate !== undefined && patterns.some((p) => p.test(candidate)));
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      return (item: T) => matches([tagsOf(item)[key]]);
    }
    if (name === 'tag-key') return (item: T) => matches(Object.keys(tagsOf(item)));
    if (name === 'tag-value') return (item: T) => matches(Object.values(tagsOf(item)));
    const field = fields[name];
    if (!field) reader.fail(`The filter '${name}' is invalid`);
    return (item: T) => matches(field(item));
  });
  return items.filter((item) => tests.every((test) => test(item)));
}

/** `{ env: 'prod' }` → `[{ Key: 'env', Value: 'prod' }]` */
export function tagList(tags: Tags): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
