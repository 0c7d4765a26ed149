// rds-underutilized-instance: a database whose CPU p99 would fit one class size down with headroom to spare.
import { HOURS_PER_MONTH } from '@finops/pricing';
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { atLeastACent, formatNumber, formatUsd } from '../format.js';
import { GRAVITON_RDS_ENGINES, RDS_GRAVITON_FAMILIES, familyMapOption } from '../instance-families.js';
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
      'CPU capacity that must stay free at the p99 projected onto the smaller class (percent). At least 20; 25 by default because hourly averages smooth out shorter peaks.',
    ),
  minDataCoverage: z
    .number()
    .min(0)
    .max(1)
    .default(0.8)
    .describe('A DB instance created less than a lookback ago is judged only when this fraction of the expected CPU datapoints is present.'),
  allowGraviton: z
    .boolean()
    .default(true)
    .describe('When the class family has no smaller size, move one size down into its Graviton family (engines that support it).'),
  gravitonFamilies: familyMapOption(RDS_GRAVITON_FAMILIES, 'x86 class family → its Graviton equivalent.'),
  gravitonEngines: z.array(z.string().min(1)).default(GRAVITON_RDS_ENGINES).describe('Engines that run on Graviton classes.'),
  ...productionTagOptions,
});

export const rdsUnderutilizedInstance = defineCheck({
  id: 'rds-underutilized-instance',
  title: 'Underutilized RDS instance',
  description: 'Available DB instances whose CPU p99 would stay under the headroom limit on the next smaller class.',
  resourceKind: 'rds-instance',
  metrics: ['cpuUtilization'],
  lookback: 'utilization',
  permissions: ['rds:DescribeDBInstances', 'cloudwatch:GetMetricData'],
  options,
  evaluate({ resource, metrics, options, prices, now }) {
    if (resource.status !== 'available') return null;
    const cpu = metrics?.metrics.cpuUtilization;
    if (!metrics || !cpu) return null;
    const cpuCoverage = coverage(cpu);
    if (!enoughData(cpu, resource.createdAt, metrics.lookbackDays, now, options.minDataCoverage)) return null;

    const family = resource.dbInstanceClass.split('.').slice(0, 2).join('.');
    const gravitonAllowed = options.allowGraviton && options.gravitonEngines.includes(resource.engine.toLowerCase());
    const target = rightsizeTarget({
      prices,
      catalog: 'rds',
      type: resource.dbInstanceClass,
      cpuP99: cpu.p99,
      headroomPercent: options.headroomPercent,
      gravitonFamily: gravitonAllowed ? options.gravitonFamilies[family] : undefined,
    });
    if (!target) return null;

    const current = prices.rdsInstanceHourly(resource.dbInstanceClass, resource.engine, resource.multiAz, resource.region);
    const smaller = prices.rdsInstanceHourly(target.type, resource.engine, resource.multiAz, resource.region);
    const savings = (current.usd - smaller.usd) * HOURS_PER_MONTH;
    if (!atLeastACent(savings)) return null;
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    const exact = current.confidence === 'exact' && smaller.confidence === 'exact';
    return {
      monthlySavingsUsd: savings,
      priceConfidence: exact ? 'exact' : 'estimated',
      // A class change restarts the database (a failover with Multi-AZ); memory, and so the buffer cache, halves.
      risk: riskFor('medium', production),
      confidence: cpuCoverage,
      action: {
        type: 'rds.modify-db-instance',
        description: `Change the DB instance class from ${resource.dbInstanceClass} to ${target.type} in the next maintenance window.`,
        params: { dbInstanceIdentifier: resource.id, fromClass: resource.dbInstanceClass, toClass: target.type },
      },
      reason: `CPU p99 was ${formatNumber(cpu.p99)}% over ${metrics.lookbackDays} days: ${target.type} would run it at ${formatNumber(target.projectedCpuP99)}%, saving ${formatUsd(savings)}/month`,
      evidence: {
        cpuP99Percent: cpu.p99,
        projectedCpuP99Percent: target.projectedCpuP99,
        headroomPercent: options.headroomPercent,
        fromClass: resource.dbInstanceClass,
        toClass: target.type,
        viaGraviton: target.viaGraviton,
        engine: resource.engine,
        multiAz: resource.multiAz,
        cpuDatapoints: cpu.datapoints,
        expectedDatapoints: cpu.expectedDatapoints,
        lookbackDays: metrics.lookbackDays,
        pricePerHourUsd: current.usd,
        targetPricePerHourUsd: smaller.usd,
        priceBasis: current.basis,
        targetPriceBasis: smaller.basis,
        production,
      },
    };
  },
});
