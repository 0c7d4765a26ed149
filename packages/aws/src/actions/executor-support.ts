// Small helpers every executor uses: wrapping what was described, waiting for a new state, polling without a waiter.
import type { Resource } from '@finops/core';
import type { ActionContext } from './action-context.js';
import type { Facts, Observed } from './action-executor.js';

/** An observed resource with optional extra details; undefined stays undefined (the resource is gone). */
export function observed<R extends Resource>(resource: R | undefined, details: Facts = {}): Observed<R['kind']> | undefined {
  return resource ? ({ resource, details } as unknown as Observed<R['kind']>) : undefined;
}

/** A resource that must still exist after the action (it was modified, not deleted). */
export function requireObserved<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) {
    throw Object.assign(new Error(`${what} ${id} disappeared while the action ran`), { name: 'ResourceDisappeared' });
  }
  return value;
}

/** Runs an SDK waiter; its timeout or failure becomes an AwsAccessError naming the describe call it polls. */
export async function waitFor(context: ActionContext, api: string, wait: () => Promise<unknown>): Promise<void> {
  await context.read(api, wait);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it returns true, with the context's waiter timing, for states no SDK waiter covers (a volume
 * modification, an RDS instance stopped). The first check is immediate.
 */
export async function pollUntil(context: ActionContext, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + context.waiter.maxWaitTime * 1000;
  let delay = context.waiter.minDelay * 1000;
  for (;;) {
    if (await check()) return;
    if (Date.now() + delay > deadline) {
      throw Object.assign(new Error(`gave up waiting for ${what} after ${context.waiter.maxWaitTime} s`), { name: 'TimeoutError' });
    }
    await sleep(delay);
    delay = Math.min(delay * 2, context.waiter.maxDelay * 1000);
  }
}

/** Tags as AWS takes them in TagSpecifications / CreateTags, without the `aws:` ones AWS reserves. */
export function tagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags)
    .filter(([key]) => !key.startsWith('aws:'))
    .map(([Key, Value]) => ({ Key, Value }));
}

/** The tag an action puts on what it creates, so a retried attempt finds it instead of creating another. */
export const ACTION_ID_TAG = 'finops:action-id';
