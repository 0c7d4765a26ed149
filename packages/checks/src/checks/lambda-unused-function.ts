// lambda-unused-function: a function nobody invoked for the whole "unused" window.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { daysSince } from '../format.js';
import { existedThroughout } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  ...productionTagOptions,
});

export const lambdaUnusedFunction = defineCheck({
  id: 'lambda-unused-function',
  title: 'Unused Lambda function',
  description: 'Functions with no invocation over the unused lookback (default 30 days): free while idle, but clutter with live permissions and triggers.',
  resourceKind: 'lambda-function',
  metrics: ['lambdaInvocations'],
  lookback: 'unused',
  permissions: ['lambda:ListFunctions', 'cloudwatch:GetMetricData'],
  options,
  // Lambda bills per request and per GB-second only: an unused function saves nothing in dollars.
  informational: true,
  evaluate({ resource, metrics, options, now }) {
    const window = metrics?.unused;
    // Not collected (an analysis error): nothing is known.
    if (!window) return null;
    // Changed within the window: it may be new, or redeployed for a caller that has not called yet.
    if (!existedThroughout(resource.lastModified, window.lookbackDays, now)) return null;
    const invocations = window.metrics.lambdaInvocations;
    // Lambda publishes Invocations only for periods with invocations: no datapoints means none.
    if (invocations === undefined) return null;
    if (invocations !== null && invocations.sum > 0) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: 0,
      priceConfidence: 'exact',
      risk: riskFor('medium', production),
      confidence: 1,
      action: {
        type: 'lambda.delete-function',
        description: 'Delete the function (export its code and configuration first), or remove its triggers and permissions.',
        params: { functionName: resource.id },
      },
      reason: `Not invoked in ${window.lookbackDays} days and unchanged for ${daysSince(resource.lastModified, now)} days: it costs nothing idle, but its role, triggers and runtime still need care`,
      evidence: {
        invocations: 0,
        lookbackDays: window.lookbackDays,
        lastModified: resource.lastModified,
        runtime: resource.runtime ?? null,
        memoryMb: resource.memoryMb,
        production,
      },
    };
  },
});
