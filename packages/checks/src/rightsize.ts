// Rightsizing by CPU: one size down (or to the Graviton equivalent) when the projected p99 keeps the headroom.
import type { PriceTable } from '@finops/pricing';
import { oneSizeDown, sizeOf, type SizeOption } from './instance-families.js';

export interface RightsizeInput {
  prices: PriceTable;
  catalog: 'ec2' | 'rds';
  /** Current instance type or DB instance class. */
  type: string;
  /** p99 of CPU utilization over the window, percent. */
  cpuP99: number;
  /** CPU capacity that must stay free at the projected p99, percent. */
  headroomPercent: number;
  /** The Graviton family to move to when the current family has no smaller size (undefined: not allowed). */
  gravitonFamily?: string;
}

export interface RightsizeTarget extends SizeOption {
  from: SizeOption;
  /** The p99 the smaller size would see: the same work on proportionally fewer vCPUs. */
  projectedCpuP99: number;
  viaGraviton: boolean;
}

/**
 * One size down, never more: memory use is unknown without the CloudWatch agent, and halving at a time lets the
 * next scan judge again on the new size. The same family first; the Graviton equivalent only when the current
 * family has no smaller size (m5.large → m7g.medium). Undefined when no size fits.
 */
export function rightsizeTarget(input: RightsizeInput): RightsizeTarget | undefined {
  const from = sizeOf(input.prices, input.type);
  if (!from) return undefined;
  const candidate =
    oneSizeDown(input.prices, input.catalog, from.family, from.factor) ??
    (input.gravitonFamily ? oneSizeDown(input.prices, input.catalog, input.gravitonFamily, from.factor) : undefined);
  if (!candidate) return undefined;
  const projectedCpuP99 = (input.cpuP99 * from.factor) / candidate.factor;
  if (projectedCpuP99 > 100 - input.headroomPercent) return undefined;
  return { ...candidate, from, projectedCpuP99, viaGraviton: candidate.family !== from.family };
}
