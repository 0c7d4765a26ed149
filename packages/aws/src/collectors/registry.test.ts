// Contract test of the collector registry and the permissions derived from it.
import { RESOURCE_KINDS } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { DISCOVERY_PERMISSIONS } from '../permissions.js';
import { DB_INSTANCES_LISTING } from './rds-instance.js';
import { VOLUMES_LISTING } from './ebs-volume.js';
import { COLLECTORS, collectorFor, consumersOf, leadingKinds } from './index.js';

describe('collector registry', () => {
  it('has exactly one collector per resource kind', () => {
    const kinds = COLLECTORS.map((collector) => collector.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect([...kinds].sort()).toEqual([...RESOURCE_KINDS].sort());
    for (const kind of RESOURCE_KINDS) expect(collectorFor(kind).kind).toBe(kind);
  });

  it('leads with the kinds whose collectors call AWS once per resource (their permissions say which call)', () => {
    expect(leadingKinds()).toEqual(['lambda-function', 'load-balancer']);
    expect(collectorFor('lambda-function').permissions).toContain('lambda:ListTags');
    expect(collectorFor('load-balancer').permissions).toContain('elasticloadbalancing:DescribeTargetHealth');
  });

  it('declares IAM permissions as service:Action for every collector', () => {
    for (const collector of COLLECTORS) {
      expect(collector.permissions.length, collector.kind).toBeGreaterThan(0);
      for (const permission of collector.permissions) expect(permission).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+$/);
    }
  });

  it('declares each shared listing on every collector that reads it, with its action among the permissions', () => {
    for (const collector of COLLECTORS) {
      for (const listing of collector.sharedListings ?? []) {
        expect(collector.permissions, `${collector.kind} reads ${listing.name}`).toContain(listing.name);
        expect(consumersOf(listing)).toContain(collector.kind);
      }
    }
    expect(consumersOf(VOLUMES_LISTING)).toEqual(['ebs-volume', 'ebs-snapshot']);
    expect(consumersOf(DB_INSTANCES_LISTING)).toEqual(['rds-instance', 'rds-snapshot']);
  });

  it('lists discovery and metric permissions per kind', () => {
    expect(Object.keys(DISCOVERY_PERMISSIONS).sort()).toEqual([...RESOURCE_KINDS].sort());
    expect(DISCOVERY_PERMISSIONS['ebs-volume']).toEqual(['ec2:DescribeVolumes', 'cloudwatch:GetMetricData']);
    expect(DISCOVERY_PERMISSIONS['ebs-snapshot']).toEqual(['ec2:DescribeSnapshots', 'ec2:DescribeImages', 'ec2:DescribeVolumes']);
    expect(DISCOVERY_PERMISSIONS['elastic-ip']).not.toContain('cloudwatch:GetMetricData');
    expect(DISCOVERY_PERMISSIONS['lambda-function']).toContain('lambda:ListTags');
    expect(DISCOVERY_PERMISSIONS['nat-gateway']).toEqual(['ec2:DescribeNatGateways', 'cloudwatch:GetMetricData']);
    expect(DISCOVERY_PERMISSIONS['rds-snapshot']).toEqual(['rds:DescribeDBSnapshots', 'rds:DescribeDBInstances']);
    expect(DISCOVERY_PERMISSIONS['load-balancer']).toEqual([
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeInstanceHealth',
      'cloudwatch:GetMetricData',
    ]);
  });
});
