// A census of the simulated estate: what each listing serves per partition, the metric queries and the cost pages.
import { CALLER_ACCOUNT, createAwsAccess, fetchWindows, metricPlanFor, queryShape, type AwsAccess, type ClientPlugins, type QueryShape } from '@finops/aws';
import type { Config, Resource, ResourceKind } from '@finops/core';
import { costGroupings, costLookbackDays, kindsFor, metricSelection } from '@finops/pipeline';
import { createSimulatedAws } from '@finops/simulator';

/** One listing (an operation with one input, followed through every page) as the service served it. */
export interface ListingCensus {
  /** `ec2.DescribeInstances`. */
  operation: string;
  items: number;
  pages: number;
  /** Pages with no item but a next token: EC2 serves them now and then, and a caller has to follow them. */
  emptyPages: number;
}

/** The CloudWatch queries a partition needs, grouped by period and window: GetMetricData calls share a window. */
export interface MetricQueryGroup {
  periodSec: number;
  spanDays: number;
  queries: number;
  /**
   * Datapoints one query of this group asks for: its window over its period. spanDays × 86,400 / periodSec, but when
   * a kind's utilization window has a daily query, its queries start at the midnight before it: the hours since that
   * midnight more (10 at 10:30), one day more for a daily query.
   */
  pointsPerQuery: number;
}

export interface PartitionCensus {
  accountId: string;
  region: string;
  resources: Partial<Record<ResourceKind, number>>;
  /** Every distinct listing once, however often a collector repeats it. */
  listings: ListingCensus[];
  /** What per-resource calls depend on: functions to tag, target groups in use, classic load balancers with instances. */
  perResource: {
    lambdaFunctions: number;
    elbv2LoadBalancers: number;
    attachedTargetGroups: number;
    classicLoadBalancers: number;
    classicWithInstances: number;
  };
  metricGroups: MetricQueryGroup[];
}

export interface EstateCensus {
  partitions: PartitionCensus[];
  /** Cost Explorer requests as the service paged them, one entry per request set, plus the forecast. */
  costListings: ListingCensus[];
  /** How long the census took: mostly the simulator generating the estate, which every worker process repeats. */
  durationMs: number;
}

/** Fields holding the items of a listing's page, and whether the page's answer carries a next token. */
const PAGE_ITEMS: Readonly<Record<string, (output: Record<string, unknown>) => unknown[] | undefined>> = {
  'ec2.DescribeInstances': (o) => (o.Reservations as { Instances?: unknown[] }[] | undefined)?.flatMap((r) => r.Instances ?? []),
  'ec2.DescribeVolumes': (o) => o.Volumes as unknown[] | undefined,
  'ec2.DescribeSnapshots': (o) => o.Snapshots as unknown[] | undefined,
  'ec2.DescribeImages': (o) => o.Images as unknown[] | undefined,
  'ec2.DescribeNatGateways': (o) => o.NatGateways as unknown[] | undefined,
  'ec2.DescribeAddresses': (o) => o.Addresses as unknown[] | undefined,
  'rds.DescribeDBInstances': (o) => o.DBInstances as unknown[] | undefined,
  'rds.DescribeDBSnapshots': (o) => o.DBSnapshots as unknown[] | undefined,
  'lambda.ListFunctions': (o) => o.Functions as unknown[] | undefined,
  'elbv2.DescribeLoadBalancers': (o) => o.LoadBalancers as unknown[] | undefined,
  'elbv2.DescribeTargetGroups': (o) => o.TargetGroups as unknown[] | undefined,
  'elb.DescribeLoadBalancers': (o) => o.LoadBalancerDescriptions as unknown[] | undefined,
  'ce.GetCostAndUsage': (o) => o.ResultsByTime as unknown[] | undefined,
  'ce.GetDimensionValues': (o) => o.DimensionValues as unknown[] | undefined,
  'ce.GetCostForecast': () => [1],
};

const TOKEN_INPUTS = ['NextToken', 'Marker', 'NextPageToken', 'MaxResults', 'MaxRecords', 'PageSize', 'MaxItems'];
const TOKEN_OUTPUTS = ['NextToken', 'NextMarker', 'Marker', 'NextPageToken'];

