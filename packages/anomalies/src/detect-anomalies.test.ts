// Detection on synthetic series: step changes, spikes, drift, weekly seasonality, holidays, short history, zero
// cost and small bills, each found or not found at the documented thresholds.
import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import { anomalousRuns, detectAnomalies, judgeSeries, type JudgedDay } from './detect-anomalies.js';
import { anomalySettings, datasetFromCells, shapedSeries, totalOnly, withExtra } from './test-support.js';

const START = '2025-01-06'; // a Monday
const defaults = anomalySettings();
const busy = (days: number, seed = 1) => shapedSeries(START, days, { base: 1000, weekendFactor: 0.6, noise: 0.03, seed });
const detect = (values: number[], settings = defaults) => detectAnomalies(totalOnly(START, values), settings);

describe('detectAnomalies: thresholds (defaults: > $25/day, > 30%, > 3 robust σ)', () => {
  const flat = new Array<number>(90).fill(100);

  it('needs more than minImpactUsdPerDay and more than minDeviationPercent, both', () => {
    expect(detect(withExtra(flat, 80, 81, 25)).anomalies).toEqual([]); // $25, 25%: neither
    expect(detect(withExtra(flat, 80, 81, 30)).anomalies).toEqual([]); // $30 but 30%: deviation not above
    const found = detect(withExtra(flat, 80, 81, 31)).anomalies;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ series: 'total', startDate: addDays(START, 80), latestDate: addDays(START, 80), impactUsdPerDay: 31, deviationPercent: 31, severity: 'low' });
  });

  it('does not alert on a large percentage of a small bill', () => {
    const small = new Array<number>(90).fill(2);
    expect(detect(withExtra(small, 80, 90, 10)).anomalies).toEqual([]); // +500%, but $10/day
    const found = detect(withExtra(small, 80, 90, 40)).anomalies;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ startDate: addDays(START, 80), ongoing: true, days: 10, severity: 'low', deviationPercent: 2000 });
  });

  it('reads impact per day: a $20/day rise over 10 days ($200 in all) stays under a $25/day floor', () => {
    expect(detect(withExtra(flat, 80, 90, 20)).anomalies).toEqual([]);
  });

  it('ignores ordinary swings of a noisy series (robust z-score) that the percentage alone would flag', () => {
    const noisy = shapedSeries(START, 120, { base: 500, noise: 0.45, seed: 9 });
    expect(detect(noisy).anomalies).toEqual([]);
    expect(detect(noisy, anomalySettings({ minRobustZScore: 0 })).anomalies.length).toBeGreaterThan(0);
  });
});

