// lambda-arm64-candidate-function: the GB-second difference from observed usage; x86 only; no usage, no finding.
import type { LambdaFunction, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, dailySum, lambdaFunction, metricsOf, prices, summary } from '../test-fixtures.js';
import { lambdaArm64CandidateFunction } from './lambda-arm64-candidate-function.js';

const defaults = lambdaArm64CandidateFunction.options.parse({});

function evaluate(resource: LambdaFunction, metrics: ResourceMetrics | undefined) {
  return lambdaArm64CandidateFunction.evaluate({ resource, metrics, options: defaults, prices, now: NOW, context: context() });
}

const fn = lambdaFunction({ memoryMb: 1024 });
/** 14 days of 10,000 invocations a day at `avgMs` each. */
const usage = (avgMs: number, perDay = 10_000) =>
  metricsOf(fn.id, 'lambda-function', {
    lambdaInvocations: dailySum(Array.from({ length: 14 }, () => perDay)),
    lambdaDurationMs: summary({ stat: 'Average', avg: avgMs, p99: avgMs * 2 }),
  });

describe('lambda-arm64-candidate-function', () => {
  it('prices the same usage on arm64', () => {
    const finding = evaluate(fn, usage(200));
    const perMonth = (140_000 * (730 / 24)) / 14;
    const gbSeconds = perMonth * 0.2 * 1;
    expect(finding).toMatchObject({
      monthlySavingsUsd: expect.closeTo(gbSeconds * (0.0000166667 - 0.0000133334), 6),
      priceConfidence: 'exact',
      risk: 'medium',
      action: { type: 'lambda.update-function-architecture', params: { functionName: 'resize-images', architecture: 'arm64' } },
      evidence: expect.objectContaining({ invocationsInWindow: 140_000, avgDurationMs: 200, memoryMb: 1024 }),
    });
  });

  it('needs invocations and durations; arm64 functions are done', () => {
    expect(evaluate(fn, undefined)).toBeNull();
    expect(evaluate(fn, metricsOf(fn.id, 'lambda-function', { lambdaInvocations: null, lambdaDurationMs: null }))).toBeNull();
    expect(evaluate(fn, metricsOf(fn.id, 'lambda-function', { lambdaInvocations: dailySum([0, 0]), lambdaDurationMs: summary() }))).toBeNull();
    expect(evaluate(lambdaFunction({ architecture: 'arm64' }), usage(200))).toBeNull();
  });

  it('is riskier for container images and production, and estimated outside the reference region', () => {
    expect(evaluate(lambdaFunction({ packageType: 'Image', runtime: undefined }), usage(200))?.risk).toBe('high');
    expect(evaluate(lambdaFunction({ tags: { env: 'prod' } }), usage(200))?.risk).toBe('high');
    expect(evaluate(lambdaFunction({ region: 'eu-west-1' }), usage(200))?.priceConfidence).toBe('estimated');
  });
});
