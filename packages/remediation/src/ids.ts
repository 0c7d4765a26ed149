// Run ids and action ids: a run id is new each time; an action id is the action's idempotency key.
import { createHash } from 'node:crypto';
import type { RecommendedAction } from '@finops/core';
import type { RunMode } from './remediation-types.js';

/** `run-20261126T193000Z-k3f9`: sortable by time, safe in job ids and keys. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const random = Math.random().toString(36).slice(2, 6).padEnd(4, '0');
  return `run-${stamp}-${random}`;
}

/** JSON with object keys sorted: the same params always digest the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function digest(text: string, hexDigits: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, hexDigits);
}

/**
 * The idempotency key of an action. A live action is keyed by what it does to what, as recommended by one scan:
 * retrying its job, re-running `finops apply` on the same scan, or a stalled job run twice all land on the same key,
 * so it is applied at most once. A dry run is keyed by its run too: each dry run records afresh.
 */
export function actionIdFor(parts: { mode: RunMode; scanId: string; runId: string; recommendationId: string; action: RecommendedAction }): string {
  const { mode, scanId, runId, recommendationId, action } = parts;
  const key = canonicalJson({ mode, scanId, recommendationId, type: action.type, params: action.params, ...(mode === 'dry-run' ? { runId } : {}) });
  return `act_${digest(key, 24)}`;
}

/** A digest of any JSON value. */
export function digestOf(value: unknown): string {
  return digest(canonicalJson(value), 32);
}
