// ebs-stopped-instance-volume: a volume attached only to instances that have been stopped for weeks.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { atLeastACent, daysSince, formatUsd } from '../format.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';
import { volumeDeletion } from '../volume-deletion.js';
import { stoppedSince } from './ec2-stopped-instance.js';

const options = z.strictObject({
  minStoppedDays: z
    .number()
    .int()
    .nonnegative()
    .default(30)
    .describe('Report volumes whose every instance has been stopped for at least this many days.'),
  snapshotBeforeDelete: z
    .boolean()
    .default(true)
    .describe('Take a final snapshot before deleting; savings are then net of the snapshot\'s monthly cost.'),
  ...productionTagOptions,
});

export const ebsStoppedInstanceVolume = defineCheck({
  id: 'ebs-stopped-instance-volume',
  title: 'EBS volume of a long-stopped instance',
  description: 'Volumes attached only to instances stopped for more than minStoppedDays: billed in full while nothing runs.',
  resourceKind: 'ebs-volume',
  reads: ['ec2-instance'],
  metrics: [],
  lookback: 'none',
  permissions: ['ec2:DescribeVolumes', 'ec2:DescribeInstances'],
  options,
  evaluate({ resource, options, prices, now, context }) {
    if (resource.state !== 'in-use' || resource.attachments.length === 0) return null;
    let shortestStop: number | undefined;
    let since = '';
    for (const attachment of resource.attachments) {
      const instance = context.instancesById.get(attachment.instanceId);
      // An instance outside the inventory (another scan scope) may be running: say nothing.
      if (!instance || instance.state !== 'stopped') return null;
      const stopped = stoppedSince(instance, context, now);
      const days = daysSince(stopped.at, now) ?? 0;
      if (shortestStop === undefined || days < shortestStop) {
        shortestStop = days;
        since = stopped.at;
      }
    }
    if (shortestStop === undefined || shortestStop < options.minStoppedDays) return null;

    const deletion = volumeDeletion(resource, prices, options.snapshotBeforeDelete);
    if (!atLeastACent(deletion.savingsUsd)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    const instances = resource.attachments.map((attachment) => attachment.instanceId);
    return {
      monthlySavingsUsd: deletion.savingsUsd,
      priceConfidence: deletion.estimated ? 'estimated' : 'exact',
      risk: riskFor('medium', production),
      confidence: 1,
      action: {
        type: 'ebs.delete-volume',
        description: `Detach the volume from ${instances.join(', ')}, ${options.snapshotBeforeDelete ? 'snapshot it, ' : ''}then delete it.`,
        params: { volumeId: resource.id, detachFirst: true, snapshotFirst: options.snapshotBeforeDelete },
      },
      reason: `Attached only to ${instances.join(', ')}, stopped for ${shortestStop} days (since ${since.slice(0, 10)}); the ${resource.sizeGiB} GiB ${resource.volumeType} volume bills ${formatUsd(deletion.volume.usd)}/month`,
      evidence: {
        instanceIds: instances.join(','),
        stoppedDays: shortestStop,
        stoppedSince: since,
        sizeGiB: resource.sizeGiB,
        volumeType: resource.volumeType,
        volumeMonthlyUsd: deletion.volume.usd,
        snapshotMonthlyUsd: deletion.snapshot?.usd ?? 0,
        snapshotFirst: options.snapshotBeforeDelete,
        priceBasis: deletion.volume.basis,
        production,
      },
    };
  },
});
