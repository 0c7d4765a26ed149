// Money and anomaly text as alerts and reports show them: "+$412/day", "EC2 in eu-west-1, account 1111…".
import type { RootCause } from './root-causes.js';

/** `$1,234.56`, `-$12.00` (credits). */
export function usd(amount: number): string {
  const text = Math.abs(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount < 0 ? '-' : ''}$${text}`;
}

/** `+$412.00/day` */
export function usdPerDay(amount: number): string {
  return `${amount >= 0 ? '+' : '-'}${usd(Math.abs(amount))}/day`;
}

/**
 * A root cause as one phrase.
 *
 * @example
 * describeRootCause(rc); // 'Amazon Elastic Compute Cloud - Compute in eu-west-1, account 111111111111, EU-BoxUsage:c5.4xlarge, +$412.00/day'
 */
export function describeRootCause(rc: RootCause): string {
  const parts = [`${rc.service} in ${rc.region}`, `account ${rc.accountId}`];
  if (rc.usageType) parts.push(rc.usageType);
  parts.push(usdPerDay(rc.contributionUsdPerDay));
  return parts.join(', ');
}
