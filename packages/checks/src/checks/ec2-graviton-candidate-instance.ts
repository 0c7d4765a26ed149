// ec2-graviton-candidate-instance: a Linux x86 instance whose Graviton (arm64) equivalent costs less.
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { ec2FamilyMove, familyMoveEvidence } from '../family-move.js';
import { atLeastACent, formatUsd } from '../format.js';
import { EC2_GRAVITON_FAMILIES, familyMapOption } from '../instance-families.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  families: familyMapOption(EC2_GRAVITON_FAMILIES, 'x86 family → its Graviton (arm64) equivalent.'),
  ...productionTagOptions,
});

export const ec2GravitonCandidateInstance = defineCheck({
  id: 'ec2-graviton-candidate-instance',
  title: 'Graviton candidate EC2 instance',
  description: 'Running Linux x86_64 instances whose Graviton (arm64) equivalent of the same size costs less; Windows is skipped.',
  resourceKind: 'ec2-instance',
  metrics: [],
  lookback: 'none',
  permissions: ['ec2:DescribeInstances'],
  options,
  evaluate({ resource, options, prices }) {
    if (resource.state !== 'running') return null;
    // Windows does not run on Graviton; Mac instances are their own hardware.
    if (resource.platform !== 'linux' || resource.architecture !== 'x86_64') return null;
    const move = ec2FamilyMove(resource, options.families, prices);
    if (!move || !atLeastACent(move.savingsUsd)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      monthlySavingsUsd: move.savingsUsd,
      priceConfidence: move.exact ? 'exact' : 'estimated',
      // An architecture change: every binary, container image and AMI on the instance needs an arm64 build.
      risk: riskFor('medium', production),
      confidence: 1,
      action: {
        type: 'ec2.resize-instance',
        description: `Rebuild for arm64 and move from ${move.fromType} to ${move.toType} (a new AMI: the instance type alone cannot change architecture).`,
        params: { instanceId: resource.id, fromType: move.fromType, toType: move.toType },
      },
      reason: `${move.fromType} runs Linux on x86_64: the Graviton ${move.toType} costs ${formatUsd(move.savingsUsd)}/month less`,
      evidence: { ...familyMoveEvidence(move), lifecycle: resource.lifecycle, production },
    };
  },
});
