// The check registry: an explicit list, so adding a check is one file plus one line here.
import type { AnyCheck } from './check.js';
import { ebsGp2Volume } from './checks/ebs-gp2-volume.js';
import { ebsIdleVolume } from './checks/ebs-idle-volume.js';
import { ebsOldSnapshot } from './checks/ebs-old-snapshot.js';
import { ebsOrphanedSnapshot } from './checks/ebs-orphaned-snapshot.js';
import { ebsOverprovisionedIopsVolume } from './checks/ebs-overprovisioned-iops-volume.js';
import { ebsStoppedInstanceVolume } from './checks/ebs-stopped-instance-volume.js';
import { ebsUnattachedVolume } from './checks/ebs-unattached-volume.js';
import { ec2GravitonCandidateInstance } from './checks/ec2-graviton-candidate-instance.js';
import { ec2IdleInstance } from './checks/ec2-idle-instance.js';
import { ec2PreviousGenerationInstance } from './checks/ec2-previous-generation-instance.js';
import { ec2StoppedInstance } from './checks/ec2-stopped-instance.js';
import { ec2UnderutilizedInstance } from './checks/ec2-underutilized-instance.js';
import { eipUnassociatedAddress } from './checks/eip-unassociated-address.js';
import { elbIdleLoadBalancer } from './checks/elb-idle-load-balancer.js';
import { lambdaArm64CandidateFunction } from './checks/lambda-arm64-candidate-function.js';
import { lambdaHighErrorRateFunction } from './checks/lambda-high-error-rate-function.js';
import { lambdaOverprovisionedMemoryFunction } from './checks/lambda-overprovisioned-memory-function.js';
import { lambdaUnusedFunction } from './checks/lambda-unused-function.js';
import { natIdleGateway } from './checks/nat-idle-gateway.js';
import { rdsGp2StorageInstance } from './checks/rds-gp2-storage-instance.js';
import { rdsGravitonCandidateInstance } from './checks/rds-graviton-candidate-instance.js';
import { rdsIdleInstance } from './checks/rds-idle-instance.js';
import { rdsNonProductionMultiAzInstance } from './checks/rds-non-production-multi-az-instance.js';
import { rdsOldSnapshot } from './checks/rds-old-snapshot.js';
import { rdsOrphanedSnapshot } from './checks/rds-orphaned-snapshot.js';
import { rdsPreviousGenerationInstance } from './checks/rds-previous-generation-instance.js';
import { rdsUnderutilizedInstance } from './checks/rds-underutilized-instance.js';

/** Every check, in the order they run and are listed: by service, waste before optimization. */
export const CHECKS: readonly AnyCheck[] = [
  ec2IdleInstance,
  ec2StoppedInstance,
  ec2UnderutilizedInstance,
  ec2PreviousGenerationInstance,
  ec2GravitonCandidateInstance,
  ebsUnattachedVolume,
  ebsStoppedInstanceVolume,
  ebsIdleVolume,
  ebsGp2Volume,
  ebsOverprovisionedIopsVolume,
  ebsOldSnapshot,
  ebsOrphanedSnapshot,
  eipUnassociatedAddress,
  natIdleGateway,
  elbIdleLoadBalancer,
  rdsIdleInstance,
  rdsUnderutilizedInstance,
  rdsPreviousGenerationInstance,
  rdsGravitonCandidateInstance,
  rdsGp2StorageInstance,
  rdsNonProductionMultiAzInstance,
  rdsOldSnapshot,
  rdsOrphanedSnapshot,
  lambdaUnusedFunction,
  lambdaOverprovisionedMemoryFunction,
  lambdaArm64CandidateFunction,
  lambdaHighErrorRateFunction,
];

export const CHECK_IDS: readonly string[] = CHECKS.map((check) => check.id);

/** The check with this id, or undefined. */
export function findCheck(id: string): AnyCheck | undefined {
  return CHECKS.find((check) => check.id === id);
}