describe('detectAnomalies: shapes', () => {
  it('finds a step change from its first day and keeps it open while it lasts', () => {
    const values = withExtra(busy(90), 75, 90, 400);
    const { anomalies } = detect(values);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ startDate: addDays(START, 75), latestDate: addDays(START, 89), ongoing: true, days: 15 });
    expect(anomalies[0].impactUsdPerDay).toBeGreaterThan(370);
    expect(anomalies[0].impactUsdPerDay).toBeLessThan(430);
    // ~$400/day on ~$1,000 weekdays and ~$600 weekends: ≥ $100/day and ≥ 30%, but < 50% on average: medium.
    expect(anomalies[0].deviationPercent).toBeGreaterThan(30);
    expect(anomalies[0].deviationPercent).toBeLessThan(50);
    expect(anomalies[0].severity).toBe('medium');
  });

  it('absorbs a lasting step into the baseline after about half the window, then closes it', () => {
    const values = withExtra(busy(140), 70, 140, 400);
    const { anomalies } = detect(values);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ startDate: addDays(START, 70), ongoing: false });
    // Half of a weekday's 8 samples are new after 4 weeks (the median moves); half the weekdays' spreads widen
    // a few days earlier.
    expect(anomalies[0].days).toBeGreaterThanOrEqual(22);
    expect(anomalies[0].days).toBeLessThanOrEqual(28);
  });

  it('does not find a step that stays under the deviation threshold', () => {
    expect(detect(withExtra(busy(90), 75, 90, 150)).anomalies).toEqual([]); // +15% on weekdays, +25% at weekends
    // +33% at weekends: found there, one anomaly per weekend (five ordinary weekdays apart).
    const weekends = detect(withExtra(busy(90), 75, 90, 200)).anomalies;
    expect(weekends.map((a) => a.startDate).sort()).toEqual([addDays(START, 75), addDays(START, 82), addDays(START, 89)]);
  });

  it('finds a one-day spike and closes it the next day', () => {
    const { anomalies } = detect(withExtra(busy(90), 80, 81, 600));
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ startDate: addDays(START, 80), latestDate: addDays(START, 80), ongoing: false, days: 1, severity: 'high' });
  });

  it('judges a weekend against weekends: a rise that stays below weekday cost is still found', () => {
    const weekendDay = 82; // 2025-03-29, a Saturday
    const { anomalies } = detect(withExtra(busy(90), weekendDay, weekendDay + 1, 300));
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0].startDate).toBe(addDays(START, weekendDay));
    expect(anomalies[0].actualUsdPerDay).toBeLessThan(1000);
  });

  it('finds nothing in a strongly seasonal series with noise', () => {
    const seasonal = shapedSeries(START, 180, { base: 2000, weekendFactor: 0.3, noise: 0.05, seed: 4 });
    const result = detect(seasonal);
    expect(result.anomalies).toEqual([]);
    expect(result.seriesDaysJudged).toBe(180 - 14);
  });

  it('lets slow growth pass (15%/year, or 0.4%/day) but finds a fast ramp (3%/day)', () => {
    expect(detect(busy(365).map((v, i) => v * (1 + (0.15 * i) / 365))).anomalies).toEqual([]);
    expect(detect(shapedSeries(START, 120, { base: 1000, weekendFactor: 0.6, noise: 0.03, trendPerDay: 0.004 })).anomalies).toEqual([]);
    const ramp = busy(90).map((v, i) => (i >= 60 ? v * (1 + 0.03 * (i - 60)) : v));
    const { anomalies } = detect(ramp);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0].ongoing).toBe(true);
    expect(anomalies[0].startDate > addDays(START, 60)).toBe(true);
  });

  it('raises no alarm around holidays: a dip is not an anomaly, nor is the normal day after it', () => {
    const holidays = [3, 45, 52, 80]; // day 3: inside the first two weeks, where a weekday has only 2 samples
    const values = busy(100).map((v, i) => (holidays.includes(i) ? v * 0.2 : v));
    expect(detect(values).anomalies).toEqual([]);
  });

  it('finds an anomaly that starts on a holiday weekday the next week (the dip does not hide it)', () => {
    const values = withExtra(busy(100).map((v, i) => (i === 73 ? v * 0.2 : v)), 80, 82, 700);
    const { anomalies } = detect(values);
    expect(anomalies.map((a) => a.startDate)).toEqual([addDays(START, 80)]);
  });
});

describe('detectAnomalies: history', () => {
  it('says a new series lacks history, judges it after minHistoryDays, and catches its cost in the total', () => {
    const established = { service: 'AWS Lambda', region: 'eu-west-1', accountId: '111111111111', values: busy(90) };
    const newcomer = { service: 'Amazon SageMaker', region: 'eu-west-1', accountId: '111111111111', values: new Array<number>(90).fill(0).map((_, i) => (i >= 80 ? 900 : 0)) };
    const result = detectAnomalies(datasetFromCells(START, [established, newcomer]), defaults);
    expect(result.series.find((s) => s.series === 'service:Amazon SageMaker')).toEqual({ series: 'service:Amazon SageMaker', status: 'insufficient-history', historyDays: 10, judgedDays: 0 });
    expect(result.anomalies.map((a) => a.series).sort()).toEqual(['account:111111111111', 'region:eu-west-1', 'total']);
    const total = result.anomalies.find((a) => a.series === 'total');
    expect(total?.rootCauses[0]).toMatchObject({ service: 'Amazon SageMaker', contributionUsdPerDay: 900, sharePercent: expect.closeTo(100, 0) });

    const later = new Array<number>(120).fill(0).map((_, i) => (i >= 100 ? 900 : 0));
    const judged = detectAnomalies(totalOnly(START, later), defaults);
    expect(judged.series[0]).toMatchObject({ status: 'judged', historyDays: 20, judgedDays: 6 });
    expect(judged.anomalies).toEqual([]);
  });

  it('reports a series without any cost as zero-cost and never flags it', () => {
    const result = detect(new Array<number>(90).fill(0));
    expect(result.series).toEqual([{ series: 'total', status: 'zero-cost', historyDays: 0, judgedDays: 0 }]);
    expect(result.anomalies).toEqual([]);
  });

  it('treats cost on a series that had none for weeks as new spend (no baseline, null deviation)', () => {
    const values = new Array<number>(90).fill(0).map((_, i) => (i < 20 ? 50 : i >= 85 ? 200 : 0));
    const [anomaly] = detect(values).anomalies;
    expect(anomaly).toMatchObject({ startDate: addDays(START, 85), baselineUsdPerDay: 0, deviationPercent: null, severity: 'medium' });
  });
});

