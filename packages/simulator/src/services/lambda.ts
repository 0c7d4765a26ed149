// Lambda ListFunctions (Marker/NextMarker, at most 50 functions a page) and ListTags in the SDK's response shapes.
import { serviceError } from '../aws-error.js';
import type { OperationHandler } from '../call-context.js';
import { lambdaTimestamp } from '../clock.js';
import { InputReader } from '../input-reader.js';
import { paginate } from '../paging.js';
import { hashString } from '../prng.js';
import type { SimFunction } from '../estate-types.js';

function sha256Like(text: string): string {
  const words = [1, 2, 3, 4, 5, 6, 7, 8].map((salt) => hashString(text, salt));
  return Buffer.from(new Uint32Array(words).buffer).toString('base64');
}

/** A function's configuration as ListFunctions and GetFunctionConfiguration answer it. */
export function functionShape(fn: SimFunction, region: string, accountId: string) {
  return {
    FunctionName: fn.name,
    FunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${fn.name}`,
    Runtime: fn.runtime,
    Role: `arn:aws:iam::${accountId}:role/${fn.name}-role`,
    Handler: fn.handler,
    CodeSize: fn.codeSize,
    Description: fn.description,
    Timeout: fn.timeoutSec,
    MemorySize: fn.memoryMb,
    LastModified: lambdaTimestamp(fn.lastModified),
    CodeSha256: sha256Like(`${fn.name}|${fn.lastModified}`),
    Version: '$LATEST',
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: `${hashString(fn.name, 9).toString(16).padStart(8, '0')}-0000-4000-8000-${hashString(fn.name, 10).toString(16).padStart(12, '0')}`,
    PackageType: 'Zip',
    Architectures: [fn.architecture],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

const listFunctions: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const partition = call.estate.partition(call.accountId, call.region);
  // FunctionVersion ALL would list published versions too; the simulated functions have only $LATEST.
  const version = reader.string('FunctionVersion');
  if (version !== undefined && version !== 'ALL') reader.fail(`1 validation error detected: Value '${version}' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]`);
  reader.string('MasterRegion');
  // AWS accepts MaxItems up to 10,000 but never returns more than 50 functions in one page.
  const { page, nextToken } = paginate(call, reader, partition.functions, {
    tokenField: 'Marker',
    sizeField: 'MaxItems',
    range: { min: 1, max: 10000 },
    defaultSize: 50,
    maxServed: 50,
  });
  return {
    Functions: page.map((fn) => functionShape(fn, call.region, call.accountId)),
    ...(nextToken ? { NextMarker: nextToken } : {}),
  };
};

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` */
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::[$\w-]+)?$/;

/** ListTags: the function's tags, by ARN (ListFunctions does not return them). */
const listTags: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const resource = reader.requiredString('Resource');
  const match = FUNCTION_ARN.exec(resource);
  if (!match) return reader.fail(`1 validation error detected: Value '${resource}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:lambda:…`);
  const [, region, accountId, name] = match;
  const fn = region === call.region && accountId === call.accountId ? call.estate.partition(call.accountId, call.region).functionByName.get(name) : undefined;
  if (!fn) throw serviceError('ResourceNotFoundException', `Function not found: ${resource}`, call.requestId, 404);
  return { Tags: { ...fn.tags } };
};

export const lambdaOperations: Record<string, OperationHandler> = {
  ListFunctions: listFunctions,
  ListTags: listTags,
};
