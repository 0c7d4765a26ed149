// The shape of a discovery collector: one resource kind, the IAM actions it needs, and a function that lists it.
import type { Resource } from '@finops/core';
import type { ServiceClient, ServiceId } from '../clients.js';
import type { AwsLogger, AwsScope } from '../types.js';

export interface CollectorContext {
  scope: AwsScope;
  /** The cached client of a service in this scope's account and region. */
  client<S extends ServiceId>(service: S): Promise<ServiceClient<S>>;
  logger: AwsLogger;
}

export interface Collector<R extends Resource = Resource> {
  kind: R['kind'];
  /** IAM actions the collector calls, e.g. `ec2:DescribeSnapshots`. */
  permissions: readonly string[];
  /** The full, paginated inventory of the kind in the context's account and region. Throws AwsAccessError. */
  collect(context: CollectorContext): Promise<R[]>;
}
