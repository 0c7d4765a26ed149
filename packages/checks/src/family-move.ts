// The same size in another family (previous generation → current, x86 → Graviton), priced for EC2 and RDS.
import type { Ec2Instance, RdsInstance } from '@finops/core';
import { HOURS_PER_MONTH, parseInstanceType, type PriceQuote, type PriceTable } from '@finops/pricing';
import { sameSizeIn } from './instance-families.js';

export interface FamilyMove {
  fromType: string;
  toType: string;
  current: PriceQuote;
  target: PriceQuote;
  /** Monthly: (current − target) × hours; may be ≤ 0. */
  savingsUsd: number;
  exact: boolean;
}

/** `m5.large` with `{ m5: 'm7g' }` → m7g.large, when the table lists that size; undefined otherwise. */
function targetType(prices: PriceTable, catalog: 'ec2' | 'rds', type: string, families: Readonly<Record<string, string>>): string | undefined {
  const parts = parseInstanceType(type);
  const family = parts ? families[parts.family] : undefined;
  if (!parts || !family) return undefined;
  return sameSizeIn(prices, catalog, family, parts.size)?.type;
}

/** An instance's move to the same size in the family `families` maps its family to. */
export function ec2FamilyMove(instance: Ec2Instance, families: Readonly<Record<string, string>>, prices: PriceTable): FamilyMove | undefined {
  const toType = targetType(prices, 'ec2', instance.instanceType, families);
  if (!toType) return undefined;
  const current = prices.ec2InstanceHourly(instance.instanceType, instance.region, instance.platform);
  const target = prices.ec2InstanceHourly(toType, instance.region, instance.platform);
  return {
    fromType: instance.instanceType,
    toType,
    current,
    target,
    savingsUsd: (current.usd - target.usd) * HOURS_PER_MONTH,
    // Spot and capacity-block hours bill below the on-demand rate the table gives.
    exact: current.confidence === 'exact' && target.confidence === 'exact' && instance.lifecycle === 'on-demand',
  };
}

/** A DB instance's move to the same size in the class family `families` maps its family to (Multi-AZ kept). */
export function rdsFamilyMove(db: RdsInstance, families: Readonly<Record<string, string>>, prices: PriceTable): FamilyMove | undefined {
  const toType = targetType(prices, 'rds', db.dbInstanceClass, families);
  if (!toType) return undefined;
  const current = prices.rdsInstanceHourly(db.dbInstanceClass, db.engine, db.multiAz, db.region);
  const target = prices.rdsInstanceHourly(toType, db.engine, db.multiAz, db.region);
  return {
    fromType: db.dbInstanceClass,
    toType,
    current,
    target,
    savingsUsd: (current.usd - target.usd) * HOURS_PER_MONTH,
    exact: current.confidence === 'exact' && target.confidence === 'exact',
  };
}

/** The evidence every family move shows. */
export function familyMoveEvidence(move: FamilyMove): Record<string, string | number> {
  return {
    fromType: move.fromType,
    toType: move.toType,
    pricePerHourUsd: move.current.usd,
    targetPricePerHourUsd: move.target.usd,
    priceBasis: move.current.basis,
    targetPriceBasis: move.target.basis,
  };
}
