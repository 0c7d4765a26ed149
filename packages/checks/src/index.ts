// @finops/checks: the cost check registry, one file per check, and the runner that turns findings into recommendations.
export { defineCheck, evaluateCheck } from './check.js';
export type { AnyCheck, Check, CheckContext, CheckInput, CheckOptionsSchema, Finding, Lookback } from './check.js';
export { CHECKS, CHECK_IDS, findCheck } from './registry.js';
export { runChecks } from './run-checks.js';
export type { CheckRunError, RunChecksInput, RunChecksResult } from './run-checks.js';
export { validateChecksConfig } from './validate-checks-config.js';
export { checkDefaults, describeChecks } from './check-catalog.js';
export type { CheckDoc, CheckOptionDoc } from './check-catalog.js';
export { recommendationId } from './fingerprint.js';
export { isProduction, productionTagOptions } from './production-tags.js';
export { ec2IdleInstance } from './checks/ec2-idle-instance.js';
export { ebsUnattachedVolume } from './checks/ebs-unattached-volume.js';
export { eipUnassociatedAddress } from './checks/eip-unassociated-address.js';
