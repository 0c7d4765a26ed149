// lambda-high-error-rate-function: a function failing more than 10% of its invocations on some day of the last week.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { formatNumber } from '../format.js';
import { recentDays } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  days: z.number().int().min(1).max(14).default(7).describe('Days judged, ending today (within the utilization lookback).'),
  maxErrorRatePercent: z
    .number()
    .min(0)
    .max(100)
    .default(10)
    .describe('Report a function whose errors exceed this percentage of its invocations on any of those days.'),
  minInvocationsPerDay: z
    .number()
    .int()
    .nonnegative()
    .default(10)
    .describe('Ignore days with fewer invocations than this (one failure in two calls is not a rate).'),
  ...productionTagOptions,
});

export const lambdaHighErrorRateFunction = defineCheck({
  id: 'lambda-high-error-rate-function',
  title: 'Lambda function with a high error rate',
  description: 'Functions whose errors exceeded 10% of invocations on any day of the last week (Trusted Advisor): informational, no saving.',
  resourceKind: 'lambda-function',
  metrics: ['lambdaInvocations', 'lambdaErrors'],
  lookback: 'utilization',
  permissions: ['lambda:ListFunctions', 'cloudwatch:GetMetricData'],
  options,
  informational: true,
  evaluate({ resource, metrics, options, now }) {
    const invocations = metrics?.metrics.lambdaInvocations;
    const errors = metrics?.metrics.lambdaErrors;
    // No invocations: no rate. No error datapoints while invoked: no errors (Lambda publishes Errors with them).
    if (!metrics || !invocations || errors === undefined) return null;
    const errorsByDate = new Map((errors?.daily ?? []).map((day) => [day.date, day.value]));
    let worst: { date: string; invocations: number; errors: number; rate: number } | undefined;
    for (const day of recentDays(invocations.daily, options.days, now)) {
      if (day.value < options.minInvocationsPerDay || day.value <= 0) continue;
      const failed = errorsByDate.get(day.date) ?? 0;
      const rate = (failed / day.value) * 100;
      if (rate > options.maxErrorRatePercent && (!worst || rate > worst.rate)) {
        worst = { date: day.date, invocations: day.value, errors: failed, rate };
      }
    }
    if (!worst) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: 0,
      priceConfidence: 'exact',
      risk: riskFor('low', production),
      confidence: 1,
      action: {
        type: 'lambda.investigate-errors',
        description: 'Look into the errors (logs, dead-letter queue): failed invocations are billed, and retries bill again.',
        params: { functionName: resource.id },
      },
      reason: `${formatNumber(worst.rate)}% of invocations failed on ${worst.date} (${worst.errors} of ${worst.invocations})`,
      evidence: {
        worstDate: worst.date,
        worstDayErrorRatePercent: worst.rate,
        worstDayErrors: worst.errors,
        worstDayInvocations: worst.invocations,
        maxErrorRatePercent: options.maxErrorRatePercent,
        days: options.days,
        production,
      },
    };
  },
});
