// ec2-idle-instance: a running instance whose CPU and network stayed near zero for the whole lookback.
import type { MetricSummary } from '@finops/core';
import { HOURS_PER_MONTH } from '@finops/pricing';
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { daysSince, formatMegabytes, formatNumber } from '../format.js';
import { coverage, enoughData } from '../metric-window.js';
import { isProduction, productionTagOptions } from '../production-tags.js';

const options = z.strictObject({
  maxCpuP99Percent: z
    .number()
    .min(0)
    .max(100)
    .default(5)
    .describe('Idle only if the p99 of CPU utilization over the lookback is below this percentage.'),
  maxNetworkBytesPerDay: z
    .number()
    .nonnegative()
    .default(5_000_000)
    .describe('…and every day\'s network in + out is below this many bytes (default 5 MB).'),
  minDataCoverage: z
    .number()
    .min(0)
    .max(1)
    .default(0.8)
    .describe(
      'An instance launched less than a lookback ago is judged only when this fraction of the expected CPU datapoints is present.',
    ),
  ...productionTagOptions,
});

/** The largest in + out total of any UTC day with data. */
function maxDailyNetworkBytes(networkIn: MetricSummary, networkOut: MetricSummary): number {
  // Without a daily breakdown, the window's total bounds every day's total from above: safe for a "below" test.
  if (networkIn.daily.length === 0 && networkOut.daily.length === 0) return networkIn.sum + networkOut.sum;
  const totals = new Map<string, number>();
  for (const day of [...networkIn.daily, ...networkOut.daily]) {
    totals.set(day.date, (totals.get(day.date) ?? 0) + day.value);
  }
  return Math.max(...totals.values());
}

export const ec2IdleInstance = defineCheck({
  id: 'ec2-idle-instance',
  title: 'Idle EC2 instance',
  description: 'Running instances whose CPU p99 and daily network traffic stayed near zero over the lookback.',
  resourceKind: 'ec2-instance',
  metrics: ['cpuUtilization', 'networkInBytes', 'networkOutBytes'],
  lookback: 'utilization',
  permissions: ['ec2:DescribeInstances', 'cloudwatch:GetMetricData'],
  options,
  evaluate({ resource, metrics, options, prices, now }) {
    if (resource.state !== 'running') return null;
    const cpu = metrics?.metrics.cpuUtilization;
    const networkIn = metrics?.metrics.networkInBytes;
    const networkOut = metrics?.metrics.networkOutBytes;
    // No datapoints is not zero usage: the instance may have just started, or its metrics were not collected.
    // Calling it idle would recommend stopping something we know nothing about.
    if (!metrics || !cpu) return null;
    // Low CPU with unknown traffic could be a busy proxy or cache: network must be shown low too.
    if (!networkIn || !networkOut) return null;

    const lookbackDays = metrics.lookbackDays;
    const cpuCoverage = coverage(cpu);
    const ageDays = daysSince(resource.launchTime, now);
    if (!enoughData(cpu, resource.launchTime, lookbackDays, now, options.minDataCoverage)) return null;

    if (cpu.p99 >= options.maxCpuP99Percent) return null;
    const maxDailyBytes = maxDailyNetworkBytes(networkIn, networkOut);
    if (maxDailyBytes >= options.maxNetworkBytesPerDay) return null;

    const price = prices.ec2InstanceHourly(resource.instanceType, resource.region, resource.platform);
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      // Attached EBS volumes keep billing while the instance is stopped, so only the instance hours are saved.
      monthlySavingsUsd: price.usd * HOURS_PER_MONTH,
      // Spot and capacity-block hours bill below the on-demand rate the table gives.
      priceConfidence: resource.lifecycle === 'on-demand' ? price.confidence : 'estimated',
      risk: production ? 'high' : 'medium',
      confidence: Math.min(cpuCoverage, coverage(networkIn), coverage(networkOut)),
      action: {
        type: 'ec2.stop-instance',
        description: 'Stop the instance, or terminate it after review; its EBS volumes keep billing until deleted.',
        params: { instanceId: resource.id },
      },
      reason: `CPU p99 was ${formatNumber(cpu.p99)}% and network at most ${formatMegabytes(maxDailyBytes)}/day over ${lookbackDays} days`,
      evidence: {
        cpuP99Percent: cpu.p99,
        maxDailyNetworkBytes: maxDailyBytes,
        cpuDatapoints: cpu.datapoints,
        expectedDatapoints: cpu.expectedDatapoints,
        lookbackDays,
        ageDays: ageDays ?? null,
        instanceType: resource.instanceType,
        platform: resource.platform,
        lifecycle: resource.lifecycle,
        pricePerHourUsd: price.usd,
        priceBasis: price.basis,
        production,
      },
    };
  },
});
