// lambda-unused-function: no invocations over the unused window, no datapoints meaning none, recent changes.
import type { LambdaFunction, ResourceMetrics } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { NOW, context, dailySum, daysAgo, lambdaFunction, metricsOf, prices } from '../test-fixtures.js';
import { lambdaUnusedFunction } from './lambda-unused-function.js';

const defaults = lambdaUnusedFunction.options.parse({});

function evaluate(resource: LambdaFunction, metrics: ResourceMetrics | undefined) {
  return lambdaUnusedFunction.evaluate({ resource, metrics, options: defaults, prices, now: NOW, context: context() });
}

const fn = lambdaFunction({ lastModified: daysAgo(90) });
const invocations = (value: ReturnType<typeof dailySum> | null) => metricsOf(fn.id, 'lambda-function', {}, { lambdaInvocations: value });

describe('lambda-unused-function', () => {
  it('finds a function without invocations in 30 days: no datapoints means none', () => {
    const finding = evaluate(fn, invocations(null));
    expect(finding).toMatchObject({
      monthlySavingsUsd: 0,
      risk: 'medium',
      confidence: 1,
      action: { type: 'lambda.delete-function', params: { functionName: 'resize-images' } },
      evidence: expect.objectContaining({ invocations: 0, lookbackDays: 30 }),
    });
    expect(finding?.reason).toBe('Not invoked in 30 days and unchanged for 90 days: it costs nothing idle, but its role, triggers and runtime still need care');
    expect(lambdaUnusedFunction.informational).toBe(true);
  });

  it('counts zero datapoints as unused, a single invocation as used', () => {
    expect(evaluate(fn, invocations(dailySum([0, 0, 0])))).not.toBeNull();
    expect(evaluate(fn, invocations(dailySum([0, 1, 0])))).toBeNull();
  });

  it('needs the window collected and a function unchanged for the whole window', () => {
    expect(evaluate(fn, undefined)).toBeNull();
    expect(evaluate(fn, metricsOf(fn.id, 'lambda-function', {}))).toBeNull();
    expect(evaluate(fn, metricsOf(fn.id, 'lambda-function', {}, {}))).toBeNull();
    expect(evaluate(lambdaFunction({ lastModified: daysAgo(30) }), invocations(null))).not.toBeNull();
    expect(evaluate(lambdaFunction({ lastModified: daysAgo(29.9) }), invocations(null))).toBeNull();
  });

  it('raises the risk for production', () => {
    expect(evaluate(lambdaFunction({ lastModified: daysAgo(90), tags: { env: 'prod' } }), invocations(null))?.risk).toBe('high');
  });
});
