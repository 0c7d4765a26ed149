// Lambda executors: update a function's memory, move a portable function to arm64, delete an unused function.
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListTagsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type Architecture,
  type Runtime,
} from '@aws-sdk/client-lambda';
import type { LambdaFunction } from '@finops/core';
import { toLambdaFunction } from '../collectors/lambda-function.js';
import type { ActionContext } from './action-context.js';
import { defineExecutor, type ActionExecutor, type Observed, type Readiness } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeOrGone } from './describe-ec2.js';
import { observed, pollUntil, requireObserved, waitFor } from './executor-support.js';
import { nativeEntries, zipEntryNames } from './zip-entries.js';

/** Function name plus `details`: `state`, `lastUpdateStatus`, `layers`, `codeSize`, `revisionId`. */
async function describeFunction(context: ActionContext, functionName: string): Promise<Observed<'lambda-function'> | undefined> {
  const lambda = await context.client('lambda');
  const config = await describeOrGone(context, 'lambda:GetFunctionConfiguration', ['ResourceNotFoundException'], () =>
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })),
  );
  if (!config?.FunctionName) return undefined;
  const tags = config.FunctionArn
    ? ((await context.read('lambda:ListTags', () => lambda.send(new ListTagsCommand({ Resource: config.FunctionArn })))).Tags ?? {})
    : {};
  return observed(toLambdaFunction(config, { ...tags }, context.scope, new Date().toISOString()), {
    state: config.State ?? 'Active',
    lastUpdateStatus: config.LastUpdateStatus ?? 'Successful',
    layers: config.Layers?.length ?? 0,
    codeSize: config.CodeSize ?? 0,
    revisionId: config.RevisionId ?? null,
    role: config.Role ?? null,
    handler: config.Handler ?? null,
  });
}

export function functionFacts(fn: LambdaFunction) {
  return { memoryMb: fn.memoryMb, architecture: fn.architecture, runtime: fn.runtime ?? null, lastModified: fn.lastModified };
}

/** A function in the middle of another update cannot be changed (Lambda answers ResourceConflictException). */
function busy({ details }: Observed<'lambda-function'>): Readiness | undefined {
  if (details.state !== 'Active') return { state: 'blocked', reason: `the function is ${String(details.state)}` };
  if (details.lastUpdateStatus === 'InProgress') return { state: 'blocked', reason: 'another update of the function is in progress' };
  return undefined;
}

function functionName(type: string, params: Record<string, string | number | boolean>, resourceId: string): string {
  return paramReader(type, params).resourceId('functionName', resourceId);
}

async function waitUpdated(context: ActionContext, name: string): Promise<Observed<'lambda-function'>> {
  const lambda = await context.client('lambda');
  await waitFor(context, 'lambda:GetFunction', () => waitUntilFunctionUpdatedV2({ client: lambda, ...context.waiter }, { FunctionName: name }));
  return requireObserved(await describeFunction(context, name), 'function', name);
}

async function setMemory(context: ActionContext, current: Observed<'lambda-function'>, memoryMb: number): Promise<Observed<'lambda-function'>> {
  const lambda = await context.client('lambda');
  // RevisionId makes Lambda refuse the update if the function changed since it was described.
  const input = { FunctionName: current.resource.id, MemorySize: memoryMb, ...(current.details.revisionId ? { RevisionId: String(current.details.revisionId) } : {}) };
  await context.mutate('lambda:UpdateFunctionConfiguration', input, () => lambda.send(new UpdateFunctionConfigurationCommand(input)));
  const after = await waitUpdated(context, current.resource.id);
  if (after.resource.memoryMb !== memoryMb) {
    throw Object.assign(new Error(`function ${current.resource.id} reports ${after.resource.memoryMb} MB after the change to ${memoryMb} MB`), { name: 'VerificationFailed' });
  }
  return after;
}

export interface MemoryParams {
  functionName: string;
  /** The memory the recommendation was made for: a change from any other size is refused. */
  fromMemoryMb?: number;
  toMemoryMb: number;
}

const MEMORY = 'lambda.update-function-memory';

