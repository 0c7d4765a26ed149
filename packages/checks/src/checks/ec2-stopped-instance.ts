// ec2-stopped-instance: an instance stopped for weeks: no compute bill, but its EBS volumes and Elastic IPs bill on.
import type { EbsVolume, Ec2Instance } from '@finops/core';
import { z } from 'zod';
import { defineCheck, type CheckContext } from '../check.js';
import { atLeastACent, daysSince, formatUsd } from '../format.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  minStoppedDays: z
    .number()
    .int()
    .nonnegative()
    .default(30)
    .describe('Report instances stopped for at least this many days.'),
  createImageFirst: z
    .boolean()
    .default(true)
    .describe('Create an AMI (a snapshot of every volume) before terminating; savings are then net of the snapshots.'),
  ...productionTagOptions,
});

export interface StoppedSince {
  at: string;
  /** `state-transition`: AWS's StateTransitionReason; `first-seen`: the platform's own history; `this-scan`: neither. */
  source: 'state-transition' | 'first-seen' | 'this-scan';
}

/**
 * Since when an instance has been stopped: AWS states it in the StateTransitionReason of most stops; otherwise the
 * platform's history of seeing it stopped; otherwise now (first seen stopped in this scan).
 */
export function stoppedSince(instance: Ec2Instance, context: CheckContext, now: Date): StoppedSince {
  if (instance.stateChangedAt) return { at: instance.stateChangedAt, source: 'state-transition' };
  const firstSeen = context.firstSeen(instance, 'ec2-stopped-instance');
  if (firstSeen) return { at: firstSeen, source: 'first-seen' };
  return { at: now.toISOString(), source: 'this-scan' };
}

/** Volume ids by the instance they are attached to, in volumesById order: built once per run's map, not per instance. */
const attachedIndexes = new WeakMap<ReadonlyMap<string, EbsVolume>, Map<string, string[]>>();

function attachedVolumeIds(volumesById: ReadonlyMap<string, EbsVolume>, instanceId: string): readonly string[] {
  let index = attachedIndexes.get(volumesById);
  if (!index) {
    index = new Map();
    for (const volume of volumesById.values()) {
      for (const attachment of volume.attachments) {
        const ids = index.get(attachment.instanceId) ?? [];
        index.set(attachment.instanceId, ids);
        ids.push(volume.id);
      }
    }
    attachedIndexes.set(volumesById, index);
  }
  return index.get(instanceId) ?? [];
}

/** The instance's EBS volumes: by its block device mappings, and by the volumes' own attachments. */
export function volumesOf(instance: Ec2Instance, context: CheckContext): EbsVolume[] {
  const ids = new Set(instance.volumeIds);
  for (const id of attachedVolumeIds(context.volumesById, instance.id)) ids.add(id);
  return [...ids].flatMap((id) => {
    const volume = context.volumesById.get(id);
    return volume ? [volume] : [];
  });
}

export const ec2StoppedInstance = defineCheck({
  id: 'ec2-stopped-instance',
  title: 'Long-stopped EC2 instance',
  description: 'Instances stopped for more than minStoppedDays: their EBS volumes and Elastic IPs keep billing.',
  resourceKind: 'ec2-instance',
  reads: ['ebs-volume', 'elastic-ip'],
  metrics: [],
  lookback: 'none',
  permissions: ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'ec2:DescribeAddresses'],
  options,
  condition: (resource) => resource.state === 'stopped',
  evaluate({ resource, options, prices, now, context }) {
    if (resource.state !== 'stopped') return null;
    const since = stoppedSince(resource, context, now);
    const stoppedDays = daysSince(since.at, now) ?? 0;
    if (stoppedDays < options.minStoppedDays) return null;

    const volumes = volumesOf(resource, context);
    const addresses = context.addressesByInstanceId.get(resource.id) ?? [];
    const volumeQuotes = volumes.map((volume) => prices.ebsVolumeMonthly(volume, resource.region));
    // A full-size snapshot bounds its cost from above (snapshots keep used blocks only): the net is a lower bound.
    const snapshotQuotes = options.createImageFirst
      ? volumes.map((volume) => prices.snapshotMonthly(volume.sizeGiB, resource.region, 'standard'))
      : [];
    const addressQuotes = addresses.map(() => prices.publicIpv4Monthly(resource.region));
    const sum = (quotes: { usd: number }[]) => quotes.reduce((total, quote) => total + quote.usd, 0);
    const volumeUsd = sum(volumeQuotes);
    const snapshotUsd = sum(snapshotQuotes);
    const addressUsd = sum(addressQuotes);
    const savings = volumeUsd - snapshotUsd + addressUsd;
    if (!atLeastACent(savings)) return null;

    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    const estimated = [...volumeQuotes, ...snapshotQuotes, ...addressQuotes].some((quote) => quote.confidence === 'estimated');
    const sinceWords =
      since.source === 'state-transition' ? 'as AWS states' : since.source === 'first-seen' ? 'first seen stopped' : 'seen stopped now';
    return {
      monthlySavingsUsd: savings,
      priceConfidence: estimated ? 'estimated' : 'exact',
      risk: riskFor('medium', production),
      // First seen stopped bounds the duration from below: either way it has been stopped at least this long.
      confidence: 1,
      action: {
        type: 'ec2.terminate-instance',
        description: options.createImageFirst
          ? 'Create an AMI of the instance (snapshots of its volumes), then terminate it and release its Elastic IPs.'
          : 'Terminate the instance, delete its volumes and release its Elastic IPs.',
        params: { instanceId: resource.id, createImageFirst: options.createImageFirst, releaseAddresses: addresses.length > 0 },
      },
      reason: `Stopped for ${stoppedDays} days (since ${since.at.slice(0, 10)}, ${sinceWords}); its ${volumes.length} EBS volume(s) and ${addresses.length} Elastic IP(s) bill ${formatUsd(volumeUsd + addressUsd)}/month`,
      evidence: {
        instanceType: resource.instanceType,
        stoppedSince: since.at,
        stoppedSinceSource: since.source,
        stoppedDays,
        volumeCount: volumes.length,
        volumeGiB: volumes.reduce((total, volume) => total + volume.sizeGiB, 0),
        volumeMonthlyUsd: volumeUsd,
        snapshotMonthlyUsd: snapshotUsd,
        addressCount: addresses.length,
        addressMonthlyUsd: addressUsd,
        createImageFirst: options.createImageFirst,
        production,
      },
      relatedResourceIds: [...volumes.map((volume) => volume.id), ...addresses.map((address) => address.allocationId)],
    };
  },
});
