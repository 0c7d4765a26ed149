// ebs-idle-volume: an attached volume that did (almost) no I/O on any day of the last week.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { atLeastACent, formatNumber, formatUsd } from '../format.js';
import { addDaily, coverage, recentDays } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';
import { volumeDeletion } from '../volume-deletion.js';

const options = z.strictObject({
  days: z.number().int().min(1).max(14).default(7).describe('Days judged, ending today (within the utilization lookback).'),
  maxOpsPerDay: z
    .number()
    .nonnegative()
    .default(1)
    .describe('Idle only if every one of those days had fewer read + write operations than this (Trusted Advisor: "less than 1 IOPS per day").'),
  snapshotBeforeDelete: z
    .boolean()
    .default(true)
    .describe('Take a final snapshot before deleting; savings are then net of the snapshot\'s monthly cost.'),
  ...productionTagOptions,
});

export const ebsIdleVolume = defineCheck({
  id: 'ebs-idle-volume',
  title: 'Idle EBS volume',
  description: 'Attached volumes with fewer than maxOpsPerDay read + write operations on every day of the last week.',
  resourceKind: 'ebs-volume',
  metrics: ['ebsReadOps', 'ebsWriteOps'],
  lookback: 'utilization',
  permissions: ['ec2:DescribeVolumes', 'cloudwatch:GetMetricData'],
  options,
  evaluate({ resource, metrics, options, prices, now }) {
    if (resource.state !== 'in-use') return null;
    const read = metrics?.metrics.ebsReadOps;
    const write = metrics?.metrics.ebsWriteOps;
    // EBS publishes nothing while the instance is stopped: missing days are unknown, never zero.
    if (!metrics || !read || !write) return null;
    const days = recentDays(addDaily(read.daily, write.daily), options.days, now);
    if (days.length < options.days) return null;
    const busiest = Math.max(...days.map((day) => day.value));
    if (busiest >= options.maxOpsPerDay) return null;

    const deletion = volumeDeletion(resource, prices, options.snapshotBeforeDelete);
    if (!atLeastACent(deletion.savingsUsd)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: deletion.savingsUsd,
      priceConfidence: deletion.estimated ? 'estimated' : 'exact',
      // Attached and mounted, perhaps for a rare job: riskier than an unattached volume.
      risk: riskFor('medium', production),
      confidence: Math.min(coverage(read), coverage(write)),
      action: {
        type: 'ebs.delete-volume',
        description: `Detach the volume, ${options.snapshotBeforeDelete ? 'snapshot it, ' : ''}then delete it.`,
        params: { volumeId: resource.id, detachFirst: true, snapshotFirst: options.snapshotBeforeDelete },
      },
      reason: `At most ${formatNumber(busiest)} read + write operations a day over the last ${days.length} days; the ${resource.sizeGiB} GiB ${resource.volumeType} volume bills ${formatUsd(deletion.volume.usd)}/month`,
      evidence: {
        maxDailyOps: busiest,
        daysJudged: days.length,
        sizeGiB: resource.sizeGiB,
        volumeType: resource.volumeType,
        attachedTo: resource.attachments.map((attachment) => attachment.instanceId).join(','),
        volumeMonthlyUsd: deletion.volume.usd,
        snapshotMonthlyUsd: deletion.snapshot?.usd ?? 0,
        snapshotFirst: options.snapshotBeforeDelete,
        priceBasis: deletion.volume.basis,
        production,
      },
    };
  },
});
