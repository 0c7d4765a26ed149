// Load balancers of a partition (ALB, NLB, classic) with their target groups and targets.
import { ROLES, TEAMS } from './estate-names.js';
import type { LoadBalancerProfile, SimInstance, SimLoadBalancer, SimTarget, SimTargetGroup } from './estate-types.js';
import { byQuota, daysBefore, metricKeyOf, teamTags, type KindGenerationContext } from './kind-generation.js';

type LoadBalancerType = SimLoadBalancer['type'];

export interface GeneratedLoadBalancers {
  loadBalancers: SimLoadBalancer[];
  targetGroups: SimTargetGroup[];
}

/**
 * `count` load balancers: some with nothing registered, some with healthy targets but almost no traffic (both
 * idle), the rest busy. Targets are the partition's running busy instances (IP targets when there are none), so a
 * busy load balancer always has at least one healthy target. A few target groups are attached to nothing, as
 * deleted load balancers leave them behind.
 */
export function generateLoadBalancers(context: KindGenerationContext, count: number, instances: readonly SimInstance[]): GeneratedLoadBalancers {
  const { rng, region, accountId } = context;
  const profiles = byQuota<LoadBalancerProfile>(
    rng,
    count,
    [
      ['no-targets', count >= 2 ? Math.max(1, Math.round(count * 0.15)) : 0],
      ['quiet', count >= 3 ? Math.max(1, Math.round(count * 0.15)) : 0],
    ],
    'busy',
  );
  const types = byQuota<LoadBalancerType>(
    rng,
    count,
    [
      ['network', count >= 2 ? Math.max(1, Math.round(count * 0.25)) : 0],
      ['classic', count >= 3 ? Math.max(1, Math.round(count * 0.2)) : 0],
    ],
    'application',
  );
  const hosts = instances.filter((instance) => instance.state === 'running' && instance.profile === 'busy');
  const stopped = instances.filter((instance) => instance.state === 'stopped');
  const loadBalancers: SimLoadBalancer[] = [];
  const targetGroups: SimTargetGroup[] = [];
  const privateIp = () => `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(4, 254)}`;

  /** 1–4 healthy targets; now and then one more that fails its health check (IP) or is stopped (instance). */
  const pickTargets = (port: number, allowIp: boolean): { targetType: 'instance' | 'ip'; targets: SimTarget[] } => {
    const useIp = hosts.length === 0 || (allowIp && rng.chance(0.2));
    const n = rng.int(1, 4);
    const targets: SimTarget[] = [];
    for (let i = 0; i < n; i++) {
      if (useIp) {
        targets.push({ id: privateIp(), port, availabilityZone: rng.pick(context.zones), state: 'healthy' });
      } else {
        const host = rng.pick(hosts);
        if (!targets.some((target) => target.id === host.id)) targets.push({ id: host.id, port, availabilityZone: host.availabilityZone, state: 'healthy' });
      }
    }
    if (rng.chance(0.2)) {
      if (useIp) {
        targets.push({ id: privateIp(), port, availabilityZone: rng.pick(context.zones), state: 'unhealthy' });
      } else if (stopped.length > 0) {
        const down = rng.pick(stopped);
        targets.push({ id: down.id, port, availabilityZone: down.availabilityZone, state: 'unused' });
      }
    }
    return { targetType: useIp ? 'ip' : 'instance', targets };
  };

  const newTargetGroup = (name: string, protocol: SimTargetGroup['protocol'], port: number, loadBalancerArns: string[], withTargets: boolean, team: string): SimTargetGroup => {
    const picked = withTargets ? pickTargets(port, protocol === 'TCP') : { targetType: 'instance' as const, targets: [] };
    const group: SimTargetGroup = {
      arn: `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${name}/${rng.hex(16)}`,
      name,
      protocol,
      port,
      targetType: picked.targetType,
      vpcId: context.vpcId,
      loadBalancerArns,
      targets: picked.targets,
      tags: { Name: name, team },
    };
    targetGroups.push(group);
    return group;
  };

  profiles.forEach((profile, index) => {
    const type = types[index];
    const team = rng.pick(TEAMS);
    const tags = teamTags(context, '', team);
    // At most 30 characters (the limit is 32), unique per account and region by the index.
    const name = `${team}-${rng.pick(ROLES)}-${tags.env}-${index + 1}`;
    tags.Name = name;
    const scheme = rng.chance(0.6) ? 'internet-facing' : 'internal';
    const zoneCount = rng.int(2, context.zones.length);
    const id = rng.hex(16);
    const prefix = type === 'application' ? 'app' : type === 'network' ? 'net' : undefined;
    const arn = prefix ? `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/${prefix}/${name}/${id}` : undefined;
    const internalPrefix = scheme === 'internal' ? 'internal-' : '';
    const digits = String(rng.int(100_000_000, 2_147_483_647));
    const dnsName =
      type === 'network'
        ? `${internalPrefix}${name}-${id}.elb.${region}.amazonaws.com`
        : `${internalPrefix}${name}-${digits}.${region}.elb.amazonaws.com`;
    const balancer: SimLoadBalancer = {
      name,
      type,
      ...(arn ? { arn } : {}),
      dimension: prefix ? `${prefix}/${name}/${id}` : name,
      scheme,
      // Idle ones are older than the 7-day window that judges them.
      createTime: profile === 'busy' ? daysBefore(context, 3, 900) : daysBefore(context, 20, 700),
      dnsName,
      vpcId: context.vpcId,
      availabilityZones: context.zones.slice(0, zoneCount),
      subnetIds: context.subnets.slice(0, zoneCount),
      instanceIds: [],
      profile,
      tags,
      metricKey: metricKeyOf(context, `elb|${name}|${id}`),
    };
    const registered = profile !== 'no-targets';
    if (type === 'classic') {
      // Classic load balancers register instances only: without a running host there is nothing to register.
      if (registered && hosts.length > 0) {
        balancer.instanceIds = pickTargets(80, false).targets.filter((target) => target.id.startsWith('i-')).map((target) => target.id);
      } else {
        balancer.profile = 'no-targets';
      }
    } else if (registered || rng.chance(0.5)) {
      // A load balancer without targets either has no target group or an empty one.
      const protocol = type === 'application' ? (rng.chance(0.5) ? 'HTTP' : 'HTTPS') : 'TCP';
      const port = protocol === 'HTTPS' ? 443 : rng.pick([80, 8080, 3000]);
      const groups = registered && rng.chance(0.3) ? 2 : 1;
      for (let g = 0; g < groups; g++) newTargetGroup(`${team}-${index + 1}-tg${g + 1}`, protocol, port, [arn as string], registered, team);
    }
    loadBalancers.push(balancer);
  });

  // Target groups of deleted load balancers: they cost nothing and serve no load balancer.
  if (count >= 2) newTargetGroup(`${rng.pick(TEAMS)}-leftover-tg`, 'HTTP', 80, [], rng.chance(0.5), rng.pick(TEAMS));
  return { loadBalancers, targetGroups };
}