export const updateFunctionMemory: ActionExecutor<'lambda-function', MemoryParams> = defineExecutor({
  type: MEMORY,
  title: 'Update the memory of a Lambda function',
  resourceKind: 'lambda-function',
  removes: false,
  permissions: ['lambda:GetFunctionConfiguration', 'lambda:GetFunction', 'lambda:ListTags', 'lambda:UpdateFunctionConfiguration'],
  rollback: { restores: 'all', note: 'sets the previous memory size again' },
  parseParams(params, resourceId) {
    const read = paramReader(MEMORY, params);
    const from = read.optionalInteger('fromMemoryMb', 128, 10_240);
    return { functionName: functionName(MEMORY, params, resourceId), ...(from !== undefined ? { fromMemoryMb: from } : {}), toMemoryMb: read.integer('toMemoryMb', 128, 10_240) };
  },
  facts: functionFacts,
  describe: (context, { functionName: name }) => describeFunction(context, name),
  readiness(current, { fromMemoryMb, toMemoryMb: targetMemoryMb }) {
    if (current.resource.memoryMb === targetMemoryMb) return { state: 'done', reason: `the function already has ${targetMemoryMb} MB` };
    if (fromMemoryMb !== undefined && current.resource.memoryMb !== fromMemoryMb) {
      return { state: 'blocked', reason: `the function has ${current.resource.memoryMb} MB, not ${fromMemoryMb} MB as recommended` };
    }
    return busy(current) ?? { state: 'ready' };
  },
  plan({ resource, details }, { toMemoryMb: targetMemoryMb }) {
    return [
      {
        api: 'lambda:UpdateFunctionConfiguration',
        input: { FunctionName: resource.id, MemorySize: targetMemoryMb, ...(details.revisionId ? { RevisionId: details.revisionId } : {}) },
      },
      { api: 'lambda:GetFunction', input: { FunctionName: resource.id }, note: 'waiter: until the update is done' },
    ];
  },
  async apply(context, current, { toMemoryMb }) {
    const undo = { functionName: current.resource.id, previousMemoryMb: current.resource.memoryMb };
    await context.recordUndo(undo);
    const after = await setMemory(context, current, toMemoryMb);
    return { after, undo, notes: [] };
  },
  async undo(context, undo) {
    const name = String(undo.functionName);
    const previous = Number(undo.previousMemoryMb);
    const current = await describeFunction(context, name);
    if (!current) return { status: 'impossible', message: `function ${name} no longer exists` };
    const after = current.resource.memoryMb === previous ? current : await setMemory(context, current, previous);
    return { status: 'rolled-back', message: `function ${name} has ${previous} MB again`, after: functionFacts(after.resource) };
  },
});

/** Runtimes whose code is interpreted, so the same package runs on x86_64 and arm64 when it carries no native code. */
const PORTABLE_RUNTIME = /^(nodejs|python|ruby)/;
/** Largest package UpdateFunctionCode takes inline (ZipFile). */
const MAX_INLINE_PACKAGE_BYTES = 50 * 1024 * 1024;

/** Downloads the function's package, checks it holds no native code, and redeploys it for `architecture`. */
async function redeployFor(context: ActionContext, current: Observed<'lambda-function'>, architecture: Architecture): Promise<Observed<'lambda-function'>> {
  const lambda = await context.client('lambda');
  const name = current.resource.id;
  const fn = await context.read('lambda:GetFunction', () => lambda.send(new GetFunctionCommand({ FunctionName: name })));
  const location = fn.Code?.Location;
  if (!location) throw Object.assign(new Error(`function ${name} has no downloadable package`), { name: 'UnsafeChange' });
  const zip = await context.fetchBytes(location);
  const native = nativeEntries(zipEntryNames(zip));
  if (native.length > 0) {
    throw Object.assign(new Error(`the package holds native code built for one architecture (${native.slice(0, 3).join(', ')}): rebuild it for ${architecture}`), {
      name: 'UnsafeChange',
    });
  }
  const input = {
    FunctionName: name,
    ZipFile: zip,
    Architectures: [architecture],
    ...(fn.Configuration?.RevisionId ? { RevisionId: fn.Configuration.RevisionId } : {}),
  };
  await context.mutate('lambda:UpdateFunctionCode', input, () => lambda.send(new UpdateFunctionCodeCommand(input)));
  const after = await waitUpdated(context, name);
  if (after.resource.architecture !== architecture) {
    throw Object.assign(new Error(`function ${name} reports ${after.resource.architecture} after the move to ${architecture}`), { name: 'VerificationFailed' });
  }
  return after;
}

