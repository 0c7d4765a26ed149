// Lambda operations remediation needs: read one function (and its package), update its memory or its architecture.
import { serviceError } from '../aws-error.js';
import type { CallContext } from '../call-context.js';
import type { Partition, SimFunction } from '../estate-types.js';
import { InputReader } from '../input-reader.js';
import { functionShape } from '../services/lambda.js';
import type { MutationHandler } from './mutation-layer.js';
import type { SimRecord } from './mutation-store.js';
import { hashString } from '../prng.js';
import { packageLocation } from './simulated-package.js';

/** FunctionName takes a name, a partial ARN or a full ARN. */
function lambdaFunction(call: CallContext, partition: Partition, reader: InputReader): SimFunction {
  const given = reader.requiredString('FunctionName');
  const name = given.includes(':function:') ? given.split(':function:')[1]?.split(':')[0] ?? given : given;
  const found = partition.functionByName.get(name);
  if (!found) {
    throw serviceError('ResourceNotFoundException', `Function not found: arn:aws:lambda:${call.region}:${call.accountId}:function:${name}`, call.requestId, 404);
  }
  return found;
}

/** The configuration GetFunctionConfiguration answers: every simulated function is Active, its last update done. */
function configuration(fn: SimFunction, call: CallContext, lastUpdateStatus: 'Successful' | 'InProgress' = 'Successful') {
  return { ...functionShape(fn, call.region, call.accountId), State: 'Active', LastUpdateStatus: lastUpdateStatus };
}

/** Lambda refuses an update made against an older revision of the function. */
function checkRevision(call: CallContext, reader: InputReader, fn: SimFunction): void {
  const revision = reader.string('RevisionId');
  if (revision !== undefined && revision !== configuration(fn, call).RevisionId) {
    throw serviceError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', call.requestId, 412);
  }
}

const getFunctionConfiguration: MutationHandler = ({ call, partition }) => ({
  output: configuration(lambdaFunction(call, partition, new InputReader(call)), call),
  changes: [],
});

const getFunction: MutationHandler = ({ call, partition }) => {
  const fn = lambdaFunction(call, partition, new InputReader(call));
  return {
    output: { Configuration: configuration(fn, call), Code: { RepositoryType: 'S3', Location: packageLocation(fn) }, Tags: { ...fn.tags } },
    changes: [],
  };
};

const updateFunctionConfiguration: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const fn = lambdaFunction(call, partition, reader);
  checkRevision(call, reader, fn);
  const memory = reader.integer('MemorySize', { min: 128, max: 10240 });
  const timeout = reader.integer('Timeout', { min: 1, max: 900 });
  if (memory === undefined && timeout === undefined) reader.fail('The simulated UpdateFunctionConfiguration changes MemorySize and Timeout only');
  const patch = { ...(memory !== undefined ? { memoryMb: memory } : {}), ...(timeout !== undefined ? { timeoutSec: timeout } : {}), lastModified: call.nowMs };
  // The update completes at once: the first GetFunction of a waiter sees it Successful.
  return {
    output: configuration({ ...fn, ...patch }, call, 'InProgress'),
    changes: [{ op: 'patch', collection: 'functions', id: fn.name, patch }],
  };
};

const updateFunctionCode: MutationHandler = ({ call, partition }) => {
  const reader = new InputReader(call);
  const fn = lambdaFunction(call, partition, reader);
  checkRevision(call, reader, fn);
  const zip = call.input.ZipFile instanceof Uint8Array && call.input.ZipFile.byteLength > 0
    ? call.input.ZipFile
    : reader.fail('The simulated UpdateFunctionCode takes the package as ZipFile');
  const architectures = reader.stringList('Architectures');
  const wanted = architectures?.[0] ?? fn.architecture;
  const architecture: SimFunction['architecture'] =
    wanted === 'x86_64' || wanted === 'arm64' ? wanted : reader.fail(`Architectures must be [x86_64] or [arm64], not ${JSON.stringify(architectures)}`);
  const patch = { architecture, codeSize: zip.byteLength, lastModified: call.nowMs };
  return {
    output: configuration({ ...fn, ...patch }, call, 'InProgress'),
    changes: [{ op: 'patch', collection: 'functions', id: fn.name, patch }],
  };
};

const deleteFunction: MutationHandler = ({ call, partition }) => {
  const fn = lambdaFunction(call, partition, new InputReader(call));
  return { output: {}, changes: [{ op: 'delete', collection: 'functions', id: fn.name, record: fn as unknown as SimRecord }] };
};

/**
 * CreateFunction, from a ZipFile. Created again under the name of a function this partition deleted, it keeps that
 * function's behaviour (its metrics), as the same code would.
 */
const createFunction: MutationHandler = ({ call, partition, overlay }) => {
  const reader = new InputReader(call);
  const name = reader.requiredString('FunctionName');
  if (partition.functionByName.has(name)) throw serviceError('ResourceConflictException', `Function already exist: ${name}`, call.requestId, 409);
  const code = reader.object('Code');
  const zip = code?.ZipFile instanceof Uint8Array && code.ZipFile.byteLength > 0 ? code.ZipFile : reader.fail('The simulated CreateFunction takes the package as Code.ZipFile');
  const runtime = reader.requiredString('Runtime');
  reader.requiredString('Role');
  const wanted = reader.stringList('Architectures')?.[0] ?? 'x86_64';
  const architecture: SimFunction['architecture'] = wanted === 'arm64' || wanted === 'x86_64' ? wanted : reader.fail(`Architectures must be [x86_64] or [arm64]`);
  const entry = overlay.entries[`functions/${name}`];
  const earlier = entry && 'deleted' in entry ? (entry.deleted as unknown as SimFunction) : undefined;
  const tags = (reader.object('Tags') ?? {}) as Record<string, string>;
  const created: SimFunction = {
    name,
    memoryMb: reader.integer('MemorySize', { min: 128, max: 10240 }) ?? 128,
    architecture,
    runtime,
    handler: reader.requiredString('Handler'),
    timeoutSec: reader.integer('Timeout', { min: 1, max: 900 }) ?? 3,
    codeSize: zip.byteLength,
    description: reader.string('Description') ?? '',
    lastModified: call.nowMs,
    createdAt: earlier?.createdAt ?? call.nowMs,
    profile: earlier?.profile ?? 'sparse',
    tags: { ...tags },
    metricKey: earlier?.metricKey ?? hashString(`${call.estate.seed}|metrics|lambda|${name}`),
  };
  return { output: configuration(created, call, 'InProgress'), changes: [{ op: 'create', collection: 'functions', id: name, record: created as unknown as SimRecord }] };
};

export const lambdaMutations: Record<string, MutationHandler> = {
  GetFunctionConfiguration: getFunctionConfiguration,
  GetFunction: getFunction,
  UpdateFunctionConfiguration: updateFunctionConfiguration,
  UpdateFunctionCode: updateFunctionCode,
  DeleteFunction: deleteFunction,
  CreateFunction: createFunction,
};
