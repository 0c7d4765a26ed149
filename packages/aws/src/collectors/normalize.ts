// Small normalizers shared by the collectors: tags, times and closed value sets, each with a safe fallback.
import type { Tags } from '@finops/core';

/** `[{ Key, Value }]` (EC2, RDS) → `{ key: value }`. Entries without a key are skipped; a missing value is ''. */
export function tagsFromList(list: readonly { Key?: string; Value?: string }[] | undefined): Tags {
  const tags: Tags = {};
  for (const tag of list ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
  return tags;
}

/**
 * An SDK time (Date or ISO-like string) as an ISO string. A missing or unreadable time falls back to `fallback`
 * (the discovery time): an unknown age then reads as "new", so no age-based check fires on it.
 */
export function isoTime(value: Date | string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? fallback : date.toISOString();
}

/** `value` if it is one of `allowed`, else `fallback`. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A finite number, or the fallback. */
export function numberOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

const TRANSITION_TIME = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)/;

/**
 * The time EC2 states in a StateTransitionReason, e.g. `User initiated (2024-01-02 03:04:05 GMT)` →
 * `2024-01-02T03:04:05.000Z`. Undefined when the reason carries no time (`Server.SpotInstanceTermination`, '').
 */
export function parseStateTransitionTime(reason: string | undefined): string | undefined {
  const match = reason ? TRANSITION_TIME.exec(reason) : null;
  if (!match) return undefined;
  const date = new Date(`${match[1]}T${match[2]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
