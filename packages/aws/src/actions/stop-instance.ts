// ec2.stop-instance: stop a running instance and wait until it is stopped; rollback starts it again.
import { StartInstancesCommand, StopInstancesCommand, waitUntilInstanceRunning, waitUntilInstanceStopped } from '@aws-sdk/client-ec2';
import type { Ec2Instance } from '@finops/core';
import { defineExecutor, type ActionExecutor } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeInstance } from './describe-ec2.js';
import { requireObserved, waitFor } from './executor-support.js';

export interface InstanceParams {
  instanceId: string;
}

export function instanceFacts(instance: Ec2Instance) {
  return {
    state: instance.state,
    instanceType: instance.instanceType,
    lifecycle: instance.lifecycle,
    architecture: instance.architecture,
    platform: instance.platform,
  };
}

export const stopInstance: ActionExecutor<'ec2-instance', InstanceParams> = defineExecutor({
  type: 'ec2.stop-instance',
  title: 'Stop an EC2 instance',
  resourceKind: 'ec2-instance',
  removes: false,
  permissions: ['ec2:DescribeInstances', 'ec2:StopInstances', 'ec2:StartInstances'],
  rollback: { restores: 'all', note: 'starts the instance again (its public IP changes unless it has an Elastic IP)' },
  parseParams: (params, resourceId) => ({ instanceId: paramReader('ec2.stop-instance', params).resourceId('instanceId', resourceId) }),
  facts: instanceFacts,
  describe: (context, { instanceId }) => describeInstance(context, instanceId),
  readiness({ resource }) {
    if (resource.state === 'stopped' || resource.state === 'stopping') return { state: 'done', reason: `the instance is already ${resource.state}` };
    // A one-time spot instance cannot be stopped, only terminated (EC2 refuses with UnsupportedOperation).
    if (resource.lifecycle === 'spot') return { state: 'blocked', reason: 'a spot instance cannot be stopped safely (it may not come back): handle it by hand' };
    if (resource.state !== 'running') return { state: 'blocked', reason: `the instance is ${resource.state}, not running` };
    return { state: 'ready' };
  },
  plan({ resource }) {
    return [
      { api: 'ec2:StopInstances', input: { InstanceIds: [resource.id] } },
      { api: 'ec2:DescribeInstances', input: { InstanceIds: [resource.id] }, note: 'waiter: until the instance is stopped' },
    ];
  },
  async apply(context, { resource }) {
    const ec2 = await context.client('ec2');
    const undo = { instanceId: resource.id, previousState: 'running' };
    if (resource.state === 'running') {
      await context.recordUndo(undo);
      await context.mutate('ec2:StopInstances', { InstanceIds: [resource.id] }, () => ec2.send(new StopInstancesCommand({ InstanceIds: [resource.id] })));
    }
    await waitFor(context, 'ec2:DescribeInstances', () => waitUntilInstanceStopped({ client: ec2, ...context.waiter }, { InstanceIds: [resource.id] }));
    const after = requireObserved(await describeInstance(context, resource.id), 'instance', resource.id);
    return {
      after,
      undo,
      notes: ['EBS volumes of a stopped instance keep billing; terminate it after review to save their cost too'],
    };
  },
  async undo(context, undo) {
    const instanceId = String(undo.instanceId);
    const current = await describeInstance(context, instanceId);
    if (!current) return { status: 'impossible', message: `instance ${instanceId} no longer exists: it cannot be started again` };
    const ec2 = await context.client('ec2');
    if (current.resource.state !== 'running') {
      await context.mutate('ec2:StartInstances', { InstanceIds: [instanceId] }, () => ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] })));
      await waitFor(context, 'ec2:DescribeInstances', () => waitUntilInstanceRunning({ client: ec2, ...context.waiter }, { InstanceIds: [instanceId] }));
    }
    const after = requireObserved(await describeInstance(context, instanceId), 'instance', instanceId);
    return { status: 'rolled-back', message: `started instance ${instanceId} again`, after: instanceFacts(after.resource) };
  },
});
