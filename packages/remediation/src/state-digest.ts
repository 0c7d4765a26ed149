// What an approval is for, and what "changed since the scan" means: the action, the resource's facts and its tags.
import type { Facts } from '@finops/aws';
import type { RecommendedAction, Tags } from '@finops/core';
import { digestOf } from './ids.js';

/** Tags AWS sets itself (`aws:…`) change without anyone touching the resource: they are not compared. */
export function comparableTags(tags: Tags): Tags {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('aws:')).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The digest an approval records and an apply recomputes from the live resource. */
export function stateDigest(recommendationId: string, action: RecommendedAction, facts: Facts, tags: Tags): string {
  return digestOf({ recommendationId, type: action.type, params: action.params, facts, tags: comparableTags(tags) });
}

/**
 * The differences between two states in words (`instanceType m5.large → m5.xlarge`, `tag team added`), empty when
 * they match.
 */
export function describeChanges(before: { facts: Facts; tags: Tags }, after: { facts: Facts; tags: Tags }): string[] {
  const changes: string[] = [];
  for (const key of new Set([...Object.keys(before.facts), ...Object.keys(after.facts)])) {
    const a = before.facts[key] ?? null;
    const b = after.facts[key] ?? null;
    if (a !== b) changes.push(`${key} ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
  }
  const tagsBefore = comparableTags(before.tags);
  const tagsAfter = comparableTags(after.tags);
  for (const key of new Set([...Object.keys(tagsBefore), ...Object.keys(tagsAfter)])) {
    if (!(key in tagsBefore)) changes.push(`tag ${key} added`);
    else if (!(key in tagsAfter)) changes.push(`tag ${key} removed`);
    else if (tagsBefore[key] !== tagsAfter[key]) changes.push(`tag ${key} ${JSON.stringify(tagsBefore[key])} → ${JSON.stringify(tagsAfter[key])}`);
  }
  return changes;
}
