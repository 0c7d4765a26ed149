// rds-idle-instance: a database nobody connected to on any day of the last week.
import { HOURS_PER_MONTH } from '@finops/pricing';
import { z } from 'zod';
import { defineCheck } from '../check.js';
import { formatUsd } from '../format.js';
import { coverage, existedThroughout, recentDays } from '../metric-window.js';
import { isProduction, productionTagOptions, riskFor } from '../production-tags.js';

const options = z.strictObject({
  days: z.number().int().min(1).max(14).default(7).describe('Days judged, ending today (within the utilization lookback).'),
  maxConnections: z
    .number()
    .nonnegative()
    .default(0)
    .describe('Idle only if the peak number of connections on every one of those days was at most this.'),
  ...productionTagOptions,
});

export const rdsIdleInstance = defineCheck({
  id: 'rds-idle-instance',
  title: 'Idle RDS instance',
  description: 'Available DB instances with no connection on any day of the last week (Trusted Advisor: idle DB instances).',
  resourceKind: 'rds-instance',
  metrics: ['databaseConnections'],
  lookback: 'utilization',
  permissions: ['rds:DescribeDBInstances', 'cloudwatch:GetMetricData'],
  options,
  evaluate({ resource, metrics, options, prices, now }) {
    if (resource.status !== 'available') return null;
    if (!existedThroughout(resource.createdAt, options.days, now)) return null;
    const connections = metrics?.metrics.databaseConnections;
    // RDS publishes connections every minute, zeros included: a day without data is unknown (stopped), not idle.
    if (!metrics || !connections) return null;
    const days = recentDays(connections.daily, options.days, now);
    if (days.length < options.days) return null;
    const peak = Math.max(...days.map((day) => day.value));
    if (peak > options.maxConnections) return null;

    const price = prices.rdsInstanceHourly(resource.dbInstanceClass, resource.engine, resource.multiAz, resource.region);
    const production = isProduction(resource.tags, options.productionTagKeys, options.productionTagValues);
    return {
      // Storage bills until the instance is deleted, so only the instance hours are counted.
      monthlySavingsUsd: price.usd * HOURS_PER_MONTH,
      priceConfidence: price.confidence,
      risk: riskFor('medium', production),
      confidence: coverage(connections),
      action: {
        type: 'rds.delete-db-instance',
        description: 'Take a final snapshot and delete the DB instance, or stop it (RDS starts a stopped instance again after 7 days).',
        params: { dbInstanceIdentifier: resource.id, finalSnapshot: true },
      },
      reason: `At most ${peak} connection(s) on each of the last ${days.length} days; the ${resource.dbInstanceClass}${resource.multiAz ? ' Multi-AZ' : ''} instance bills ${formatUsd(price.usd * HOURS_PER_MONTH)}/month before storage`,
      evidence: {
        maxDailyConnections: peak,
        daysJudged: days.length,
        dbInstanceClass: resource.dbInstanceClass,
        engine: resource.engine,
        multiAz: resource.multiAz,
        pricePerHourUsd: price.usd,
        priceBasis: price.basis,
        storageNotCounted: true,
        production,
      },
    };
  },
});
