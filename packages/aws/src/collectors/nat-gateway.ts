// Discovers NAT gateways (DescribeNatGateways, 1000 per page); tags come inline, deleted gateways are skipped.
import { paginateDescribeNatGateways, type NatGateway as SdkNatGateway } from '@aws-sdk/client-ec2';
import type { NatGateway } from '@finops/core';
import type { AwsScope } from '../types.js';
import type { Collector } from './collector.js';
import { EC2_PAGE_SIZE } from './ec2-instance.js';
import { isoTime, tagsFromList } from './normalize.js';
import { collectPages } from './sdk-calls.js';

/**
 * DescribeNatGateways keeps listing deleted gateways for about an hour, and failed ones for a while: neither is
 * billed nor can be acted on, so neither is inventory.
 */
const GONE_STATES: ReadonlySet<string> = new Set(['deleted', 'failed']);

export const natGatewayCollector: Collector<NatGateway> = {
  kind: 'nat-gateway',
  permissions: ['ec2:DescribeNatGateways'],
  async collect({ scope, client }) {
    const ec2 = await client('ec2');
    const gateways = await collectPages(
      scope,
      'ec2:DescribeNatGateways',
      paginateDescribeNatGateways({ client: ec2, pageSize: EC2_PAGE_SIZE }, {}),
      (page) => page.NatGateways,
    );
    const discoveredAt = new Date().toISOString();
    return gateways
      .filter((gateway) => gateway.NatGatewayId && !GONE_STATES.has(gateway.State ?? ''))
      .map((gateway) => toNatGateway(gateway, scope, discoveredAt));
  },
};

export function toNatGateway(gateway: SdkNatGateway, scope: AwsScope, discoveredAt: string): NatGateway {
  const tags = tagsFromList(gateway.Tags);
  return {
    kind: 'nat-gateway',
    id: gateway.NatGatewayId ?? '',
    accountId: scope.accountId,
    region: scope.region,
    ...(tags.Name ? { name: tags.Name } : {}),
    tags,
    state: gateway.State ?? 'unknown',
    // Gateways created before private NAT existed carry no ConnectivityType: they are public.
    connectivityType: gateway.ConnectivityType === 'private' ? 'private' : 'public',
    subnetId: gateway.SubnetId || undefined,
    vpcId: gateway.VpcId || undefined,
    createTime: isoTime(gateway.CreateTime, discoveredAt),
    publicIps: (gateway.NatGatewayAddresses ?? []).flatMap((address) => (address.PublicIp ? [address.PublicIp] : [])),
  };
}