/** Records every page a listing serves, keyed by partition and the request without its paging fields. */
class ListingRecorder {
  readonly #listings = new Map<string, ListingCensus & { partition: string; done: boolean }>();
  readonly targetGroups = new Map<string, number>();
  readonly classicWithInstances = new Map<string, number>();

  record(partition: string, operation: string, input: Record<string, unknown>, output: Record<string, unknown>): void {
    const pick = PAGE_ITEMS[operation];
    if (!pick) return;
    const request = Object.fromEntries(Object.entries(input).filter(([key]) => !TOKEN_INPUTS.includes(key)));
    const key = `${partition}|${operation}|${JSON.stringify(request)}`;
    const first = !TOKEN_INPUTS.slice(0, 3).some((field) => input[field]);
    let listing = this.#listings.get(key);
    // A listing repeated from its first page (two collectors reading volumes) is counted once.
    if (listing?.done && first) return;
    if (!listing) {
      listing = { partition, operation, items: 0, pages: 0, emptyPages: 0, done: false };
      this.#listings.set(key, listing);
    }
    const items = pick(output) ?? [];
    const more = TOKEN_OUTPUTS.some((field) => typeof output[field] === 'string' && output[field] !== '');
    listing.pages += 1;
    listing.items += items.length;
    if (items.length === 0 && more) listing.emptyPages += 1;
    if (!more) listing.done = true;
    if (operation === 'elbv2.DescribeTargetGroups') {
      const attached = (items as { LoadBalancerArns?: unknown[] }[]).filter((g) => (g.LoadBalancerArns?.length ?? 0) > 0).length;
      this.targetGroups.set(partition, (this.targetGroups.get(partition) ?? 0) + attached);
    }
    if (operation === 'elb.DescribeLoadBalancers') {
      const withInstances = (items as { Instances?: unknown[] }[]).filter((b) => (b.Instances?.length ?? 0) > 0).length;
      this.classicWithInstances.set(partition, (this.classicWithInstances.get(partition) ?? 0) + withInstances);
    }
  }

