// @finops/anomalies: cost anomaly detection over daily cost series — baseline, severity, root causes, tracking, alerts.
export { addDays, dayOf, dayToMs, daysBetween, weekdayOf } from './dates.js';
export { median, medianAbsoluteDeviation, MAD_TO_SIGMA } from './robust-stats.js';
export {
  breakdownCells,
  cellBelongsTo,
  cellKey,
  dayAxis,
  denseValues,
  parseSeriesKey,
  type BreakdownCell,
  type DayAxis,
  type SeriesDimension,
  type SeriesKey,
} from './cost-series.js';
export { firstCostIndex, seasonalBaseline, type Baseline, type BaselineOptions } from './seasonal-baseline.js';
export { compareSeverity, severityOf, SEVERITIES, type AnomalySettings, type Severity } from './severity.js';
export { excessCost, MAX_ROOT_CAUSES, rankCells, refineWithUsageTypes, type RootCause } from './root-causes.js';
export {
  anomalousRuns,
  detectAnomalies,
  IMPACT_UNIT,
  judgeSeries,
  MERGE_GAP_DAYS,
  watchedSeries,
  type AnomalyDetection,
  type DetectedAnomaly,
  type JudgedDay,
  type SeriesStatus,
  type SeriesVerdict,
} from './detect-anomalies.js';
export { anomalyId, trackAnomalies, TRACKING_RETENTION_DAYS, type AnomalyStatus, type TrackedAnomaly, type TrackingResult } from './track-anomalies.js';
export { alertGroupKey, planAnomalyAlerts, type AnomalyAlertPlan } from './plan-anomaly-alerts.js';
export { applyUsageTypes, planUsageTypeLookups, type UsageTypeLookup } from './usage-type-lookups.js';
export { describeRootCause, usd, usdPerDay } from './format.js';
export type { InsightAlert, InsightEvent } from './insight-alert.js';
