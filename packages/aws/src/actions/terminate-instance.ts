// ec2.terminate-instance: image a long-stopped instance (tagged with the action id), release its addresses, terminate it.
import {
  CreateImageCommand,
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
  TerminateInstancesCommand,
  waitUntilImageAvailable,
} from '@aws-sdk/client-ec2';
import type { ActionContext } from './action-context.js';
import { defineExecutor, type ActionExecutor, type Observed } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeInstance } from './describe-ec2.js';
import { ACTION_ID_TAG, pollUntil, tagList, waitFor } from './executor-support.js';
import { instanceFacts } from './stop-instance.js';

export interface TerminateParams {
  instanceId: string;
  /** Create an AMI (snapshots of every volume) first: the instance can be launched again from it. */
  createImageFirst: boolean;
  /** Release the Elastic IPs associated with it (they bill on their own otherwise). */
  releaseAddresses: boolean;
}

const TYPE = 'ec2.terminate-instance';

/** The instance, with its Elastic IPs as `details.addresses` (`eipalloc-…=eipassoc-…`, comma separated). */
async function describeWithAddresses(context: ActionContext, instanceId: string): Promise<Observed<'ec2-instance'> | undefined> {
  const current = await describeInstance(context, instanceId);
  if (!current) return undefined;
  const ec2 = await context.client('ec2');
  const output = await context.read('ec2:DescribeAddresses', () => ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] })));
  const addresses = (output.Addresses ?? []).flatMap((a) => (a.AllocationId ? [`${a.AllocationId}=${a.AssociationId ?? ''}`] : []));
  return { resource: current.resource, details: { ...current.details, addresses: addresses.join(',') || null } };
}

/** The AMI an earlier attempt of this action already created, found by its action-id tag. */
async function imageOfAction(context: ActionContext): Promise<string | undefined> {
  const ec2 = await context.client('ec2');
  const output = await context.read('ec2:DescribeImages', () =>
    ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: `tag:${ACTION_ID_TAG}`, Values: [context.actionId] }] })),
  );
  return output.Images?.find((image) => image.ImageId && image.State !== 'failed')?.ImageId;
}

