// Which CloudWatch metric, dimension and namespace each resource is asked for, load balancers by type.
import type { EbsVolume, LoadBalancer, NatGateway, Resource } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { SCOPE } from '../__fixtures__/test-access.js';
import { EBS_DAILY_OPS, KIND_METRICS, kindHasMetrics, LOAD_BALANCER_METRICS, loadBalancerDimension, metricPlanFor } from './metric-definitions.js';

const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer';

function balancer(type: LoadBalancer['type'], id: string, arn?: string): LoadBalancer {
  return {
    kind: 'load-balancer',
    id,
    ...(arn ? { arn } : {}),
    accountId: SCOPE.accountId,
    region: SCOPE.region,
    tags: {},
    type,
    scheme: 'internet-facing',
    state: 'active',
    createdTime: '2024-01-01T00:00:00.000Z',
    availabilityZones: [],
    targetGroups: 0,
    registeredTargets: 0,
    healthyTargets: 0,
  };
}

const plan = (resource: Resource) => {
  const found = metricPlanFor(resource);
  return found && { dimension: found.dimension, metrics: found.metrics.map((m) => `${m.namespace} ${m.metricName} ${m.stat}${m.period ? ` ${m.period}` : ''} → ${m.metric}`) };
};

describe('metric definitions', () => {
  it('asks each load balancer type its own namespace, by the ARN tail or the classic name', () => {
    expect(plan(balancer('application', `${ARN}/app/web/50dc6c495c0c9188`, `${ARN}/app/web/50dc6c495c0c9188`))).toEqual({
      dimension: { name: 'LoadBalancer', value: 'app/web/50dc6c495c0c9188' },
      metrics: ['AWS/ApplicationELB RequestCount Sum daily → lbRequestCount'],
    });
    expect(plan(balancer('network', `${ARN}/net/tcp/73e2d6bc24d8a067`, `${ARN}/net/tcp/73e2d6bc24d8a067`))).toEqual({
      dimension: { name: 'LoadBalancer', value: 'net/tcp/73e2d6bc24d8a067' },
      metrics: ['AWS/NetworkELB NewFlowCount Sum daily → lbNewFlowCount'],
    });
    expect(plan(balancer('gateway', `${ARN}/gwy/fw/1a2b3c4d5e6f7a8b`, `${ARN}/gwy/fw/1a2b3c4d5e6f7a8b`))?.metrics).toEqual([
      'AWS/GatewayELB NewFlowCount Sum daily → lbNewFlowCount',
    ]);
    expect(plan(balancer('classic', 'legacy-shop'))).toEqual({
      dimension: { name: 'LoadBalancerName', value: 'legacy-shop' },
      metrics: ['AWS/ELB RequestCount Sum daily → lbRequestCount'],
    });
    // An elbv2 load balancer whose ARN cannot be read has no CloudWatch identity: nothing is asked.
    expect(metricPlanFor(balancer('application', 'web'))).toBeUndefined();
  });

  it('asks NAT gateways for bytes both ways by NatGatewayId', () => {
    const gateway: NatGateway = {
      kind: 'nat-gateway',
      id: 'nat-0a1b2c3d4e5f60001',
      accountId: SCOPE.accountId,
      region: SCOPE.region,
      tags: {},
      state: 'available',
      connectivityType: 'public',
      createTime: '2024-01-01T00:00:00.000Z',
      publicIps: [],
    };
    expect(plan(gateway)).toEqual({
      dimension: { name: 'NatGatewayId', value: 'nat-0a1b2c3d4e5f60001' },
      metrics: ['AWS/NATGateway BytesOutToDestination Sum → natBytesOutToDestination', 'AWS/NATGateway BytesOutToSource Sum → natBytesOutToSource'],
    });
  });

  it('asks a volume with provisioned IOPS for hourly operations, any other volume for daily totals', () => {
    const volume = (volumeType: EbsVolume['volumeType']): EbsVolume => ({
      kind: 'ebs-volume',
      id: 'vol-0123456789abcdef0',
      accountId: SCOPE.accountId,
      region: SCOPE.region,
      tags: {},
      volumeType,
      sizeGiB: 100,
      iops: 3000,
      state: 'in-use',
      attachments: [],
      encrypted: true,
      createTime: '2024-01-01T00:00:00.000Z',
      availabilityZone: `${SCOPE.region}a`,
    });
    for (const type of ['io1', 'io2'] as const) {
      expect(plan(volume(type))).toEqual({
        dimension: { name: 'VolumeId', value: 'vol-0123456789abcdef0' },
        metrics: ['AWS/EBS VolumeReadOps Sum → ebsReadOps', 'AWS/EBS VolumeWriteOps Sum → ebsWriteOps'],
      });
    }
    for (const type of ['gp2', 'gp3', 'st1', 'sc1', 'standard'] as const) {
      expect(plan(volume(type))?.metrics).toEqual(['AWS/EBS VolumeReadOps Sum daily → ebsReadOps', 'AWS/EBS VolumeWriteOps Sum daily → ebsWriteOps']);
    }
  });

  it('fetches daily only Sum metrics that checks read as per-day totals', () => {
    const all = [...Object.values(KIND_METRICS), ...Object.values(LOAD_BALANCER_METRICS), { metrics: EBS_DAILY_OPS }].flatMap((kind) => kind.metrics);
    const daily = all.filter((m) => m.period === 'daily');
    // A day's Sum is the total of its hours; a day's Average or Maximum would not give back an hourly p99 or peak.
    expect(daily.every((m) => m.stat === 'Sum')).toBe(true);
    // ec2-idle-instance reads network only per day; elb-idle-load-balancer reads requests and flows only per day;
    // ebs-idle-volume reads operations per day (io1/io2 volumes' are hourly: their peak hour is read too).
    expect([...new Set(daily.map((m) => m.metric))]).toEqual(['networkInBytes', 'networkOutBytes', 'lbRequestCount', 'lbNewFlowCount', 'ebsReadOps', 'ebsWriteOps']);
  });

  it('knows which kinds publish utilization', () => {
    expect(['load-balancer', 'nat-gateway', 'ec2-instance'].every((kind) => kindHasMetrics(kind as Resource['kind']))).toBe(true);
    expect(['rds-snapshot', 'ebs-snapshot', 'elastic-ip'].some((kind) => kindHasMetrics(kind as Resource['kind']))).toBe(false);
  });

  it('reads the LoadBalancer dimension from an ARN only', () => {
    expect(loadBalancerDimension(`${ARN}/app/my-alb/50dc6c495c0c9188`)).toBe('app/my-alb/50dc6c495c0c9188');
    expect(loadBalancerDimension('arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/tg/6d0ecf831eec9f09')).toBeUndefined();
    expect(loadBalancerDimension('my-alb')).toBeUndefined();
  });
});
