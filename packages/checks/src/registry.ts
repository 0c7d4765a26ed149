// The check registry: an explicit list, so adding a check is one file plus one line here.
import type { AnyCheck } from './check.js';
import { ebsUnattachedVolume } from './checks/ebs-unattached-volume.js';
import { ec2IdleInstance } from './checks/ec2-idle-instance.js';
import { eipUnassociatedAddress } from './checks/eip-unassociated-address.js';

/** Every check, in the order they run and are listed. */
export const CHECKS: readonly AnyCheck[] = [ec2IdleInstance, ebsUnattachedVolume, eipUnassociatedAddress];

export const CHECK_IDS: readonly string[] = CHECKS.map((check) => check.id);

/** The check with this id, or undefined. */
export function findCheck(id: string): AnyCheck | undefined {
  return CHECKS.find((check) => check.id === id);
}
