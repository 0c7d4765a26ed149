// ec2.delete-nat-gateway: delete an idle NAT gateway and wait until it is gone; it cannot be restored as it was.
import { DeleteNatGatewayCommand, ReleaseAddressCommand, waitUntilNatGatewayDeleted } from '@aws-sdk/client-ec2';
import type { NatGateway } from '@finops/core';
import { defineExecutor, type ActionExecutor } from './action-executor.js';
import { paramReader } from './action-params.js';
import type { ActionContext } from './action-context.js';
import { describeAddress, describeNatGateway } from './describe-ec2.js';
import { waitFor } from './executor-support.js';

export interface NatGatewayParams {
  natGatewayId: string;
  /** Release the gateway's Elastic IPs once it is deleted (they bill on their own otherwise). */
  releaseAddresses: boolean;
}

const TYPE = 'ec2.delete-nat-gateway';

export function natGatewayFacts(gateway: NatGateway) {
  return {
    state: gateway.state,
    connectivityType: gateway.connectivityType,
    subnetId: gateway.subnetId ?? null,
    publicIps: gateway.publicIps.join(','),
  };
}

function allocationIds(value: unknown): string[] {
  return typeof value === 'string' && value ? value.split(',') : [];
}

/** Releases the gateway's addresses that are now free; one note per address. */
async function release(context: ActionContext, ids: readonly string[]): Promise<string[]> {
  const ec2 = await context.client('ec2');
  const notes: string[] = [];
  for (const id of ids) {
    const address = await describeAddress(context, id);
    if (!address) notes.push(`Elastic IP ${id} was not found: nothing to release`);
    else if (address.resource.associationId) notes.push(`Elastic IP ${address.resource.publicIp} is associated again: kept`);
    else {
      await context.mutate('ec2:ReleaseAddress', { AllocationId: id }, () => ec2.send(new ReleaseAddressCommand({ AllocationId: id })));
      notes.push(`released Elastic IP ${address.resource.publicIp} (${id})`);
    }
  }
  return notes;
}

export const deleteNatGateway: ActionExecutor<'nat-gateway', NatGatewayParams> = defineExecutor({
  type: TYPE,
  title: 'Delete an idle NAT gateway',
  resourceKind: 'nat-gateway',
  removes: true,
  permissions: ['ec2:DescribeNatGateways', 'ec2:DeleteNatGateway', 'ec2:DescribeAddresses', 'ec2:ReleaseAddress'],
  rollback: {
    restores: 'nothing',
    note: 'a deleted NAT gateway cannot be restored: re-create it in the recorded subnet with the recorded Elastic IP and point the route tables at it',
  },
  parseParams(params, resourceId) {
    const read = paramReader(TYPE, params);
    return { natGatewayId: read.resourceId('natGatewayId', resourceId), releaseAddresses: read.boolean('releaseAddresses', false) };
  },
  facts: natGatewayFacts,
  describe: (context, { natGatewayId }) => describeNatGateway(context, natGatewayId),
  readiness({ resource }) {
    if (resource.state === 'deleting') return { state: 'done', reason: 'the NAT gateway is already being deleted' };
    if (resource.state !== 'available') return { state: 'blocked', reason: `the NAT gateway is ${resource.state}` };
    return { state: 'ready' };
  },
  plan({ resource, details }, { releaseAddresses }) {
    return [
      { api: 'ec2:DeleteNatGateway', input: { NatGatewayId: resource.id } },
      { api: 'ec2:DescribeNatGateways', input: { NatGatewayIds: [resource.id] }, note: 'waiter: until the gateway is deleted' },
      ...(releaseAddresses ? allocationIds(details.allocationIds).map((id) => ({ api: 'ec2:ReleaseAddress', input: { AllocationId: id }, note: 'once nothing uses it' })) : []),
    ];
  },
  async apply(context, { resource, details }, { releaseAddresses }) {
    const ec2 = await context.client('ec2');
    const undo = {
      natGatewayId: resource.id,
      subnetId: resource.subnetId ?? null,
      vpcId: resource.vpcId ?? null,
      connectivityType: resource.connectivityType,
      allocationIds: allocationIds(details.allocationIds),
      publicIps: resource.publicIps,
      tags: resource.tags,
    };
    await context.recordUndo(undo);
    if (resource.state !== 'deleting') {
      await context.mutate('ec2:DeleteNatGateway', { NatGatewayId: resource.id }, () => ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: resource.id })));
    }
    await waitFor(context, 'ec2:DescribeNatGateways', () => waitUntilNatGatewayDeleted({ client: ec2, ...context.waiter }, { NatGatewayIds: [resource.id] }));
    const released = releaseAddresses ? await release(context, allocationIds(details.allocationIds)) : [];
    return {
      after: undefined,
      undo,
      notes: [
        ...released,
        ...(resource.publicIps.length && !releaseAddresses ? [`its Elastic IP ${resource.publicIps.join(', ')} stays allocated (and billed): release it if nothing else needs it`] : []),
        'routes that pointed at the gateway are now blackholes: remove or repoint them',
      ],
    };
  },
  async undo(_context, undo) {
    const where = undo.subnetId ? ` in subnet ${String(undo.subnetId)}` : '';
    const ips = Array.isArray(undo.allocationIds) && undo.allocationIds.length ? ` with Elastic IP allocation ${undo.allocationIds.join(', ')}` : '';
    return {
      status: 'impossible',
      message: `NAT gateway ${String(undo.natGatewayId)} was deleted and cannot be restored: create a new one${where}${ips} and update the route tables that used it`,
    };
  },
});
