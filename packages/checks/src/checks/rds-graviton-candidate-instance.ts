// rds-graviton-candidate-instance: a DB instance on an x86 class whose Graviton equivalent costs less.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { familyMoveEvidence, rdsFamilyMove } from '../family-move.js';
import { atLeastACent, formatUsd } from '../format.js';
import { GRAVITON_RDS_ENGINES, RDS_GRAVITON_FAMILIES, familyMapOption } from '../instance-families.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  families: familyMapOption(RDS_GRAVITON_FAMILIES, 'x86 class family → its Graviton equivalent.'),
  engines: z.array(z.string().min(1)).default(GRAVITON_RDS_ENGINES).describe('Engines that run on Graviton classes.'),
  ...productionTagOptions,
});

export const rdsGravitonCandidateInstance = defineCheck({
  id: 'rds-graviton-candidate-instance',
  title: 'Graviton candidate RDS instance',
  description: 'DB instances on an x86 class whose Graviton class of the same size costs less (engines that support Graviton).',
  resourceKind: 'rds-instance',
  metrics: [],
  lookback: 'none',
  permissions: ['rds:DescribeDBInstances'],
  options,
  evaluate({ resource, options, prices }) {
    if (resource.status !== 'available') return null;
    if (!options.engines.includes(resource.engine.toLowerCase())) return null;
    const move = rdsFamilyMove(resource, options.families, prices);
    if (!move || !atLeastACent(move.savingsUsd)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: move.savingsUsd,
      priceConfidence: move.exact ? 'exact' : 'estimated',
      // The engine handles the architecture; the change is a restart (a failover with Multi-AZ).
      risk: riskFor('medium', production),
      confidence: 1,
      action: {
        type: 'rds.modify-db-instance',
        description: `Change the DB instance class from ${move.fromType} to the Graviton ${move.toType} in the next maintenance window.`,
        params: { dbInstanceIdentifier: resource.id, fromClass: move.fromType, toClass: move.toType },
      },
      reason: `${move.fromType} is an x86 class: the Graviton ${move.toType} costs ${formatUsd(move.savingsUsd)}/month less`,
      evidence: { ...familyMoveEvidence(move), engine: resource.engine, multiAz: resource.multiAz, production },
    };
  },
});
