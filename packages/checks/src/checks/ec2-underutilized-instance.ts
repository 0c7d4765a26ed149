// ec2-underutilized-instance: a running instance whose CPU p99 would fit one size down with headroom to spare.
import { HOURS_PER_MONTH } from '@finops/pricing';
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { atLeastACent, formatNumber, formatUsd } from '../format.js';
import { EC2_GRAVITON_FAMILIES, familyMapOption } from '../instance-families.js';
import { coverage, enoughData } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';
import { rightsizeTarget } from '../rightsize.js';

const options = z.strictObject({
  headroomPercent: z
    .number()
    .min(0)
    .max(90)
    .default(25)
    .describe(
      'CPU capacity that must stay free at the p99 projected onto the smaller size (percent). At least 20; 25 by default because hourly averages smooth out shorter peaks.',
    ),
  minDataCoverage: z
    .number()
    .min(0)
    .max(1)
    .default(0.8)
    .describe('An instance launched less than a lookback ago is judged only when this fraction of the expected CPU datapoints is present.'),
  allowGraviton: z
    .boolean()
    .default(true)
    .describe('When the family has no smaller size, move a Linux x86_64 instance one size down into its Graviton family.'),
  gravitonFamilies: familyMapOption(EC2_GRAVITON_FAMILIES, 'x86 family → its Graviton (arm64) equivalent.'),
  ...productionTagOptions,
});

export const ec2UnderutilizedInstance = defineCheck({
  id: 'ec2-underutilized-instance',
  title: 'Underutilized EC2 instance',
  description: 'Running instances whose CPU p99 would stay under the headroom limit on the next smaller size (or its Graviton equivalent).',
  resourceKind: 'ec2-instance',
  metrics: ['cpuUtilization'],
  lookback: 'utilization',
  permissions: ['ec2:DescribeInstances', 'cloudwatch:GetMetricData'],
  options,
  evaluate({ resource, metrics, options, prices, now }) {
    if (resource.state !== 'running') return null;
    const cpu = metrics?.metrics.cpuUtilization;
    // No datapoints is not low usage: nothing is known about the instance.
    if (!metrics || !cpu) return null;
    const cpuCoverage = coverage(cpu);
    if (!enoughData(cpu, resource.launchTime, metrics.lookbackDays, now, options.minDataCoverage)) return null;

    const family = resource.instanceType.split('.')[0] ?? '';
    const gravitonAllowed =
      options.allowGraviton && resource.platform === 'linux' && resource.architecture === 'x86_64';
    const target = rightsizeTarget({
      prices,
      catalog: 'ec2',
      type: resource.instanceType,
      cpuP99: cpu.p99,
      headroomPercent: options.headroomPercent,
      gravitonFamily: gravitonAllowed ? options.gravitonFamilies[family] : undefined,
    });
    if (!target) return null;

    const current = prices.ec2InstanceHourly(resource.instanceType, resource.region, resource.platform);
    const smaller = prices.ec2InstanceHourly(target.type, resource.region, resource.platform);
    const savings = (current.usd - smaller.usd) * HOURS_PER_MONTH;
    if (!atLeastACent(savings)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    const exact = current.confidence === 'exact' && smaller.confidence === 'exact' && resource.lifecycle === 'on-demand';
    return {
      monthlySavingsUsd: savings,
      priceConfidence: exact ? 'exact' : 'estimated',
      // A resize is a stop and start; a move to Graviton also needs arm64 builds of everything on the instance.
      risk: riskFor(target.viaGraviton ? 'high' : 'medium', production),
      confidence: cpuCoverage,
      action: {
        type: 'ec2.resize-instance',
        description: `Stop the instance, change its type from ${resource.instanceType} to ${target.type}, and start it${target.viaGraviton ? ' (arm64: needs arm64 builds of its software)' : ''}.`,
        params: { instanceId: resource.id, fromType: resource.instanceType, toType: target.type },
      },
      reason: `CPU p99 was ${formatNumber(cpu.p99)}% over ${metrics.lookbackDays} days: ${target.type} would run it at ${formatNumber(target.projectedCpuP99)}%, saving ${formatUsd(savings)}/month`,
      evidence: {
        cpuP99Percent: cpu.p99,
        projectedCpuP99Percent: target.projectedCpuP99,
        headroomPercent: options.headroomPercent,
        fromType: resource.instanceType,
        toType: target.type,
        viaGraviton: target.viaGraviton,
        cpuDatapoints: cpu.datapoints,
        expectedDatapoints: cpu.expectedDatapoints,
        lookbackDays: metrics.lookbackDays,
        pricePerHourUsd: current.usd,
        targetPricePerHourUsd: smaller.usd,
        priceBasis: current.basis,
        targetPriceBasis: smaller.basis,
        lifecycle: resource.lifecycle,
        production,
      },
    };
  },
});
