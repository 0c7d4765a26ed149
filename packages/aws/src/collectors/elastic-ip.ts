// Discovers Elastic IP addresses (DescribeAddresses, which returns every address of the region in one answer).
import { DescribeAddressesCommand, type Address } from '@aws-sdk/client-ec2';
import type { ElasticIp } from '@finops/core';
import type { AwsScope } from '../types.js';
import type { Collector } from './collector.js';
import { tagsFromList } from './normalize.js';
import { callAws } from './sdk-calls.js';

export const elasticIpCollector: Collector<ElasticIp> = {
  kind: 'elastic-ip',
  permissions: ['ec2:DescribeAddresses'],
  async collect({ scope, client }) {
    const ec2 = await client('ec2');
    const output = await callAws(scope, 'ec2:DescribeAddresses', () => ec2.send(new DescribeAddressesCommand({})));
    return (output.Addresses ?? [])
      .filter((address) => address.AllocationId || address.PublicIp)
      .map((address) => toElasticIp(address, scope));
  },
};

export function toElasticIp(address: Address, scope: AwsScope): ElasticIp {
  const tags = tagsFromList(address.Tags);
  // EC2-Classic addresses have no allocation id; their public IP is their identity.
  const id = address.AllocationId ?? address.PublicIp ?? '';
  return {
    kind: 'elastic-ip',
    id,
    accountId: scope.accountId,
    region: scope.region,
    ...(tags.Name ? { name: tags.Name } : {}),
    tags,
    allocationId: id,
    publicIp: address.PublicIp ?? '',
    domain: address.Domain === 'standard' ? 'standard' : 'vpc',
    associationId: address.AssociationId || undefined,
    instanceId: address.InstanceId || undefined,
    networkInterfaceId: address.NetworkInterfaceId || undefined,
  };
}
