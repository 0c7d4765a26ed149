// optimization.suppress rules: which recommendations a rule covers, with `*` matching any run of characters.
import type { Config } from '@finops/core';

export type SuppressRule = Config['optimization']['suppress'][number];

export interface SuppressTarget {
  checkId: string;
  accountId: string;
  region: string;
  resourceId: string;
}

function glob(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(value);
}

/**
 * Whether every field the rule sets matches (`checkId` and `resourceId` may hold `*`).
 * @example matchSuppressRule({ checkId: 'ec2-*', accountId: '111111111111', reason: 'sandbox' }, target)
 */
export function matchSuppressRule(rule: SuppressRule, target: SuppressTarget): boolean {
  return (
    (rule.checkId === undefined || glob(rule.checkId, target.checkId)) &&
    (rule.accountId === undefined || rule.accountId === target.accountId) &&
    (rule.region === undefined || rule.region === target.region) &&
    (rule.resourceId === undefined || glob(rule.resourceId, target.resourceId))
  );
}