describe('detectAnomalies: series and root causes', () => {
  const cell = (service: string, region: string, accountId: string, seed: number, extra?: [number, number, number]) => {
    const values = shapedSeries(START, 90, { base: 800, weekendFactor: 0.7, noise: 0.03, seed });
    return { service, region, accountId, values: extra ? withExtra(values, ...extra) : values };
  };

  it('finds the anomaly in every series the cell adds to, with the cell ranked first', () => {
    const cells = [
      cell('Amazon Elastic Compute Cloud - Compute', 'eu-west-1', '111111111111', 1, [84, 88, 700]), // Monday to Thursday
      cell('Amazon Elastic Compute Cloud - Compute', 'us-east-1', '111111111111', 2),
      cell('Amazon Relational Database Service', 'eu-west-1', '222222222222', 3),
      cell('AWS Lambda', 'us-east-1', '222222222222', 4),
    ];
    const result = detectAnomalies(datasetFromCells(START, cells), defaults);
    expect(result.anomalies.map((a) => a.series).sort()).toEqual([
      'account:111111111111',
      'region:eu-west-1',
      'service:Amazon Elastic Compute Cloud - Compute',
    ]);
    for (const a of result.anomalies) {
      expect(a.rootCauses[0]).toMatchObject({ service: 'Amazon Elastic Compute Cloud - Compute', region: 'eu-west-1', accountId: '111111111111' });
      expect(a.rootCauses[0].contributionUsdPerDay).toBeGreaterThan(680);
      expect(a.rootCauses[0].contributionUsdPerDay).toBeLessThan(720);
      expect(a.startDate).toBe(addDays(START, 84));
      expect(a.latestDate).toBe(addDays(START, 87));
    }
    // Each of those series is ~$1,600 on weekdays (+44%); the whole bill is ~$3,200 (+22%: under the threshold).
    expect(result.anomalies.find((a) => a.series === 'total')).toBeUndefined();
  });

  it('watches tag series only for configured tag keys and says they have no root-cause breakdown', () => {
    const tagged = withExtra(busy(90), 85, 90, 500);
    const dataset = datasetFromCells(START, [], { total: busy(90, 2), 'tag:team=data': tagged, 'tag:env=prod': tagged });
    expect(detectAnomalies(dataset, defaults).anomalies).toEqual([]);
    const watched = detectAnomalies(dataset, anomalySettings({ tagKeys: ['team'] }));
    expect(watched.anomalies).toHaveLength(1);
    expect(watched.anomalies[0]).toMatchObject({ series: 'tag:team=data', dimension: 'tag', rootCauses: [], rootCauseNote: expect.stringContaining('no service, region and account breakdown') });
  });
});

describe('anomalousRuns', () => {
  const day = (index: number, anomalous: boolean): JudgedDay => ({ index, actualUsd: 0, baselineUsd: 0, noiseUsd: 0, anomalous });
  it('merges runs across one ordinary day, not two', () => {
    const flags = [1, 1, 0, 1, 0, 0, 1, 0];
    const runs = anomalousRuns(flags.map((f, i) => day(i, f === 1)));
    expect(runs.map((r) => r.map((d) => d.index))).toEqual([[0, 1, 2, 3], [6]]);
  });
});

describe('judgeSeries', () => {
  it('judges from minHistoryDays after the first cost', () => {
    const { firstIndex, days } = judgeSeries([0, 0, ...new Array<number>(30).fill(10)], defaults);
    expect(firstIndex).toBe(2);
    expect(days[0].index).toBe(16);
  });
});
