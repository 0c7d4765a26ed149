// NAT gateways of a partition: about a third idle (no bytes at all, for more than 30 days), the rest carrying traffic.
import { PUBLIC_FIRST_OCTETS } from './estate-names.js';
import type { NatProfile, SimNatGateway } from './estate-types.js';
import { byQuota, daysBefore, metricKeyOf, teamTags, type KindGenerationContext } from './kind-generation.js';

export function generateNatGateways(context: KindGenerationContext, count: number): SimNatGateway[] {
  const { rng } = context;
  const profiles = byQuota<NatProfile>(rng, count, [['idle', count >= 2 ? Math.max(1, Math.round(count * 0.3)) : 0]], 'busy');
  return profiles.map((profile, index) => {
    const zone = rng.int(0, context.zones.length - 1);
    const id = `nat-${rng.hex(17)}`;
    const isPublic = rng.chance(0.85);
    const gateway: SimNatGateway = {
      id,
      connectivityType: isPublic ? 'public' : 'private',
      subnetId: context.subnets[zone],
      vpcId: context.vpcId,
      // Idle gateways are old enough that a 30-day window is entirely idle.
      createTime: profile === 'idle' ? daysBefore(context, 40, 700) : daysBefore(context, 2, 900),
      networkInterfaceId: `eni-${rng.hex(17)}`,
      privateIp: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(4, 254)}`,
      profile,
      tags: teamTags(context, `nat-${context.zones[zone]}-${index + 1}`),
      metricKey: metricKeyOf(context, id),
    };
    if (isPublic) {
      gateway.publicIp = `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
      gateway.allocationId = `eipalloc-${rng.hex(17)}`;
      gateway.associationId = `eipassoc-${rng.hex(17)}`;
    }
    return gateway;
  });
}
