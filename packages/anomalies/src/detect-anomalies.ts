// Finds cost anomalies in every daily series of a CostDataset: days over a seasonal baseline by dollars, percent
// and noise, merged into anomalies with severity and ranked root causes.
import { roundCents, type CostDataset } from '@finops/core';
import { breakdownCells, dayAxis, denseValues, parseSeriesKey, type BreakdownCell, type DayAxis, type SeriesDimension, type SeriesKey } from './cost-series.js';
import { rankCells, type RootCause } from './root-causes.js';
import { firstCostIndex, seasonalBaseline } from './seasonal-baseline.js';
import { severityOf, type AnomalySettings, type Severity } from './severity.js';

/**
 * Anomalous days separated by at most this many ordinary days are one anomaly: a cost that flickers around the
 * threshold must not open (and alert) a new anomaly every other day.
 */
export const MERGE_GAP_DAYS = 1;

/** The unit of every impact threshold and figure, stated wherever one is shown. */
export const IMPACT_UNIT = 'USD per day';

export interface DetectedAnomaly {
  /** Series key: `total`, `service:<name>`, `region:<name>`, `account:<id>`, `tag:<key>=<value>`. */
  series: string;
  dimension: SeriesDimension;
  /** First anomalous day. */
  startDate: string;
  /** Last anomalous day. */
  latestDate: string;
  /** Whether the latest day of the data is anomalous (the anomaly is still going on). */
  ongoing: boolean;
  /** Days from start to latest, both included. */
  days: number;
  baselineUsdPerDay: number;
  actualUsdPerDay: number;
  /** Average cost above the baseline over the anomaly's days. */
  impactUsdPerDay: number;
  impactUsdToDate: number;
  /** Impact over baseline, percent; null when the baseline was 0 (new spend). */
  deviationPercent: number | null;
  /** Largest one-day excess over the baseline. */
  peakImpactUsd: number;
  severity: Severity;
  rootCauses: RootCause[];
  /** Why root causes are missing, when they are. */
  rootCauseNote?: string;
}

export type SeriesStatus = 'judged' | 'insufficient-history' | 'zero-cost';

export interface SeriesVerdict {
  series: string;
  status: SeriesStatus;
  /** Days from the series' first cost to the end of the data. */
  historyDays: number;
  /** Days that had enough history to be judged. */
  judgedDays: number;
}

export interface AnomalyDetection {
  /** First day and the day after the last day of the data. */
  dataStart: string;
  dataEnd: string;
  /** Last day of the data (the latest a still-open anomaly reaches). */
  latestDay: string;
  unit: typeof IMPACT_UNIT;
  series: SeriesVerdict[];
  /** Sum of judgedDays over every series. */
  seriesDaysJudged: number;
  /** Largest impact first. */
  anomalies: DetectedAnomaly[];
}

/** One judged day of a series. */
export interface JudgedDay {
  index: number;
  actualUsd: number;
  baselineUsd: number;
  noiseUsd: number;
  anomalous: boolean;
}

/**
 * Judges every day of one series that has `minHistoryDays` of cost before it. A day is anomalous when its cost
 * exceeds the baseline by more than `minImpactUsdPerDay`, by more than `minDeviationPercent` of the baseline, and
 * by more than `minRobustZScore` times the series' noise. Only rises are anomalies: a drop saves money.
 */
export function judgeSeries(values: readonly number[], settings: AnomalySettings): { firstIndex: number; days: JudgedDay[] } {
  const firstIndex = firstCostIndex(values);
  const days: JudgedDay[] = [];
  if (firstIndex < 0) return { firstIndex, days };
  for (let index = firstIndex + settings.minHistoryDays; index < values.length; index++) {
    const baseline = seasonalBaseline(values, index, { windowDays: settings.baselineDays, firstIndex });
    if (!baseline) continue;
    const impact = values[index] - baseline.usd;
    const deviationPercent = baseline.usd > 0 ? (impact / baseline.usd) * 100 : impact > 0 ? Number.POSITIVE_INFINITY : 0;
    days.push({
      index,
      actualUsd: values[index],
      baselineUsd: baseline.usd,
      noiseUsd: baseline.noiseUsd,
      anomalous:
        impact > settings.minImpactUsdPerDay && deviationPercent > settings.minDeviationPercent && impact > settings.minRobustZScore * baseline.noiseUsd,
    });
  }
  return { firstIndex, days };
}

