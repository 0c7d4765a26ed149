// The collector registry: one collector per resource kind, listed explicitly (no folder scanning at run time).
import type { ResourceKind } from '@finops/core';
import type { Collector, SharedListing } from './collector.js';
import { ebsSnapshotCollector } from './ebs-snapshot.js';
import { ebsVolumeCollector } from './ebs-volume.js';
import { ec2InstanceCollector } from './ec2-instance.js';
import { elasticIpCollector } from './elastic-ip.js';
import { lambdaFunctionCollector } from './lambda-function.js';
import { loadBalancerCollector } from './load-balancer.js';
import { natGatewayCollector } from './nat-gateway.js';
import { rdsInstanceCollector } from './rds-instance.js';
import { rdsSnapshotCollector } from './rds-snapshot.js';

export const COLLECTORS: readonly Collector[] = [
  ec2InstanceCollector,
  ebsVolumeCollector,
  ebsSnapshotCollector,
  elasticIpCollector,
  rdsInstanceCollector,
  lambdaFunctionCollector,
  natGatewayCollector,
  loadBalancerCollector,
  rdsSnapshotCollector,
];

/** The collector of a kind. Throws when the registry has none: the contract test keeps that from shipping. */
export function collectorFor(kind: ResourceKind): Collector {
  const collector = COLLECTORS.find((candidate) => candidate.kind === kind);
  if (!collector) throw new Error(`no collector is registered for resource kind "${kind}" (packages/aws/src/collectors/index.ts)`);
  return collector;
}

/** The kinds whose collectors make a call per resource: the longest listings, which a scan starts first. */
export function leadingKinds(): ResourceKind[] {
  return COLLECTORS.filter((collector) => collector.callsPerResource).map((collector) => collector.kind);
}

/** The kinds whose collectors read a shared listing. */
export function consumersOf(listing: SharedListing<unknown>): ResourceKind[] {
  return COLLECTORS.filter((collector) => collector.sharedListings?.includes(listing)).map((collector) => collector.kind);
}

export type { Collector, CollectorContext, SharedListing } from './collector.js';
export { SharedListings, type SharedListingReader, type SharedListingsOptions } from './shared-listings.js';
