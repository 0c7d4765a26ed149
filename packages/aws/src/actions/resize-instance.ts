// ec2.resize-instance: stop a running instance, change its type, start it again; rollback restores the old type.
import {
  ModifyInstanceAttributeCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { ActionContext } from './action-context.js';
import { defineExecutor, type ActionExecutor, type Observed, type RollbackOutcome } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeInstance } from './describe-ec2.js';
import { requireObserved, waitFor } from './executor-support.js';
import { typeChangeProblem } from './instance-type-compatibility.js';
import { instanceFacts } from './stop-instance.js';

export interface ResizeInstanceParams {
  instanceId: string;
  /** The type the recommendation was made for: a resize from any other type is refused. */
  fromType?: string;
  toType: string;
}

const TYPE = 'ec2.resize-instance';
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/**
 * Brings the instance to `instanceType` and back to running when `startAfter`, making only the calls still needed:
 * an attempt interrupted after the stop, or after the modify, picks up where it stopped.
 */
async function converge(
  context: ActionContext,
  ec2: EC2Client,
  current: Observed<'ec2-instance'>,
  instanceType: string,
  startAfter: boolean,
): Promise<Observed<'ec2-instance'>> {
  const id = current.resource.id;
  let state = current.resource.state;
  if (current.resource.instanceType !== instanceType) {
    if (state === 'running' || state === 'pending') {
      await context.mutate('ec2:StopInstances', { InstanceIds: [id] }, () => ec2.send(new StopInstancesCommand({ InstanceIds: [id] })));
    }
    if (state !== 'stopped') {
      await waitFor(context, 'ec2:DescribeInstances', () => waitUntilInstanceStopped({ client: ec2, ...context.waiter }, { InstanceIds: [id] }));
      state = 'stopped';
    }
    const input = { InstanceId: id, InstanceType: { Value: instanceType } };
    await context.mutate('ec2:ModifyInstanceAttribute', input, () => ec2.send(new ModifyInstanceAttributeCommand(input)));
  }
  if (startAfter && state !== 'running') {
    await context.mutate('ec2:StartInstances', { InstanceIds: [id] }, () => ec2.send(new StartInstancesCommand({ InstanceIds: [id] })));
    await waitFor(context, 'ec2:DescribeInstances', () => waitUntilInstanceRunning({ client: ec2, ...context.waiter }, { InstanceIds: [id] }));
  }
  const after = requireObserved(await describeInstance(context, id), 'instance', id);
  if (after.resource.instanceType !== instanceType) {
    throw Object.assign(new Error(`instance ${id} reports type ${after.resource.instanceType} after the change to ${instanceType}`), { name: 'VerificationFailed' });
  }
  return after;
}

export const resizeInstance: ActionExecutor<'ec2-instance', ResizeInstanceParams> = defineExecutor({
  type: TYPE,
  title: 'Change the type of an EC2 instance (stop, modify, start)',
  resourceKind: 'ec2-instance',
  removes: false,
  permissions: ['ec2:DescribeInstances', 'ec2:StopInstances', 'ec2:ModifyInstanceAttribute', 'ec2:StartInstances'],
  rollback: { restores: 'all', note: 'stops the instance, sets its previous type and starts it again (a second short outage)' },
  parseParams(params, resourceId) {
    const read = paramReader(TYPE, params);
    return {
      instanceId: read.resourceId('instanceId', resourceId),
      ...(params.fromType !== undefined ? { fromType: read.matching('fromType', INSTANCE_TYPE, 'an instance type such as "m5.large"') } : {}),
      toType: read.matching('toType', INSTANCE_TYPE, 'an instance type such as "m5.large"'),
    };
  },
  facts: instanceFacts,
  describe: (context, { instanceId }) => describeInstance(context, instanceId),
  readiness({ resource, details }, { fromType, toType: targetInstanceType }, resume) {
    const wasRunning = resume ? resume.before.state === 'running' : resource.state === 'running';
    if (resource.instanceType === targetInstanceType && (!wasRunning || resource.state === 'running')) {
      return { state: 'done', reason: `the instance is already ${targetInstanceType}` };
    }
    if (resource.lifecycle === 'spot') return { state: 'blocked', reason: 'a spot instance cannot be stopped to change its type: handle it by hand' };
    // Only an instance running at the scan is resized: a stopped one is someone else's decision, and a resize
    // recommendation rests on the utilization of a running instance.
    if (!resume && resource.state !== 'running') return { state: 'blocked', reason: `the instance is ${resource.state}, not running` };
    if (!resume && fromType && resource.instanceType !== fromType) return { state: 'blocked', reason: `the instance is ${resource.instanceType}, not ${fromType} as recommended` };
    const problem = typeChangeProblem(resource.instanceType, targetInstanceType, typeof details.enaSupport === 'boolean' ? details.enaSupport : undefined);
    if (problem) return { state: 'blocked', reason: `${resource.instanceType} → ${targetInstanceType} is not compatible: ${problem}` };
    return { state: 'ready' };
  },
  plan({ resource }, { toType: targetInstanceType }) {
    const ids = { InstanceIds: [resource.id] };
    return [
      { api: 'ec2:StopInstances', input: ids },
      { api: 'ec2:DescribeInstances', input: ids, note: 'waiter: until the instance is stopped' },
      { api: 'ec2:ModifyInstanceAttribute', input: { InstanceId: resource.id, InstanceType: { Value: targetInstanceType } } },
      { api: 'ec2:StartInstances', input: ids },
      { api: 'ec2:DescribeInstances', input: ids, note: 'waiter: until the instance is running' },
    ];
  },
  async apply(context, current, { toType: targetInstanceType }, resume) {
    const ec2 = await context.client('ec2');
    const before = resume?.before ?? instanceFacts(current.resource);
    const undo = { instanceId: current.resource.id, previousInstanceType: String(before.instanceType), wasRunning: before.state === 'running' };
    await context.recordUndo(undo);
    const after = await converge(context, ec2, current, targetInstanceType, before.state === 'running');
    return {
      after,
      undo,
      notes: [],
    };
  },
  async undo(context, undo): Promise<RollbackOutcome> {
    const instanceId = String(undo.instanceId);
    const previous = String(undo.previousInstanceType);
    const current = await describeInstance(context, instanceId);
    if (!current) return { status: 'impossible', message: `instance ${instanceId} no longer exists: its type cannot be restored` };
    const ec2 = await context.client('ec2');
    const after = await converge(context, ec2, current, previous, undo.wasRunning === true);
    return { status: 'rolled-back', message: `instance ${instanceId} is ${previous} again`, after: instanceFacts(after.resource) };
  },
});
