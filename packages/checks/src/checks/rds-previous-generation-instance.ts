// rds-previous-generation-instance: a DB instance of an older class family; the current generation costs less.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { familyMoveEvidence, rdsFamilyMove } from '../family-move.js';
import { atLeastACent, formatUsd } from '../format.js';
import { RDS_PREVIOUS_GENERATION, familyMapOption } from '../instance-families.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  generations: familyMapOption(RDS_PREVIOUS_GENERATION, 'Previous-generation class family → the current-generation family to move to.'),
  ...productionTagOptions,
});

export const rdsPreviousGenerationInstance = defineCheck({
  id: 'rds-previous-generation-instance',
  title: 'Previous-generation RDS instance',
  description: 'DB instances of a previous-generation class (db.t2, db.m4, db.r4, …) that the same size of the current generation serves for less.',
  resourceKind: 'rds-instance',
  metrics: [],
  lookback: 'none',
  permissions: ['rds:DescribeDBInstances'],
  options,
  evaluate({ resource, options, prices }) {
    if (resource.status !== 'available') return null;
    const move = rdsFamilyMove(resource, options.generations, prices);
    if (!move || !atLeastACent(move.savingsUsd)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: move.savingsUsd,
      priceConfidence: move.exact ? 'exact' : 'estimated',
      // A class change restarts the database (a failover with Multi-AZ).
      risk: riskFor('medium', production),
      confidence: 1,
      action: {
        type: 'rds.modify-db-instance',
        description: `Change the DB instance class from ${move.fromType} to ${move.toType} in the next maintenance window.`,
        params: { dbInstanceIdentifier: resource.id, fromClass: move.fromType, toClass: move.toType },
      },
      reason: `${move.fromType} is previous generation: ${move.toType} costs ${formatUsd(move.savingsUsd)}/month less`,
      evidence: { ...familyMoveEvidence(move), engine: resource.engine, multiAz: resource.multiAz, production },
    };
  },
});
