// Root causes: cells ranked by dollars over their pre-anomaly baseline, refined by Cost Explorer usage types.
import type { UsageTypeCosts } from '@finops/core';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import { detectAnomalies } from './detect-anomalies.js';
import { describeRootCause } from './format.js';
import { excessCost } from './root-causes.js';
import { anomalySettings, datasetFromCells, shapedSeries, withExtra } from './test-support.js';
import { trackAnomalies } from './track-anomalies.js';
import { applyUsageTypes, planUsageTypeLookups } from './usage-type-lookups.js';

const START = '2025-01-06';
const EC2 = 'Amazon Elastic Compute Cloud - Compute';

describe('excessCost', () => {
  it('compares each day with the same weekday before the anomaly, and counts new spend in full', () => {
    const steady = shapedSeries(START, 70, { base: 100, weekendFactor: 0.5 });
    expect(excessCost(withExtra(steady, 63, 70, 40), 63, 69, 56)).toBeCloseTo(7 * 40, 6);
    const fresh = new Array<number>(70).fill(0).map((_, i) => (i >= 63 ? 90 : 0));
    expect(excessCost(fresh, 63, 69, 56)).toBeCloseTo(7 * 90, 6);
  });
});

describe('usage-type root causes', () => {
  const cells = [
    { service: EC2, region: 'eu-west-1', accountId: '111111111111', values: withExtra(shapedSeries(START, 90, { base: 500, seed: 1, noise: 0.02 }), 85, 90, 412) },
    { service: EC2, region: 'us-east-1', accountId: '222222222222', values: shapedSeries(START, 90, { base: 500, seed: 2, noise: 0.02 }) },
  ];
  const dataset = datasetFromCells(START, cells);
  const settings = anomalySettings();
  const detection = detectAnomalies(dataset, settings);
  const { tracked, touched } = trackAnomalies([], detection, new Date(`${addDays(START, 90)}T08:00:00Z`));

  it('plans one lookup per cell for every anomaly it explains, over the baseline window and the anomaly', () => {
    const lookups = planUsageTypeLookups(tracked, touched, settings);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toMatchObject({ service: EC2, region: 'eu-west-1', accountId: '111111111111', start: addDays(START, 85 - 56), end: addDays(START, 90) });
    expect(lookups[0].anomalyIds.sort()).toEqual(tracked.map((t) => t.id).sort());
    expect(planUsageTypeLookups(tracked, touched, anomalySettings({ usageTypeLookups: 0 }))).toEqual([]);
  });

  it('names the usage type that rose, with its dollars per day', () => {
    const [lookup] = planUsageTypeLookups(tracked, touched, settings);
    const days = (values: number[]) => values.map((amountUsd, i) => ({ date: addDays(lookup.start, i), amountUsd }));
    const span = 90 - (85 - 56);
    const costs: UsageTypeCosts = {
      fetchedAt: '2025-04-06T08:00:00.000Z',
      start: lookup.start,
      end: lookup.end,
      metric: 'NetUnblendedCost',
      service: EC2,
      region: 'eu-west-1',
      accountId: '111111111111',
      series: {
        'EU-BoxUsage:m5.large': days(new Array<number>(span).fill(300)),
        'EU-BoxUsage:c5.4xlarge': days(new Array<number>(span).fill(0).map((_, i) => (i >= 56 ? 412 : 0))),
        'EU-EBS:VolumeUsage.gp3': days(new Array<number>(span).fill(200)),
      },
      cached: false,
    };
    const refined = applyUsageTypes(tracked, [{ lookup, costs }], settings);
    for (const anomaly of refined) {
      expect(anomaly.rootCauses[0]).toMatchObject({ usageType: 'EU-BoxUsage:c5.4xlarge', contributionUsdPerDay: 412, accountId: '111111111111', region: 'eu-west-1' });
      expect(describeRootCause(anomaly.rootCauses[0])).toBe(`${EC2} in eu-west-1, account 111111111111, EU-BoxUsage:c5.4xlarge, +$412.00/day`);
    }
    // Once refined, an unchanged anomaly is not looked up again, and keeps its usage type across evaluations.
    const again = trackAnomalies(refined, detection, new Date(`${addDays(START, 90)}T09:00:00Z`));
    expect(planUsageTypeLookups(again.tracked, again.touched, settings)).toEqual([]);
    expect(again.tracked.every((t) => t.rootCauses[0].usageType === 'EU-BoxUsage:c5.4xlarge')).toBe(true);
  });
});
