// The cache contract Cost Explorer results go through, and the key that makes one result reusable by every scan and replica.
import { createHash } from 'node:crypto';

/**
 * Shared storage for Cost Explorer results. `getOrFetch` returns the stored value for `key`, or runs `fetch` —
 * once across every caller and replica: the others wait for its result — and stores it. The pipeline's
 * implementation lives in Redis with a TTL matched to how often Cost Explorer refreshes.
 */
export interface CostCache {
  getOrFetch<T>(key: string, fetch: () => Promise<T>): Promise<{ value: T; cached: boolean }>;
}

/** Bump when the shape or meaning of a cached result changes: old entries are then never read. */
export const COST_CACHE_VERSION = 1;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * `ce.v<version>.<payer account>.<operation>.<hash of the parameters>`: the same question asked by the same payer
 * account (the bill it sees) gets the same key, whatever the order of its lists or keys.
 *
 * @example costCacheKey('111111111111', 'costs', { start: '2026-08-28', end: '2026-11-26', accounts: ['111111111111'] })
 */
export function costCacheKey(payerAccountId: string, operation: string, parameters: Record<string, unknown>): string {
  const digest = createHash('sha256').update(JSON.stringify(canonical(parameters))).digest('hex').slice(0, 32);
  return `ce.v${COST_CACHE_VERSION}.${payerAccountId}.${operation}.${digest}`;
}
