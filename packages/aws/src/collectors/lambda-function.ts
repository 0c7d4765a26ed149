// Discovers Lambda functions (ListFunctions, 50 per page) and their tags (ListTags, which ListFunctions omits).
import { ListTagsCommand, paginateListFunctions, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaFunction, Tags } from '@finops/core';
import type { AwsLogger, AwsScope } from '../types.js';
import { Semaphore } from '../map-limit.js';
import type { Collector } from './collector.js';
import { isoTime, numberOr, oneOf } from './normalize.js';
import { optionalTagReader } from './optional-tags.js';
import { forEachPage } from './sdk-calls.js';

/** Lambda's page maximum for ListFunctions. */
export const LAMBDA_PAGE_SIZE = 50;
/**
 * ListTags calls in flight per account and region. The Lambda control plane allows 15 requests/s in total and the
 * rate limiter paces every attempt below that. On a busy 2-core machine a call's round trip was 120–130 ms beside
 * 50–100 ms of AWS latency: at 4 in flight a 600-function partition's ListTags ran about 2 s behind the bucket's
 * pace (100k bench); at 8 they kept up with it, each caller waiting ~430 ms for its reserved slot.
 */
const TAG_CONCURRENCY = 8;

export const lambdaFunctionCollector: Collector<LambdaFunction> = {
  kind: 'lambda-function',
  permissions: ['lambda:ListFunctions', 'lambda:ListTags'],
  callsPerResource: true,
  async collect({ scope, client, logger, listed }) {
    const lambda = await client('lambda');
    const tags = functionTags(lambda, scope, logger);
    // Normalized as each page arrives: the SDK's configurations (five nested objects and a dozen strings each) are
    // not held while the tags are read, which takes a 600-function partition 40 s at the control plane's 15 calls/s.
    const functions: LambdaFunction[] = [];
    const discoveredAt = new Date().toISOString();
    try {
      // Each page's ListTags calls start as it arrives: the control plane's bucket is busy from the first page on,
      // not idle for the 4–5 s a partition's pages take while the machine is busy with every other listing.
      await forEachPage(scope, 'lambda:ListFunctions', paginateListFunctions({ client: lambda, pageSize: LAMBDA_PAGE_SIZE }, {}), (page) => {
        for (const fn of page.Functions ?? []) {
          if (!fn.FunctionName) continue;
          functions.push(toLambdaFunction(fn, {}, scope, discoveredAt));
          tags.read(fn.FunctionArn);
        }
      });
    } catch (error) {
      tags.cancel();
      throw error;
    }
    // Metrics need only the functions' names: they are fetched while the tags are read.
    const [, tagged] = await Promise.all([listed(functions), tags.all()]);
    return functions.map((fn, index) => withTags(fn, tagged[index] ?? {}));
  },
};

/**
 * The tags of each function whose ARN is handed to `read`, in order, with at most TAG_CONCURRENCY calls in flight;
 * untagged (with one warning) when ListTags is refused. `cancel` leaves the reads not yet started untagged.
 */
function functionTags(lambda: LambdaClient, scope: AwsScope, logger: AwsLogger) {
  const reader = optionalTagReader(scope, 'lambda:ListTags', 'Lambda functions', logger);
  const gate = new Semaphore(TAG_CONCURRENCY);
  const reads: Promise<Tags>[] = [];
  let cancelled = false;
  return {
    read(arn: string | undefined): void {
      reads.push(
        gate.run(async () => {
          if (cancelled || !arn) return {};
          const output = await reader.read(() => lambda.send(new ListTagsCommand({ Resource: arn })));
          return { ...output?.Tags };
        }),
      );
    },
    cancel(): void {
      cancelled = true;
    },
    all: (): Promise<Tags[]> => Promise.all(reads),
  };
}

/** A function listed untagged, with its tags. */
function withTags(fn: LambdaFunction, tags: Tags): LambdaFunction {
  return { ...fn, ...named(fn.id, tags) };
}

/** A function's name and tags: its Name tag names it, or its function name. */
function named(functionName: string, tags: Tags): Pick<LambdaFunction, 'name' | 'tags'> {
  return { name: tags.Name || functionName, tags };
}

export function toLambdaFunction(fn: FunctionConfiguration, tags: Tags, scope: AwsScope, discoveredAt: string): LambdaFunction {
  const name = fn.FunctionName ?? '';
  return {
    kind: 'lambda-function',
    id: name,
    arn: fn.FunctionArn,
    accountId: scope.accountId,
    region: scope.region,
    ...named(name, tags),
    // 128 MB and 3 s are Lambda's own defaults when a function does not state them.
    memoryMb: numberOr(fn.MemorySize, 128),
    architecture: oneOf(fn.Architectures?.[0], ['x86_64', 'arm64'] as const, 'x86_64'),
    runtime: fn.Runtime,
    timeoutSec: numberOr(fn.Timeout, 3),
    lastModified: isoTime(fn.LastModified, discoveredAt),
    packageType: fn.PackageType === 'Image' || fn.PackageType === 'Zip' ? fn.PackageType : undefined,
  };
}
