// What the newer resource kinds need from the rest of a partition while they are generated.
import type { Tags } from '@finops/core';
import { DAY_MS } from './clock.js';
import { TEAMS } from './estate-names.js';
import { hashString, Rng } from './prng.js';

/**
 * The VPC layout of a partition and a seeded stream of its own per kind, so adding a kind never changes the
 * resources generated before it.
 */
export interface KindGenerationContext {
  rng: Rng;
  seed: number;
  accountId: string;
  region: string;
  epochMs: number;
  vpcId: string;
  zones: string[];
  /** One subnet per zone, in zone order. */
  subnets: string[];
}

export function kindContext(base: Omit<KindGenerationContext, 'rng'>, kind: string): KindGenerationContext {
  return { ...base, rng: new Rng(`${base.seed}|estate|${kind}|${base.accountId}|${base.region}`) };
}

/** A moment `minDays`..`maxDays` before the epoch, at a random time of day. */
export function daysBefore(context: KindGenerationContext, minDays: number, maxDays: number): number {
  return Math.round(context.epochMs - context.rng.between(minDays, maxDays) * DAY_MS);
}

export function metricKeyOf(context: KindGenerationContext, id: string): number {
  return hashString(`${context.seed}|metrics|${id}`);
}

export function teamTags(context: KindGenerationContext, name: string, team = context.rng.pick(TEAMS)): Tags {
  return {
    Name: name,
    env: context.rng.weighted({ prod: 45, staging: 25, dev: 30 }),
    team,
    'cost-center': `cc-${team}`,
  };
}

/**
 * `n` categories by quota, then shuffled: each quota is taken in order while room is left, the rest is `fill`.
 * Quotas guarantee that even a small partition holds each planted case.
 */
export function byQuota<C extends string>(rng: Rng, n: number, quotas: readonly [C, number][], fill: C): C[] {
  const out: C[] = [];
  for (const [category, count] of quotas) for (let i = 0; i < count && out.length < n; i++) out.push(category);
  while (out.length < n) out.push(fill);
  return rng.shuffle(out);
}
