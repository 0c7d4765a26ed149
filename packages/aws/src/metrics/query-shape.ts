// What one metric query asks CloudWatch for: its period and its window, from the windows it serves.
import type { MetricDefinition } from './metric-definitions.js';
import { metricWindow, type MetricWindow } from './plan-metric-batches.js';

export const DAY_SEC = 86_400;
const DAY_MS = DAY_SEC * 1000;

/** The windows of one fetch: the utilization window, and the optional "unused" one (always daily). */
export interface MetricWindows {
  lookbackDays: number;
  /** The utilization window's period. */
  periodSec: number;
  unusedLookbackDays?: number;
}

/** How one query is asked for. Queries of one window share GetMetricData calls, whatever their periods. */
export interface QueryShape {
  /** Seconds per datapoint. */
  periodSec: number;
  /** Days asked for: the longer of the windows the query serves. */
  spanDays: number;
  /** Whether it serves the utilization window, which then sets where it ends. */
  utilization: boolean;
}

/**
 * A metric's query for the windows that need it: at the utilization period over the utilization window, daily over
 * the unused one, and once over the longer window when both need it (CloudWatch bills per metric asked for, not per
 * datapoint). A daily definition is daily over either window: its checks read only per-day totals.
 */
export function queryShape(definition: MetricDefinition, serves: { utilization: boolean; unused: boolean }, windows: MetricWindows): QueryShape {
  const { utilization, unused } = serves;
  const periodSec = utilization && definition.period !== 'daily' ? windows.periodSec : DAY_SEC;
  const spanDays = Math.max(utilization ? windows.lookbackDays : 0, unused ? (windows.unusedLookbackDays ?? 0) : 0);
  return { periodSec, spanDays, utilization };
}

/**
 * The window of a query of this shape, asked alone. One that serves the utilization window ends where that window
 * ends (the last boundary of the utilization period before now), one that serves only the unused window at the last
 * UTC midnight. CloudWatch starts periods at StartTime, so a daily query starts at a midnight to make each datapoint
 * one UTC day: over an hourly utilization window, the midnight before its first hour. Its days then hold every hour
 * the hourly window holds (and the first day's earlier hours: a day's total can only come out higher, never lower).
 *
 * @example queryWindow(new Date('2024-06-15T10:30Z'), { periodSec: 86_400, spanDays: 14, utilization: true }, 3600)
 * // { start: 2024-06-01T00:00Z, end: 2024-06-15T10:00Z }: 15 days, the last one until 10:00
 */
export function queryWindow(now: Date, shape: QueryShape, utilizationPeriodSec: number): MetricWindow {
  const window = metricWindow(now, shape.spanDays, shape.utilization ? utilizationPeriodSec : DAY_SEC);
  return shape.periodSec === DAY_SEC ? fromMidnight(window) : window;
}

/**
 * The window each query shape of one fetch is asked over. A GetMetricData call has one window but a period per
 * query, so when a daily query serves the utilization window, every query of that window starts at the same
 * midnight it does (a boundary of every utilization period: 300, 3,600 and 86,400 s all divide a day): hourly and
 * daily queries then share calls. Such an hourly query returns the hours before its own window too (up to 23);
 * its summaries leave them out. Queries of a longer window, and fetches without a daily utilization query, keep
 * their own windows (queryWindow).
 *
 * @example fetchWindows(new Date('2024-06-15T10:30Z'), [cpu, network], { lookbackDays: 14, periodSec: 3600 })
 * // both: { start: 2024-06-01T00:00Z, end: 2024-06-15T10:00Z }; cpu alone would start at 2024-06-01T10:00Z
 */
export function fetchWindows(now: Date, shapes: readonly QueryShape[], windows: MetricWindows): Map<QueryShape, MetricWindow> {
  const ofUtilizationWindow = (shape: QueryShape) => shape.utilization && shape.spanDays === windows.lookbackDays;
  const shared = shapes.some((shape) => ofUtilizationWindow(shape) && shape.periodSec === DAY_SEC);
  const result = new Map<QueryShape, MetricWindow>();
  for (const shape of shapes) {
    const window = queryWindow(now, shape, windows.periodSec);
    result.set(shape, shared && ofUtilizationWindow(shape) ? fromMidnight(window) : window);
  }
  return result;
}

/** The window from the UTC midnight at or before its start. */
function fromMidnight(window: MetricWindow): MetricWindow {
  return { start: new Date(Math.floor(window.start.getTime() / DAY_MS) * DAY_MS), end: window.end };
}