export const terminateInstance: ActionExecutor<'ec2-instance', TerminateParams> = defineExecutor({
  type: TYPE,
  title: 'Terminate a long-stopped EC2 instance (after an AMI)',
  resourceKind: 'ec2-instance',
  removes: true,
  permissions: [
    'ec2:DescribeInstances',
    'ec2:DescribeAddresses',
    'ec2:DescribeImages',
    'ec2:CreateImage',
    'ec2:CreateTags',
    'ec2:DisassociateAddress',
    'ec2:ReleaseAddress',
    'ec2:TerminateInstances',
  ],
  rollback: {
    restores: 'nothing',
    note: 'a terminated instance cannot come back: launch a new one from the AMI taken first (new id, new private IP); released Elastic IPs may not be recoverable',
  },
  parseParams(params, resourceId) {
    const read = paramReader(TYPE, params);
    return {
      instanceId: read.resourceId('instanceId', resourceId),
      createImageFirst: read.boolean('createImageFirst', true),
      releaseAddresses: read.boolean('releaseAddresses', false),
    };
  },
  facts: instanceFacts,
  describe: (context, { instanceId }) => describeWithAddresses(context, instanceId),
  readiness({ resource }) {
    // Only what the stopped-instance check found: a running instance is never terminated by an action.
    if (resource.state !== 'stopped') return { state: 'blocked', reason: `the instance is ${resource.state}: only stopped instances are terminated` };
    return { state: 'ready' };
  },
  plan({ resource, details }, params, actionId) {
    const addresses = typeof details.addresses === 'string' ? details.addresses.split(',') : [];
    return [
      ...(params.createImageFirst
        ? [
            { api: 'ec2:CreateImage', input: { InstanceId: resource.id, Name: `finops-${resource.id}-${actionId.slice(4, 16)}`, NoReboot: true } },
            { api: 'ec2:DescribeImages', input: { ImageIds: ['<new image>'] }, note: 'waiter: until the AMI is available' },
          ]
        : []),
      ...(params.releaseAddresses
        ? addresses.flatMap((entry) => {
            const [allocationId, associationId] = entry.split('=');
            return [
              ...(associationId ? [{ api: 'ec2:DisassociateAddress', input: { AssociationId: associationId } }] : []),
              { api: 'ec2:ReleaseAddress', input: { AllocationId: allocationId } },
            ];
          })
        : []),
      { api: 'ec2:TerminateInstances', input: { InstanceIds: [resource.id] } },
      { api: 'ec2:DescribeInstances', input: { InstanceIds: [resource.id] }, note: 'poll: until the instance is terminated' },
    ];
  },
  async apply(context, { resource, details }, params) {
    const ec2 = await context.client('ec2');
    const addresses = (params.releaseAddresses && typeof details.addresses === 'string' ? details.addresses.split(',') : [])
      .map((entry) => entry.split('='))
      .filter((pair): pair is [string, ...string[]] => Boolean(pair[0]));
    const undoWith = (imageId: string | undefined) => ({
      instanceId: resource.id,
      imageId: imageId ?? null,
      instanceType: resource.instanceType,
      availabilityZone: resource.availabilityZone ?? null,
      releasedAllocationIds: addresses.map(([allocationId]) => allocationId),
      tags: resource.tags,
    });
    let imageId: string | undefined;
    if (params.createImageFirst) {
      // CreateImage's ClientToken is not accepted everywhere: the action-id tag is how a retry finds the AMI.
      imageId = await imageOfAction(context);
      if (!imageId) {
        await context.recordUndo(undoWith(undefined));
        const actionTag = { Key: ACTION_ID_TAG, Value: context.actionId };
        const input = {
          InstanceId: resource.id,
          Name: `finops-${resource.id}-${context.actionId.slice(4, 16)}`,
          Description: `finops: image of ${resource.id} before termination (action ${context.actionId})`,
          NoReboot: true,
          TagSpecifications: [
            { ResourceType: 'image' as const, Tags: [...tagList(resource.tags), actionTag] },
            { ResourceType: 'snapshot' as const, Tags: [...tagList(resource.tags), actionTag] },
          ],
        };
        imageId = (await context.mutate('ec2:CreateImage', input, () => ec2.send(new CreateImageCommand(input)))).ImageId;
      }
      if (!imageId) throw Object.assign(new Error(`CreateImage of ${resource.id} returned no image id`), { name: 'InvalidImageResponse' });
      const ids = [imageId];
      await waitFor(context, 'ec2:DescribeImages', () => waitUntilImageAvailable({ client: ec2, ...context.waiter }, { ImageIds: ids }));
    }
    const undo = undoWith(imageId);
    await context.recordUndo(undo);
    for (const [allocationId, associationId] of addresses) {
      if (associationId) await context.mutate('ec2:DisassociateAddress', { AssociationId: associationId }, () => ec2.send(new DisassociateAddressCommand({ AssociationId: associationId })));
      await context.mutate('ec2:ReleaseAddress', { AllocationId: allocationId }, () => ec2.send(new ReleaseAddressCommand({ AllocationId: allocationId })));
    }
    await context.mutate('ec2:TerminateInstances', { InstanceIds: [resource.id] }, () => ec2.send(new TerminateInstancesCommand({ InstanceIds: [resource.id] })));
    await pollUntil(context, `instance ${resource.id} to terminate`, async () => (await describeInstance(context, resource.id)) === undefined);
    return {
      after: undefined,
      undo,
      notes: [
        ...(imageId ? [`AMI ${imageId} and its snapshots keep billing until deregistered`] : []),
        'volumes without DeleteOnTermination stay (and bill) after the instance is gone',
      ],
    };
  },
  async undo(_context, undo) {
    const from = undo.imageId ? `: launch a new ${String(undo.instanceType)} from AMI ${String(undo.imageId)}${undo.availabilityZone ? ` in ${String(undo.availabilityZone)}` : ''}` : ' and no AMI was taken';
    return { status: 'impossible', message: `instance ${String(undo.instanceId)} was terminated and cannot be restored${from}` };
  },
});
