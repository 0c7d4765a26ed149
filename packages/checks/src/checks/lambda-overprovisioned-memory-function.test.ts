// lambda-overprovisioned-memory-function: memory past one vCPU on single-threaded runtimes, the timeout guard, data.
import type { LambdaFunction, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, dailySum, lambdaFunction, metricsOf, prices, summary } from '../test-fixtures.js';
import { lambdaOverprovisionedMemoryFunction } from './lambda-overprovisioned-memory-function.js';

const defaults = lambdaOverprovisionedMemoryFunction.options.parse({});

function evaluate(resource: LambdaFunction, metrics: ResourceMetrics | undefined, options: Partial<typeof defaults> = {}) {
  return lambdaOverprovisionedMemoryFunction.evaluate({ resource, metrics, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const fn = lambdaFunction({ memoryMb: 3008, runtime: 'python3.12', timeoutSec: 30 });
const usage = (invocations: number, avgMs = 400, p99Ms = 1000) =>
  metricsOf(fn.id, 'lambda-function', {
    lambdaInvocations: dailySum([invocations]),
    lambdaDurationMs: summary({ stat: 'Average', avg: avgMs, p99: p99Ms }),
  });

describe('lambda-overprovisioned-memory-function', () => {
  it('recommends one vCPU worth of memory, priced at the same duration', () => {
    const finding = evaluate(fn, usage(14_000));
    const perMonth = (14_000 * (730 / 24)) / 14;
    const saved = perMonth * 0.4 * ((3008 - 1769) / 1024) * 0.0000166667;
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(saved, 6),
      risk: 'medium',
      action: { type: 'lambda.update-function-memory', params: { fromMemoryMb: 3008, toMemoryMb: 1769 } },
      evidence: expect.objectContaining({ targetMemoryMb: 1769, invocationsInWindow: 14_000 }),
    });
  });

  it('only judges memory above one vCPU on single-threaded runtimes', () => {
    expect(evaluate(lambdaFunction({ ...fn, memoryMb: 1769 }), usage(14_000))).toBeNull();
    expect(evaluate(lambdaFunction({ ...fn, memoryMb: 1770 }), usage(14_000))).not.toBeNull();
    expect(evaluate(lambdaFunction({ ...fn, runtime: 'java21' }), usage(14_000))).toBeNull();
    expect(evaluate(lambdaFunction({ ...fn, runtime: undefined, packageType: 'Image' }), usage(14_000))).toBeNull();
    expect(evaluate(lambdaFunction({ ...fn, runtime: 'java21' }), usage(14_000), { singleThreadedRuntimes: ['java'] })).not.toBeNull();
  });

  it('needs minInvocations over the window', () => {
    expect(evaluate(fn, usage(50))).not.toBeNull();
    expect(evaluate(fn, usage(49))).toBeNull();
    expect(evaluate(fn, undefined)).toBeNull();
    expect(evaluate(fn, metricsOf(fn.id, 'lambda-function', { lambdaInvocations: null, lambdaDurationMs: null }))).toBeNull();
  });

  it('keeps clear of the timeout even if the duration grew with the memory cut', () => {
    // 30 s × 0.8 = 24 s; p99 × 3008 / 1769 must stay at or under it.
    const limit = (24_000 * 1769) / 3008;
    expect(evaluate(fn, usage(1000, 400, limit))).not.toBeNull();
    expect(evaluate(fn, usage(1000, 400, limit + 1))).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate(lambdaFunction({ ...fn, tags: { env: 'prod' } }), usage(1000))?.risk).toBe('high');
  });
});
