// Discovers Lambda functions (ListFunctions, 50 per page) and their tags (ListTags, which ListFunctions omits).
import { ListTagsCommand, paginateListFunctions, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaFunction, Tags } from '@finops/core';
import type { AwsLogger, AwsScope } from '../types.js';
import { mapLimit } from '../map-limit.js';
import type { Collector } from './collector.js';
import { isoTime, numberOr, oneOf } from './normalize.js';
import { optionalTagReader } from './optional-tags.js';
import { collectPages } from './sdk-calls.js';

/** Lambda's page maximum for ListFunctions. */
export const LAMBDA_PAGE_SIZE = 50;
/**
 * ListTags calls in flight per account and region. The Lambda control plane allows 15 requests/s in total and the
 * rate limiter paces every attempt below that; at 50–100 ms a call, 4 in flight keep its bucket busy.
 */
const TAG_CONCURRENCY = 4;

export const lambdaFunctionCollector: Collector<LambdaFunction> = {
  kind: 'lambda-function',
  permissions: ['lambda:ListFunctions', 'lambda:ListTags'],
  callsPerResource: true,
  async collect({ scope, client, logger, listed }) {
    const lambda = await client('lambda');
    const functions = (
      await collectPages(
        scope,
        'lambda:ListFunctions',
        paginateListFunctions({ client: lambda, pageSize: LAMBDA_PAGE_SIZE }, {}),
        (page) => page.Functions,
      )
    ).filter((fn) => fn.FunctionName);
    const discoveredAt = new Date().toISOString();
    // Metrics need only the functions' names: they are fetched while the tags are read.
    const [, tags] = await Promise.all([listed(functions.map((fn) => toLambdaFunction(fn, {}, scope, discoveredAt))), functionTags(lambda, functions, scope, logger)]);
    return functions.map((fn, index) => toLambdaFunction(fn, tags[index] ?? {}, scope, discoveredAt));
  },
};

/** Tags of each function, in order; untagged (with one warning) when ListTags is refused. */
async function functionTags(
  lambda: LambdaClient,
  functions: readonly FunctionConfiguration[],
  scope: AwsScope,
  logger: AwsLogger,
): Promise<Tags[]> {
  const reader = optionalTagReader(scope, 'lambda:ListTags', 'Lambda functions', logger);
  return mapLimit(functions, TAG_CONCURRENCY, async (fn) => {
    if (!fn.FunctionArn) return {};
    const output = await reader.read(() => lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn })));
    return { ...output?.Tags };
  });
}

export function toLambdaFunction(fn: FunctionConfiguration, tags: Tags, scope: AwsScope, discoveredAt: string): LambdaFunction {
  const name = fn.FunctionName ?? '';
  return {
    kind: 'lambda-function',
    id: name,
    arn: fn.FunctionArn,
    accountId: scope.accountId,
    region: scope.region,
    name: tags.Name || name,
    tags,
    // 128 MB and 3 s are Lambda's own defaults when a function does not state them.
    memoryMb: numberOr(fn.MemorySize, 128),
    architecture: oneOf(fn.Architectures?.[0], ['x86_64', 'arm64'] as const, 'x86_64'),
    runtime: fn.Runtime,
    timeoutSec: numberOr(fn.Timeout, 3),
    lastModified: isoTime(fn.LastModified, discoveredAt),
    packageType: fn.PackageType === 'Image' || fn.PackageType === 'Zip' ? fn.PackageType : undefined,
  };
}
