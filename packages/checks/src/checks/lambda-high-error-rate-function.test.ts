// lambda-high-error-rate-function: the 10% limit on any day of the week, quiet days, missing error data.
import type { LambdaFunction, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, dailySum, lambdaFunction, metricsOf, prices } from '../test-fixtures.js';
import { lambdaHighErrorRateFunction } from './lambda-high-error-rate-function.js';

const defaults = lambdaHighErrorRateFunction.options.parse({});

function evaluate(resource: LambdaFunction, metrics: ResourceMetrics | undefined, options: Partial<typeof defaults> = {}) {
  return lambdaHighErrorRateFunction.evaluate({ resource, metrics, options: { ...defaults, ...options }, prices, now: NOW, context: context() });
}

const fn = lambdaFunction();
const calls = (invocations: number[], errors: number[] | null) =>
  metricsOf(fn.id, 'lambda-function', { lambdaInvocations: dailySum(invocations), lambdaErrors: errors === null ? null : dailySum(errors) });

describe('lambda-high-error-rate-function', () => {
  it('reports the worst day above 10%, informational and without savings', () => {
    const finding = evaluate(fn, calls([100, 100, 100, 100, 100, 100, 100, 100], [0, 0, 11, 0, 0, 30, 0, 0]));
    expect(finding).toMatchObject({
      monthlySavingsUsd: 0,
      risk: 'low',
      action: { type: 'lambda.investigate-errors' },
      evidence: expect.objectContaining({ worstDayErrorRatePercent: 30, worstDayErrors: 30, worstDayInvocations: 100 }),
    });
    expect(lambdaHighErrorRateFunction.informational).toBe(true);
  });

  it('needs strictly more than maxErrorRatePercent', () => {
    expect(evaluate(fn, calls([100, 100], [10, 0]))).toBeNull();
    expect(evaluate(fn, calls([1000, 100], [101, 0]))).not.toBeNull();
  });

  it('ignores days with few invocations and days before the week', () => {
    expect(evaluate(fn, calls([9, 100], [9, 0]))).toBeNull();
    expect(evaluate(fn, calls([10, 100], [9, 0]))).not.toBeNull();
    expect(evaluate(fn, calls([100, 100, 100, 100, 100, 100, 100, 100, 100, 100], [90, 90, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
  });

  it('reads no error datapoints as no errors, and no invocations as nothing to judge', () => {
    expect(evaluate(fn, calls([100, 100], null))).toBeNull();
    expect(evaluate(fn, undefined)).toBeNull();
    expect(evaluate(fn, metricsOf(fn.id, 'lambda-function', { lambdaInvocations: null, lambdaErrors: null }))).toBeNull();
    expect(evaluate(fn, metricsOf(fn.id, 'lambda-function', { lambdaInvocations: dailySum([100]) }))).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate(lambdaFunction({ tags: { env: 'prod' } }), calls([100], [50]))?.risk).toBe('medium');
  });
});
