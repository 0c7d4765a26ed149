// lambda-overprovisioned-memory-function: a single-threaded function given memory past one vCPU it cannot use.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { formatNumber, formatUsd } from '../format.js';
import { observedLambdaUsage, usageConfidence } from '../lambda-usage.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  oneVcpuMemoryMb: z
    .number()
    .int()
    .min(128)
    .max(10_240)
    .default(1769)
    .describe('Memory at which Lambda gives a function one full vCPU (AWS: 1,769 MB); the recommended size.'),
  singleThreadedRuntimes: z
    .array(z.string().min(1))
    .default(['nodejs', 'python', 'ruby'])
    .describe('Runtime prefixes whose code runs on one thread: more than one vCPU does not make it faster.'),
  minInvocations: z
    .number()
    .int()
    .nonnegative()
    .default(50)
    .describe('Judge only functions invoked at least this often over the lookback (Compute Optimizer needs 50).'),
  maxTimeoutShare: z
    .number()
    .min(0)
    .max(1)
    .default(0.8)
    .describe('Even if the duration grew in proportion to the memory cut, its p99 must stay under this share of the timeout.'),
  ...productionTagOptions,
});

export const lambdaOverprovisionedMemoryFunction = defineCheck({
  id: 'lambda-overprovisioned-memory-function',
  title: 'Lambda function with memory it cannot use',
  description:
    'Node.js, Python and Ruby functions configured above 1,769 MB (one vCPU): the extra memory buys vCPUs a single thread cannot use.',
  resourceKind: 'lambda-function',
  metrics: ['lambdaInvocations', 'lambdaDurationMs'],
  lookback: 'utilization',
  permissions: ['lambda:ListFunctions', 'cloudwatch:GetMetricData'],
  options,
  evaluate({ resource, metrics, options, prices }) {
    const target = options.oneVcpuMemoryMb;
    if (resource.memoryMb <= target || !resource.runtime) return null;
    const runtime = resource.runtime;
    if (!options.singleThreadedRuntimes.some((prefix) => runtime.startsWith(prefix))) return null;
    const usage = observedLambdaUsage(resource, metrics);
    if (!usage || usage.invocationsInWindow < options.minInvocations) return null;
    // Conservative: assume the worst case, a duration growing with the memory cut, and keep clear of the timeout.
    const worstP99Ms = (usage.p99DurationMs * resource.memoryMb) / target;
    if (worstP99Ms > options.maxTimeoutShare * resource.timeoutSec * 1000) return null;

    const current = prices.lambdaMonthly(usage, resource.region);
    // Memory use is not published without Lambda Insights: the saving assumes the same duration on one vCPU.
    const smaller = prices.lambdaMonthly({ ...usage, memoryMb: target }, resource.region);
    const savings = current.usd - smaller.usd;
    if (savings <= 0) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: savings,
      priceConfidence: current.confidence === 'exact' && smaller.confidence === 'exact' ? 'exact' : 'estimated',
      // The function may need the memory itself (large payloads, caches): only its logs' Max Memory Used can tell.
      risk: riskFor('medium', production),
      confidence: usageConfidence(usage),
      action: {
        type: 'lambda.update-function-memory',
        description: `Lower the memory from ${resource.memoryMb} MB to ${target} MB after checking "Max Memory Used" in the function's logs.`,
        params: { functionName: resource.id, fromMemoryMb: resource.memoryMb, toMemoryMb: target },
      },
      reason: `${runtime} runs on one thread, yet has ${resource.memoryMb} MB (${formatNumber(resource.memoryMb / target)} vCPUs); ${target} MB would save ${formatUsd(savings)}/month at ${Math.round(usage.avgDurationMs)} ms per call`,
      evidence: {
        runtime,
        memoryMb: resource.memoryMb,
        targetMemoryMb: target,
        invocationsInWindow: usage.invocationsInWindow,
        invocationsPerMonth: usage.invocationsPerMonth,
        avgDurationMs: usage.avgDurationMs,
        p99DurationMs: usage.p99DurationMs,
        worstCaseP99DurationMs: worstP99Ms,
        timeoutSec: resource.timeoutSec,
        architecture: resource.architecture,
        lookbackDays: usage.lookbackDays,
        currentMonthlyUsd: current.usd,
        targetMonthlyUsd: smaller.usd,
        priceBasis: current.basis,
        production,
      },
    };
  },
});
