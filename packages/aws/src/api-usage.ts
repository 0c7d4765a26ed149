// API usage accounting: every SDK attempt made inside withApiUsage() is counted, and what it costs is estimated.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApiCallCounts } from '@finops/core';
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';
import { errorCodeOf, isThrottlingError } from './errors.js';
import type { AwsScope } from './types.js';

export interface ApiUsage {
  /** Attempts by `<service>.<Operation>` (`ec2.DescribeInstances`), retries included. */
  calls: ApiCallCounts;
  /** Attempts AWS answered with a throttling error. */
  throttled: number;
  /** Metric queries of successful GetMetricData calls: what CloudWatch bills. */
  metricsRequested: number;
  /** Successful Cost Explorer requests (each page is one billed request). */
  costExplorerRequests: number;
}

export function emptyApiUsage(): ApiUsage {
  return { calls: {}, throttled: 0, metricsRequested: 0, costExplorerRequests: 0 };
}

export function mergeApiUsage(a: ApiUsage, b: ApiUsage): ApiUsage {
  const calls: ApiCallCounts = { ...a.calls };
  for (const [operation, count] of Object.entries(b.calls)) calls[operation] = (calls[operation] ?? 0) + count;
  return {
    calls,
    throttled: a.throttled + b.throttled,
    metricsRequested: a.metricsRequested + b.metricsRequested,
    costExplorerRequests: a.costExplorerRequests + b.costExplorerRequests,
  };
}

/** CloudWatch GetMetricData: $0.01 per 1,000 metrics requested (aws.amazon.com/cloudwatch/pricing; aws-facts.md §3). */
export const GET_METRIC_DATA_USD_PER_METRIC = 0.01 / 1000;
/** Cost Explorer API: $0.01 per request, every page counts (aws.amazon.com/aws-cost-management/pricing; aws-facts.md §3). */
export const COST_EXPLORER_USD_PER_REQUEST = 0.01;

/** What the counted calls cost the account owner. Describe/List calls are free. */
export function estimateApiCostUsd(usage: ApiUsage): number {
  return usage.metricsRequested * GET_METRIC_DATA_USD_PER_METRIC + usage.costExplorerRequests * COST_EXPLORER_USD_PER_REQUEST;
}

/** The collectors of the current async context: the innermost scope and every scope around it. */
const collectors = new AsyncLocalStorage<readonly ApiUsage[]>();

/**
 * Runs fn with an API-usage collector bound: every SDK attempt made inside, however deep and however concurrent, is
 * counted. Scopes nest: a call counts in its own scope and in every enclosing one; concurrent scopes never mix.
 *
 * @example const { result, usage } = await withApiUsage(() => access.discover('ebs-volume', scope));
 */
export async function withApiUsage<T>(fn: () => Promise<T>): Promise<{ result: T; usage: ApiUsage }> {
  const usage = emptyApiUsage();
  const chain = [...(collectors.getStore() ?? []), usage];
  const result = await collectors.run(chain, fn);
  return { result, usage };
}

/** What withApiUsageSettled returns: the value or the error, and the usage of every call made either way. */
export type SettledApiUsage<T> = { usage: ApiUsage } & ({ failed: false; value: T } | { failed: true; error: unknown });

/**
 * withApiUsage for work that may fail: a failure is returned, not thrown, with the usage of the calls made before
 * it — AWS received them (and a retried job's attempts must all be counted).
 */
export async function withApiUsageSettled<T>(fn: () => Promise<T>): Promise<SettledApiUsage<T>> {
  const { result, usage } = await withApiUsage(() =>
    fn().then(
      (value) => ({ failed: false as const, value }),
      (error: unknown) => ({ failed: true as const, error }),
    ),
  );
  return { ...result, usage };
}

function record(update: (usage: ApiUsage) => void): void {
  for (const usage of collectors.getStore() ?? []) update(usage);
}

/** `DescribeInstancesCommand` → `DescribeInstances`. */
function operationOf(commandName: string | undefined): string {
  if (!commandName) return 'Unknown';
  return commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
}

function metricQueryCount(input: unknown): number {
  const queries = (input as { MetricDataQueries?: unknown } | undefined)?.MetricDataQueries;
  return Array.isArray(queries) ? queries.length : 0;
}

export const API_USAGE_MIDDLEWARE_NAME = 'finopsApiUsageMiddleware';

/** One SDK attempt as a process-wide observer sees it (metrics, the operator's status page). */
export interface ApiCallEvent {
  service: string;
  operation: string;
  /** Present for clients of the client cache (every client the platform creates). */
  accountId?: string;
  region?: string;
  ok: boolean;
  /** The AWS error code of a failed attempt. */
  errorCode?: string;
  errorMessage?: string;
  throttled: boolean;
  /** Metric queries billed (successful GetMetricData). */
  metricsRequested: number;
  /** Billed Cost Explorer requests (0 or 1). */
  costExplorerRequests: number;
}

const observers = new Set<(event: ApiCallEvent) => void>();

/**
 * Calls `observer` after every SDK attempt in this process, whatever withApiUsage scope it ran in (or none).
 * Returns the function that removes it. An observer that throws is ignored: accounting never fails a call.
 *
 * @example const stop = observeApiCalls((e) => counter.inc({ service: e.service, operation: e.operation }));
 */
export function observeApiCalls(observer: (event: ApiCallEvent) => void): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

function emit(event: ApiCallEvent): void {
  for (const observer of observers) {
    try {
      observer(event);
    } catch {
      // See observeApiCalls.
    }
  }
}

/**
 * A plugin counting each attempt of every command of a client as `<service>.<Operation>`.
 *
 * It sits at finalizeRequest with low priority: after the retry middleware (finalizeRequest, high) and signing, so
 * it runs once per attempt, and before the deserialize step, where the response (or the simulator's answer) comes
 * from, so a throttling error is seen on its way back to the retry loop.
 */
export function apiUsagePlugin(service: string, scope?: AwsScope): Pluggable<object, MetadataBearer> {
  const middleware: FinalizeRequestMiddleware<object, MetadataBearer> =
    (next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
    async (args: FinalizeHandlerArguments<object>) => {
      const operation = operationOf(context.commandName);
      const key = `${service}.${operation}`;
      record((usage) => {
        usage.calls[key] = (usage.calls[key] ?? 0) + 1;
      });
      const base = { service, operation, accountId: scope?.accountId, region: scope?.region };
      try {
        const output = await next(args);
        const metrics = service === 'cloudwatch' && operation === 'GetMetricData' ? metricQueryCount(args.input) : 0;
        if (metrics) {
          record((usage) => {
            usage.metricsRequested += metrics;
          });
        }
        if (service === 'ce') {
          record((usage) => {
            usage.costExplorerRequests += 1;
          });
        }
        if (observers.size) emit({ ...base, ok: true, throttled: false, metricsRequested: metrics, costExplorerRequests: service === 'ce' ? 1 : 0 });
        return output;
      } catch (error) {
        const throttled = isThrottlingError(error);
        if (throttled) {
          record((usage) => {
            usage.throttled += 1;
          });
        }
        if (observers.size) {
          emit({ ...base, ok: false, errorCode: errorCodeOf(error), errorMessage: (error as Error)?.message, throttled, metricsRequested: 0, costExplorerRequests: 0 });
        }
        throw error;
      }
    };
  return {
    applyToStack(stack) {
      stack.add(middleware, { step: 'finalizeRequest', priority: 'low', name: API_USAGE_MIDDLEWARE_NAME, override: true });
    },
  };
}
