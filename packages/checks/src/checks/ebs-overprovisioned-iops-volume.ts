// ebs-overprovisioned-iops-volume: an io1/io2 volume using a fraction of its provisioned IOPS; gp3 serves it for less.
import type { MetricSummary } from '@finops/core';
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { atLeastACent, formatNumber, formatUsd } from '../format.js';
import { coverage } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  maxIopsUsePercent: z
    .number()
    .min(0)
    .max(100)
    .default(50)
    .describe('Report when the peak IOPS used stays at or below this share of the provisioned IOPS.'),
  headroomPercent: z
    .number()
    .min(0)
    .max(500)
    .default(50)
    .describe('gp3 IOPS to provision above the peak used, percent (never below gp3\'s included 3,000).'),
  maxGp3Iops: z
    .number()
    .int()
    .positive()
    .default(16_000)
    .describe('The most IOPS a gp3 volume may be given; volumes needing more stay on io1/io2.'),
  targetThroughputMiBps: z
    .number()
    .int()
    .positive()
    .default(125)
    .describe('gp3 throughput to provision (MiB/s); 125 is included in the gp3 price.'),
  ...productionTagOptions,
});

/** The busiest period's IOPS, bounded from above by adding the read and write peaks (they may fall in different hours). */
function peakIops(read: MetricSummary, write: MetricSummary): number {
  return (read.max + write.max) / read.periodSec;
}

export const ebsOverprovisionedIopsVolume = defineCheck({
  id: 'ebs-overprovisioned-iops-volume',
  title: 'Over-provisioned io1/io2 volume',
  description: 'io1/io2 volumes whose peak IOPS stays well below what they provision: gp3 with the IOPS they use costs far less.',
  resourceKind: 'ebs-volume',
  metrics: ['ebsReadOps', 'ebsWriteOps'],
  lookback: 'utilization',
  permissions: ['ec2:DescribeVolumes', 'cloudwatch:GetMetricData'],
  options,
  evaluate({ resource, metrics, options, prices }) {
    if (resource.volumeType !== 'io1' && resource.volumeType !== 'io2') return null;
    const provisioned = resource.iops;
    const read = metrics?.metrics.ebsReadOps;
    const write = metrics?.metrics.ebsWriteOps;
    // EBS publishes nothing for a volume that is detached or whose instance is stopped: no data, no judgement.
    if (!metrics || !read || !write || !provisioned) return null;
    const peak = peakIops(read, write);
    const usePercent = (peak / provisioned) * 100;
    if (usePercent > options.maxIopsUsePercent) return null;

    const included = prices.data.ebs.volumes.gp3.includedIops;
    const targetIops = Math.max(included, Math.ceil(peak * (1 + options.headroomPercent / 100)));
    if (targetIops > options.maxGp3Iops) return null;
    const target = { volumeType: 'gp3' as const, sizeGiB: resource.sizeGiB, iops: targetIops, throughputMiBps: options.targetThroughputMiBps };
    const currentPrice = prices.ebsVolumeMonthly(resource, resource.region);
    const gp3 = prices.ebsVolumeMonthly(target, resource.region);
    const savings = currentPrice.usd - gp3.usd;
    if (!atLeastACent(savings)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    const exact = currentPrice.confidence === 'exact' && gp3.confidence === 'exact';
    return {
      monthlySavingsUsd: savings,
      priceConfidence: exact ? 'exact' : 'estimated',
      // gp3 latency is less consistent than io1/io2's, and io2 is more durable: worth a look before the change.
      risk: riskFor('medium', production),
      confidence: Math.min(coverage(read), coverage(write)),
      action: {
        type: 'ebs.modify-volume',
        description: `Change the volume type to gp3 with ${targetIops} IOPS and ${options.targetThroughputMiBps} MiB/s (online).`,
        params: { volumeId: resource.id, volumeType: 'gp3', iops: targetIops, throughputMiBps: options.targetThroughputMiBps },
      },
      reason: `Peak use was ${formatNumber(peak)} IOPS of ${provisioned} provisioned (${formatNumber(usePercent)}%) over ${metrics.lookbackDays} days; gp3 at ${targetIops} IOPS saves ${formatUsd(savings)}/month`,
      evidence: {
        volumeType: resource.volumeType,
        sizeGiB: resource.sizeGiB,
        provisionedIops: provisioned,
        peakIops: peak,
        iopsUsePercent: usePercent,
        gp3Iops: targetIops,
        gp3ThroughputMiBps: options.targetThroughputMiBps,
        currentMonthlyUsd: currentPrice.usd,
        gp3MonthlyUsd: gp3.usd,
        priceBasis: currentPrice.basis,
        targetPriceBasis: gp3.basis,
        readDatapoints: read.datapoints,
        expectedDatapoints: read.expectedDatapoints,
        lookbackDays: metrics.lookbackDays,
        production,
      },
    };
  },
});