/** Runs of anomalous days, merged across gaps of at most MERGE_GAP_DAYS judged ordinary days. */
export function anomalousRuns(days: readonly JudgedDay[]): JudgedDay[][] {
  const runs: JudgedDay[][] = [];
  let current: JudgedDay[] = [];
  let gap: JudgedDay[] = [];
  for (const day of days) {
    if (day.anomalous) {
      current.push(...gap, day);
      gap = [];
    } else if (current.length > 0) {
      gap.push(day);
      if (gap.length > MERGE_GAP_DAYS) {
        runs.push(current);
        current = [];
        gap = [];
      }
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/**
 * Detects anomalies in the total and in every service, region and account series of `dataset`, and in the tag
 * series of `settings.tagKeys`; root causes come from the dataset's (service, region, account) breakdown.
 *
 * @example
 * const { anomalies, series } = detectAnomalies(dataset, config.anomalyDetection);
 * series.filter((s) => s.status === 'insufficient-history'); // judged once they have minHistoryDays of cost
 */
export function detectAnomalies(dataset: CostDataset, settings: AnomalySettings): AnomalyDetection {
  const axis = dayAxis(dataset);
  const cells = breakdownCells(dataset, axis);
  const verdicts: SeriesVerdict[] = [];
  const anomalies: DetectedAnomaly[] = [];
  for (const key of watchedSeries(dataset, settings)) {
    const values = denseValues(axis, dataset.series[key.key]);
    const { firstIndex, days } = judgeSeries(values, settings);
    const historyDays = firstIndex < 0 ? 0 : axis.days.length - firstIndex;
    verdicts.push({
      series: key.key,
      status: firstIndex < 0 ? 'zero-cost' : days.length === 0 ? 'insufficient-history' : 'judged',
      historyDays,
      judgedDays: days.length,
    });
    for (const run of anomalousRuns(days)) anomalies.push(describeRun(key, run, axis, cells, settings));
  }
  anomalies.sort((a, b) => b.impactUsdToDate - a.impactUsdToDate || a.series.localeCompare(b.series) || a.startDate.localeCompare(b.startDate));
  return {
    dataStart: axis.start,
    dataEnd: axis.end,
    latestDay: axis.days[axis.days.length - 1] ?? axis.start,
    unit: IMPACT_UNIT,
    series: verdicts,
    seriesDaysJudged: verdicts.reduce((sum, v) => sum + v.judgedDays, 0),
    anomalies,
  };
}

/** The dataset's series this configuration watches, in key order. */
export function watchedSeries(dataset: Pick<CostDataset, 'series'>, settings: Pick<AnomalySettings, 'tagKeys'>): SeriesKey[] {
  return Object.keys(dataset.series)
    .sort()
    .map(parseSeriesKey)
    .filter((key): key is SeriesKey => key !== undefined)
    .filter((key) => key.dimension !== 'tag' || settings.tagKeys.includes(key.value.split('=', 1)[0]));
}

function describeRun(key: SeriesKey, run: readonly JudgedDay[], axis: DayAxis, cells: readonly BreakdownCell[], settings: AnomalySettings): DetectedAnomaly {
  const first = run[0];
  const last = run[run.length - 1];
  const days = last.index - first.index + 1;
  const baselineSum = run.reduce((sum, d) => sum + d.baselineUsd, 0);
  const actualSum = run.reduce((sum, d) => sum + d.actualUsd, 0);
  const impactUsdToDate = actualSum - baselineSum;
  const impactUsdPerDay = impactUsdToDate / days;
  const deviationPercent = baselineSum > 0 ? Math.round((impactUsdToDate / baselineSum) * 1000) / 10 : null;
  const rootCauses =
    key.dimension === 'tag' ? [] : rankCells(cells, key, { from: first.index, to: last.index, impactUsdToDate }, settings.baselineDays);
  return {
    series: key.key,
    dimension: key.dimension,
    startDate: axis.days[first.index],
    latestDate: axis.days[last.index],
    ongoing: last.index === axis.days.length - 1,
    days,
    baselineUsdPerDay: roundCents(baselineSum / days),
    actualUsdPerDay: roundCents(actualSum / days),
    impactUsdPerDay: roundCents(impactUsdPerDay),
    impactUsdToDate: roundCents(impactUsdToDate),
    deviationPercent,
    peakImpactUsd: roundCents(Math.max(...run.map((d) => d.actualUsd - d.baselineUsd))),
    severity: severityOf(impactUsdPerDay, deviationPercent, settings.severity),
    rootCauses,
    ...(rootCauses.length > 0
      ? {}
      : {
          rootCauseNote:
            key.dimension === 'tag'
              ? 'tag series have no service, region and account breakdown in the cost data'
              : 'no service, region and account cell of the breakdown rose over its baseline',
        }),
  };
}