  listings(partition: string): ListingCensus[] {
    return [...this.#listings.values()]
      .filter((listing) => listing.partition === partition)
      .map(({ operation, items, pages, emptyPages }) => ({ operation, items, pages, emptyPages }));
  }
}

type ClientPlugin = ReturnType<ClientPlugins>[number];

/**
 * Counts, without latency, throttling or rate limits, what the simulated account of `config` serves: each distinct
 * listing's items and pages per partition (read by the platform's own collectors, so inputs and filters match), the
 * metric queries the enabled checks need, and Cost Explorer's pages for the scan's cost question.
 */
export async function takeEstateCensus(config: Config, now = new Date()): Promise<EstateCensus> {
  const started = performance.now();
  const regions = config.aws.regions === 'all' ? [] : config.aws.regions;
  const simulator = createSimulatedAws({ ...config.simulation, latencyMs: { min: 0, max: 0 }, throttleRate: 0, rateLimits: false }, regions);
  const recorder = new ListingRecorder();
  const access: AwsAccess = createAwsAccess({
    aws: config.aws,
    credentials: { accessKeyId: 'ASIACENSUS0000000000', secretAccessKey: 'census-secret-access-key' },
    plugins: (scope) => {
      const accountId = scope.accountId === CALLER_ACCOUNT ? (simulator.accounts[0] as string) : scope.accountId;
      const partition = `${accountId}|${scope.region}`;
      const middleware =
        (next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) =>
        async (args: { input: Record<string, unknown> }) => {
          const result = await next(args);
          const operation = `${scope.service}.${(context.commandName ?? '').replace(/Command$/, '')}`;
          recorder.record(partition, operation, args.input, result.output);
          return result;
        };
      const census: ClientPlugin = {
        applyToStack(stack) {
          // After the simulator has answered (it sits at deserialize), before the answer leaves the client.
          stack.add(middleware as never, { step: 'finalizeRequest', priority: 'low', name: 'benchCensus', override: true });
        },
      };
      return [simulator.plugin({ ...scope, accountId }), census];
    },
  });
  try {
    const kinds = kindsFor(config);
    const partitions: PartitionCensus[] = [];
    for (const accountId of simulator.accounts) {
      for (const region of regions) {
        const resources: Resource[] = [];
        for (const kind of kinds) resources.push(...(await access.discover(kind, { accountId, region }, { scanId: 'census' })));
        const partition = `${accountId}|${region}`;
        const listings = recorder.listings(partition);
        const items = (operation: string) => listings.filter((l) => l.operation === operation).reduce((sum, l) => sum + l.items, 0);
        partitions.push({
          accountId,
          region,
          resources: countByKind(resources),
          listings,
          perResource: {
            lambdaFunctions: items('lambda.ListFunctions'),
            elbv2LoadBalancers: items('elbv2.DescribeLoadBalancers'),
            attachedTargetGroups: recorder.targetGroups.get(partition) ?? 0,
            classicLoadBalancers: items('elb.DescribeLoadBalancers'),
            classicWithInstances: recorder.classicWithInstances.get(partition) ?? 0,
          },
          metricGroups: metricQueryGroups(config, resources, now),
        });
      }
    }
    let costListings: ListingCensus[] = [];
    if (config.costs.enabled) {
      await access.fetchCosts({ lookbackDays: costLookbackDays(config, now), granularity: 'DAILY', groupings: costGroupings(config), accounts: simulator.accounts, now });
      const caller = `${simulator.accounts[0]}|us-east-1`;
      costListings = recorder.listings(caller).filter((listing) => listing.operation.startsWith('ce.'));
    }
    return { partitions, costListings, durationMs: Math.round(performance.now() - started) };
  } finally {
    access.close();
  }
}

function countByKind(resources: readonly Resource[]): Partial<Record<ResourceKind, number>> {
  const counts: Partial<Record<ResourceKind, number>> = {};
  for (const resource of resources) counts[resource.kind] = (counts[resource.kind] ?? 0) + 1;
  return counts;
}

/**
 * The GetMetricData queries of a partition, as the enabled checks need them and the platform shapes them (queryShape,
 * fetchWindows): one per (resource, metric), at the utilization period over the utilization window (daily for metrics
 * read only per day), daily over the "unused" window, and over the longer window when a metric serves both (one
 * metric billed instead of two). Windows are those of one fetch per kind, as the analysis jobs fetch: a kind with a
 * daily utilization query (EC2 network) moves its hourly ones to the midnight before, and they count those hours.
 */
export function metricQueryGroups(config: Config, resources: readonly Resource[], now: Date): MetricQueryGroup[] {
  const select = metricSelection(config);
  const { lookbackDays, metricPeriodSec, unusedLookbackDays } = config.optimization;
  const windows = { lookbackDays, periodSec: metricPeriodSec, unusedLookbackDays };
  // Queries per shape, per kind: one shape object per distinct shape of a kind.
  const byKind = new Map<ResourceKind, Map<string, { shape: QueryShape; queries: number }>>();
  for (const resource of resources) {
    const plan = metricPlanFor(resource);
    if (!plan) continue;
    for (const definition of plan.metrics) {
      const utilization = select.utilization[resource.kind]?.includes(definition.metric) ?? false;
      const unused = select.unused?.metrics[resource.kind]?.includes(definition.metric) ?? false;
      if (!utilization && !unused) continue;
      const shape = queryShape(definition, { utilization, unused }, windows);
      const key = `${shape.periodSec}|${shape.spanDays}|${shape.utilization}`;
      const shapes = byKind.get(resource.kind) ?? new Map<string, { shape: QueryShape; queries: number }>();
      byKind.set(resource.kind, shapes);
      const counted = shapes.get(key) ?? { shape, queries: 0 };
      shapes.set(key, counted);
      counted.queries += 1;
    }
  }
  const groups = new Map<string, MetricQueryGroup>();
  for (const shapes of byKind.values()) {
    const counted = [...shapes.values()];
    const fetched = fetchWindows(now, counted.map(({ shape }) => shape), windows);
    for (const { shape, queries } of counted) {
      const window = fetched.get(shape) as { start: Date; end: Date };
      const key = `${shape.periodSec}|${window.start.getTime()}|${window.end.getTime()}`;
      let group = groups.get(key);
      if (!group) {
        const pointsPerQuery = Math.ceil((window.end.getTime() - window.start.getTime()) / (shape.periodSec * 1000));
        group = { periodSec: shape.periodSec, spanDays: shape.spanDays, queries: 0, pointsPerQuery };
        groups.set(key, group);
      }
      group.queries += queries;
    }
  }
  return [...groups.values()];
}
