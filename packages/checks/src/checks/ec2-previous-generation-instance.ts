// ec2-previous-generation-instance: a running instance of an older family; the current generation costs less.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { ec2FamilyMove, familyMoveEvidence } from '../family-move.js';
import { atLeastACent, formatUsd } from '../format.js';
import { EC2_PREVIOUS_GENERATION, familyMapOption } from '../instance-families.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  generations: familyMapOption(EC2_PREVIOUS_GENERATION, 'Previous-generation family → the current-generation family to move to.'),
  ...productionTagOptions,
});

export const ec2PreviousGenerationInstance = defineCheck({
  id: 'ec2-previous-generation-instance',
  title: 'Previous-generation EC2 instance',
  description: 'Running instances of a previous-generation family (t2, m4, c4, r4, …) that the same size of the current generation serves for less.',
  resourceKind: 'ec2-instance',
  metrics: [],
  lookback: 'none',
  permissions: ['ec2:DescribeInstances'],
  options,
  evaluate({ resource, options, prices }) {
    // A stopped instance bills no compute: its generation costs nothing until it runs again.
    if (resource.state !== 'running') return null;
    const move = ec2FamilyMove(resource, options.generations, prices);
    if (!move || !atLeastACent(move.savingsUsd)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: move.savingsUsd,
      priceConfidence: move.exact ? 'exact' : 'estimated',
      // Newer families need the ENA and NVMe drivers in the AMI; the change itself is a stop and start.
      risk: riskFor('medium', production),
      confidence: 1,
      action: {
        type: 'ec2.resize-instance',
        description: `Stop the instance, change its type from ${move.fromType} to ${move.toType} (check the AMI has ENA and NVMe drivers), and start it.`,
        params: { instanceId: resource.id, fromType: move.fromType, toType: move.toType },
      },
      reason: `${move.fromType} is previous generation: ${move.toType} costs ${formatUsd(move.savingsUsd)}/month less`,
      evidence: { ...familyMoveEvidence(move), platform: resource.platform, lifecycle: resource.lifecycle, production },
    };
  },
});
