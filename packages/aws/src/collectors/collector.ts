// The shape of a discovery collector: one resource kind, the IAM actions it needs, and a function that lists it.
import type { Resource } from '@finops/core';
import type { ServiceClient, ServiceId } from '../clients.js';
import type { AwsLogger, AwsScope } from '../types.js';

/**
 * A listing that more than one collector reads, e.g. every EBS volume of a region: the volume collector for the
 * volumes, the snapshot collector to see which source volumes still exist. Collectors of one scan's partition that
 * read it in the same process share one listing (see SharedListings).
 */
export interface SharedListing<T> {
  /** The IAM action of the listing, which names it: `ec2:DescribeVolumes`. */
  name: string;
  /** Every item of the listing in the context's account and region, all pages. */
  list(context: Pick<CollectorContext, 'scope' | 'client'>): Promise<readonly T[]>;
}

export interface CollectorContext {
  scope: AwsScope;
  /** The cached client of a service in this scope's account and region. */
  client<S extends ServiceId>(service: S): Promise<ServiceClient<S>>;
  /**
   * The items of a shared listing the collector declares in `sharedListings`: listed once per scan, account and
   * region by whichever collector needs it first, or by this one when no scan is named. Read-only: other
   * collectors hold the same items.
   */
  shared<T>(listing: SharedListing<T>): Promise<readonly T[]>;
  /**
   * A collector with `callsPerResource` calls this once its pages are read, with the resources as listed (before the
   * per-resource calls complete them), so that work needing only their ids (their metrics) need not wait for those
   * calls. Its promise settles when that work is queued; a rejection fails the discovery.
   */
  listed(resources: readonly Resource[]): Promise<void>;
  logger: AwsLogger;
}

export interface Collector<R extends Resource = Resource> {
  kind: R['kind'];
  /** IAM actions the collector calls, e.g. `ec2:DescribeSnapshots`. */
  permissions: readonly string[];
  /**
   * The collector makes a rate-limited call per resource after its pages (Lambda's ListTags, a target group's
   * DescribeTargetHealth): its chain grows with the estate and is the longest of a partition, so a scan starts its
   * discovery jobs before the other kinds' (leadingKinds).
   */
  callsPerResource?: true;
  /** The shared listings `collect` reads through `context.shared`; their actions are among `permissions`. */
  sharedListings?: readonly SharedListing<unknown>[];
  /** The full, paginated inventory of the kind in the context's account and region. Throws AwsAccessError. */
  collect(context: CollectorContext): Promise<R[]>;
}