export interface ArchitectureParams {
  functionName: string;
  architecture: 'arm64' | 'x86_64';
}

const ARCHITECTURE = 'lambda.update-function-architecture';

export const updateFunctionArchitecture: ActionExecutor<'lambda-function', ArchitectureParams> = defineExecutor({
  type: ARCHITECTURE,
  title: 'Move a Lambda function to another architecture (arm64) where its package is portable',
  resourceKind: 'lambda-function',
  removes: false,
  permissions: ['lambda:GetFunctionConfiguration', 'lambda:GetFunction', 'lambda:ListTags', 'lambda:UpdateFunctionCode'],
  rollback: { restores: 'all', note: 'redeploys the same package for the previous architecture' },
  parseParams(params, resourceId) {
    return {
      functionName: functionName(ARCHITECTURE, params, resourceId),
      architecture: paramReader(ARCHITECTURE, params).oneOf('architecture', ['arm64', 'x86_64'] as const, 'arm64'),
    };
  },
  facts: functionFacts,
  describe: (context, { functionName: name }) => describeFunction(context, name),
  readiness(current, { architecture: targetArchitecture }) {
    const { resource, details } = current;
    if (resource.architecture === targetArchitecture) return { state: 'done', reason: `the function already runs on ${targetArchitecture}` };
    const problem = busy(current);
    if (problem) return problem;
    // Only a package that can be shown portable is moved: compiled runtimes and container images need a new build.
    if (resource.packageType === 'Image') return { state: 'blocked', reason: 'a container image function needs an image built for the new architecture' };
    if (!PORTABLE_RUNTIME.test(resource.runtime ?? '')) return { state: 'blocked', reason: `runtime ${resource.runtime ?? 'unknown'} is compiled: rebuild the function for ${targetArchitecture}` };
    if (Number(details.layers) > 0) return { state: 'blocked', reason: 'the function uses layers, which may hold native code: move it by hand' };
    if (Number(details.codeSize) > MAX_INLINE_PACKAGE_BYTES) return { state: 'blocked', reason: 'the package is larger than 50 MB: redeploy it from S3 by hand' };
    return { state: 'ready' };
  },
  plan({ resource }, { architecture: targetArchitecture }) {
    return [
      { api: 'lambda:GetFunction', input: { FunctionName: resource.id }, note: 'download the package and check it holds no native code' },
      { api: 'lambda:UpdateFunctionCode', input: { FunctionName: resource.id, ZipFile: '<the same package>', Architectures: [targetArchitecture] } },
      { api: 'lambda:GetFunction', input: { FunctionName: resource.id }, note: 'waiter: until the update is done' },
    ];
  },
  async apply(context, current, { architecture: targetArchitecture }) {
    const undo = { functionName: current.resource.id, previousArchitecture: current.resource.architecture };
    await context.recordUndo(undo);
    const after = await redeployFor(context, current, targetArchitecture);
    return {
      after,
      undo,
      notes: ['the package was redeployed unchanged; watch the function\'s errors after the move'],
    };
  },
  async undo(context, undo) {
    const name = String(undo.functionName);
    const previous = String(undo.previousArchitecture) as Architecture;
    const current = await describeFunction(context, name);
    if (!current) return { status: 'impossible', message: `function ${name} no longer exists` };
    const after = current.resource.architecture === previous ? current : await redeployFor(context, current, previous);
    return { status: 'rolled-back', message: `function ${name} runs on ${previous} again`, after: functionFacts(after.resource) };
  },
});

/** Packages up to this size are kept with the action record, so a deleted function can be created again. */
const KEPT_PACKAGE_BYTES = 256 * 1024;
const DELETE = 'lambda.delete-function';

