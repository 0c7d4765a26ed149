// Discovers EC2 instances (DescribeInstances) and normalizes platform, architecture, lifecycle and state times.
import { paginateDescribeInstances, type Instance } from '@aws-sdk/client-ec2';
import type { Ec2Instance } from '@finops/core';
import type { AwsScope } from '../types.js';
import type { Collector } from './collector.js';
import { isoTime, oneOf, parseStateTransitionTime, tagsFromList } from './normalize.js';
import { collectPages } from './sdk-calls.js';

/** EC2's page maximum: fewer, larger pages, and the larger throttling bucket (calls with MaxResults). */
export const EC2_PAGE_SIZE = 1000;

const ARCHITECTURES = ['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac'] as const;
const LIFECYCLES = ['on-demand', 'spot', 'scheduled', 'capacity-block'] as const;

export const ec2InstanceCollector: Collector<Ec2Instance> = {
  kind: 'ec2-instance',
  permissions: ['ec2:DescribeInstances'],
  async collect({ scope, client }) {
    const ec2 = await client('ec2');
    const instances = await collectPages(
      scope,
      'ec2:DescribeInstances',
      paginateDescribeInstances({ client: ec2, pageSize: EC2_PAGE_SIZE }, {}),
      (page) => page.Reservations?.flatMap((reservation) => reservation.Instances ?? []),
    );
    const discoveredAt = new Date().toISOString();
    return instances
      .filter((instance) => instance.InstanceId && instance.State?.Name !== 'terminated')
      .map((instance) => toEc2Instance(instance, scope, discoveredAt));
  },
};

/** Terminated instances are left out: they no longer cost anything and vanish from the API within the hour. */
export function toEc2Instance(instance: Instance, scope: AwsScope, discoveredAt: string): Ec2Instance {
  const tags = tagsFromList(instance.Tags);
  const reason = instance.StateTransitionReason || undefined;
  const windows = instance.Platform?.toLowerCase() === 'windows' || /windows/i.test(instance.PlatformDetails ?? '');
  return {
    kind: 'ec2-instance',
    id: instance.InstanceId ?? '',
    accountId: scope.accountId,
    region: scope.region,
    ...(tags.Name ? { name: tags.Name } : {}),
    tags,
    instanceType: instance.InstanceType ?? 'unknown',
    state: instance.State?.Name ?? 'unknown',
    stateChangedAt: parseStateTransitionTime(reason),
    stateTransitionReason: reason,
    launchTime: isoTime(instance.LaunchTime, discoveredAt),
    platform: windows ? 'windows' : 'linux',
    architecture: oneOf(instance.Architecture, ARCHITECTURES, 'x86_64'),
    lifecycle: oneOf(instance.InstanceLifecycle, LIFECYCLES, 'on-demand'),
    volumeIds: (instance.BlockDeviceMappings ?? []).flatMap((mapping) => (mapping.Ebs?.VolumeId ? [mapping.Ebs.VolumeId] : [])),
    availabilityZone: instance.Placement?.AvailabilityZone,
  };
}
