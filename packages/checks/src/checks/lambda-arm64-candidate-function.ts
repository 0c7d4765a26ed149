// lambda-arm64-candidate-function: an x86_64 function; arm64 (Graviton) runs the same GB-seconds for 20% less.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { formatUsd } from '../format.js';
import { observedLambdaUsage, usageConfidence } from '../lambda-usage.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  ...productionTagOptions,
});

export const lambdaArm64CandidateFunction = defineCheck({
  id: 'lambda-arm64-candidate-function',
  title: 'arm64 candidate Lambda function',
  description: 'Invoked x86_64 functions: arm64 bills each GB-second about 20% less (the duration is assumed unchanged).',
  resourceKind: 'lambda-function',
  metrics: ['lambdaInvocations', 'lambdaDurationMs'],
  lookback: 'utilization',
  permissions: ['lambda:ListFunctions', 'cloudwatch:GetMetricData'],
  options,
  evaluate({ resource, metrics, options, prices }) {
    if (resource.architecture !== 'x86_64') return null;
    const usage = observedLambdaUsage(resource, metrics);
    if (!usage) return null;
    const x86 = prices.lambdaMonthly(usage, resource.region);
    const arm = prices.lambdaMonthly({ ...usage, architecture: 'arm64' }, resource.region);
    const savings = x86.usd - arm.usd;
    if (savings <= 0) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: savings,
      priceConfidence: x86.confidence === 'exact' && arm.confidence === 'exact' ? 'exact' : 'estimated',
      // Native dependencies and container images need arm64 builds; interpreted code usually just runs.
      risk: riskFor(resource.packageType === 'Image' ? 'high' : 'medium', production),
      confidence: usageConfidence(usage),
      action: {
        type: 'lambda.update-function-architecture',
        description: 'Deploy the function for arm64 (rebuild native dependencies and container images for arm64 first).',
        params: { functionName: resource.id, architecture: 'arm64' },
      },
      reason: `${Math.round(usage.invocationsPerMonth)} invocations a month of ${Math.round(usage.avgDurationMs)} ms at ${resource.memoryMb} MB cost ${formatUsd(x86.usd)} on x86_64 and ${formatUsd(arm.usd)} on arm64`,
      evidence: {
        invocationsInWindow: usage.invocationsInWindow,
        invocationsPerMonth: usage.invocationsPerMonth,
        avgDurationMs: usage.avgDurationMs,
        memoryMb: resource.memoryMb,
        lookbackDays: usage.lookbackDays,
        x86MonthlyUsd: x86.usd,
        arm64MonthlyUsd: arm.usd,
        priceBasis: x86.basis,
        packageType: resource.packageType ?? null,
        production,
      },
    };
  },
});