export const deleteFunction: ActionExecutor<'lambda-function', { functionName: string }> = defineExecutor({
  type: DELETE,
  title: 'Delete an unused Lambda function',
  resourceKind: 'lambda-function',
  removes: true,
  permissions: ['lambda:GetFunctionConfiguration', 'lambda:GetFunction', 'lambda:ListTags', 'lambda:DeleteFunction', 'lambda:CreateFunction', 'iam:PassRole'],
  rollback: {
    restores: 'part',
    note: 'creates the function again from its package (kept when at most 256 KB) and configuration; triggers, permissions, aliases and versions must be restored by hand',
  },
  parseParams: (params, resourceId) => ({ functionName: functionName(DELETE, params, resourceId) }),
  facts: functionFacts,
  describe: (context, { functionName: name }) => describeFunction(context, name),
  readiness: (current) => busy(current) ?? { state: 'ready' },
  plan({ resource }) {
    return [
      { api: 'lambda:GetFunction', input: { FunctionName: resource.id }, note: 'keep the package for a rollback when it is small' },
      { api: 'lambda:DeleteFunction', input: { FunctionName: resource.id } },
    ];
  },
  async apply(context, { resource, details }) {
    const lambda = await context.client('lambda');
    const fn = await context.read('lambda:GetFunction', () => lambda.send(new GetFunctionCommand({ FunctionName: resource.id })));
    // The package is fetched before the delete: afterwards it is gone with the function.
    const location = resource.packageType === 'Zip' ? fn.Code?.Location : undefined;
    const zip = location && Number(details.codeSize) <= KEPT_PACKAGE_BYTES ? await context.fetchBytes(location) : undefined;
    const configuration = fn.Configuration;
    const undo = {
      functionName: resource.id,
      runtime: resource.runtime ?? null,
      handler: configuration?.Handler ?? null,
      role: configuration?.Role ?? null,
      memoryMb: resource.memoryMb,
      timeoutSec: resource.timeoutSec,
      architecture: resource.architecture,
      description: configuration?.Description ?? null,
      tags: resource.tags,
      packageBase64: zip && zip.byteLength <= KEPT_PACKAGE_BYTES ? Buffer.from(zip).toString('base64') : null,
    };
    await context.recordUndo(undo);
    await context.mutate('lambda:DeleteFunction', { FunctionName: resource.id }, () => lambda.send(new DeleteFunctionCommand({ FunctionName: resource.id })));
    await pollUntil(context, `function ${resource.id} to be deleted`, async () => (await describeFunction(context, resource.id)) === undefined);
    return {
      after: undefined,
      undo,
      notes: [zip ? 'the package was kept with this action for a rollback' : 'the package was larger than 256 KB (or an image): a rollback cannot recreate the function'],
    };
  },
  async undo(context, undo) {
    const name = String(undo.functionName);
    if (await describeFunction(context, name)) return { status: 'rolled-back', message: `function ${name} exists again` };
    if (typeof undo.packageBase64 !== 'string' || !undo.role || !undo.handler || !undo.runtime) {
      return { status: 'impossible', message: `function ${name} cannot be recreated: its package was not kept (too large, or a container image); redeploy it from its source` };
    }
    const lambda = await context.client('lambda');
    const input = {
      FunctionName: name,
      Runtime: String(undo.runtime) as Runtime,
      Role: String(undo.role),
      Handler: String(undo.handler),
      Code: { ZipFile: Buffer.from(undo.packageBase64, 'base64') },
      MemorySize: Number(undo.memoryMb),
      Timeout: Number(undo.timeoutSec),
      Architectures: [String(undo.architecture) as Architecture],
      ...(undo.description ? { Description: String(undo.description) } : {}),
      Tags: undo.tags as Record<string, string>,
    };
    await context.mutate('lambda:CreateFunction', input, () => lambda.send(new CreateFunctionCommand(input)));
    const after = await waitUpdated(context, name);
    return {
      status: 'partial',
      message: `created function ${name} again from its kept package and configuration; restore its triggers, permissions and aliases by hand`,
      after: functionFacts(after.resource),
    };
  },
});
