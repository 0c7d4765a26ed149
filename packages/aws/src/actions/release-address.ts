// ec2.release-address: release an unassociated Elastic IP; rollback tries to recover the same public IP.
import { AllocateAddressCommand, ReleaseAddressCommand } from '@aws-sdk/client-ec2';
import type { ElasticIp } from '@finops/core';
import { AwsAccessError } from '@finops/core';
import { defineExecutor, type ActionExecutor } from './action-executor.js';
import { paramReader } from './action-params.js';
import { describeAddress } from './describe-ec2.js';
import { pollUntil, tagList } from './executor-support.js';

export interface ReleaseAddressParams {
  allocationId: string;
}

const TYPE = 'ec2.release-address';

export function addressFacts(address: ElasticIp) {
  return {
    publicIp: address.publicIp,
    associationId: address.associationId ?? null,
    instanceId: address.instanceId ?? null,
    networkInterfaceId: address.networkInterfaceId ?? null,
  };
}

export const releaseAddress: ActionExecutor<'elastic-ip', ReleaseAddressParams> = defineExecutor({
  type: TYPE,
  title: 'Release an unassociated Elastic IP address',
  resourceKind: 'elastic-ip',
  removes: true,
  permissions: ['ec2:DescribeAddresses', 'ec2:ReleaseAddress', 'ec2:AllocateAddress', 'ec2:CreateTags'],
  rollback: {
    restores: 'part',
    note: 'asks EC2 to recover the same public IP (AllocateAddress with Address); that works only while no other account holds it, and the allocation id is new',
  },
  parseParams: (params, resourceId) => ({ allocationId: paramReader(TYPE, params).resourceId('allocationId', resourceId) }),
  facts: addressFacts,
  describe: (context, { allocationId }) => describeAddress(context, allocationId),
  readiness({ resource }) {
    if (resource.associationId || resource.instanceId || resource.networkInterfaceId) {
      return { state: 'blocked', reason: `the address is associated with ${resource.instanceId ?? resource.networkInterfaceId ?? resource.associationId}` };
    }
    return { state: 'ready' };
  },
  plan({ resource }) {
    const input = resource.allocationId.startsWith('eipalloc-') ? { AllocationId: resource.allocationId } : { PublicIp: resource.publicIp };
    return [
      { api: 'ec2:ReleaseAddress', input },
      { api: 'ec2:DescribeAddresses', input: { AllocationIds: [resource.allocationId] }, note: 'until the address is gone' },
    ];
  },
  async apply(context, { resource }) {
    const ec2 = await context.client('ec2');
    const input = resource.allocationId.startsWith('eipalloc-') ? { AllocationId: resource.allocationId } : { PublicIp: resource.publicIp };
    const undo = { allocationId: resource.allocationId, publicIp: resource.publicIp, domain: resource.domain, tags: resource.tags };
    await context.recordUndo(undo);
    await context.mutate('ec2:ReleaseAddress', input, () => ec2.send(new ReleaseAddressCommand(input)));
    await pollUntil(context, `address ${resource.publicIp} to be released`, async () => (await describeAddress(context, resource.allocationId)) === undefined);
    return {
      after: undefined,
      undo,
      notes: [`public IP ${resource.publicIp} may not be recoverable once released`],
    };
  },
  async undo(context, undo) {
    const publicIp = String(undo.publicIp);
    const ec2 = await context.client('ec2');
    const input = {
      Domain: 'vpc' as const,
      Address: publicIp,
      TagSpecifications: [{ ResourceType: 'elastic-ip' as const, Tags: tagList(undo.tags as Record<string, string>) }],
    };
    try {
      const output = await context.mutate('ec2:AllocateAddress', input, () => ec2.send(new AllocateAddressCommand(input)));
      return {
        status: 'partial',
        message: `recovered public IP ${publicIp} as allocation ${output.AllocationId ?? 'unknown'} (new allocation id; re-associate it if it was used)`,
        after: { allocationId: output.AllocationId ?? null, publicIp: output.PublicIp ?? publicIp },
      };
    } catch (error) {
      if (error instanceof AwsAccessError && !error.retryable) {
        return {
          status: 'impossible',
          message: `public IP ${publicIp} cannot be recovered (${error.code}: ${error.message}); allocate a new address if one is needed`,
        };
      }
      throw error;
    }
  },
});
