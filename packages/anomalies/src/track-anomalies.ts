// Anomalies across evaluations: the same anomaly keeps its id while it grows, closes when it ends, and is pruned
// once it is far in the past.
import { createHash } from 'node:crypto';
import { addDays, daysBetween } from './dates.js';
import { MERGE_GAP_DAYS, type AnomalyDetection, type DetectedAnomaly } from './detect-anomalies.js';
import type { Severity } from './severity.js';

/** Tracked anomalies whose last day is older than this (relative to the data) are forgotten. */
export const TRACKING_RETENTION_DAYS = 400;

export type AnomalyStatus = 'open' | 'closed';

export interface TrackedAnomaly extends Omit<DetectedAnomaly, 'ongoing'> {
  /** `anom_` + 16 hex digits from the series and the start day it was first seen with; stable while it is tracked. */
  id: string;
  /** `open` while the latest day of the data is anomalous; `closed` once it is not, or the data no longer shows it. */
  status: AnomalyStatus;
  /** ISO times: first detected, last updated, closed. */
  firstSeenAt: string;
  updatedAt: string;
  closedAt?: string;
  /** The highest severity an alert has been raised for; absent while none has. */
  alertedSeverity?: Severity;
}

export interface TrackingResult {
  tracked: TrackedAnomaly[];
  /** Ids of the anomalies present in this evaluation's detection. */
  touched: string[];
}

/** Deterministic anomaly id from its series and start day. */
export function anomalyId(series: string, startDate: string): string {
  return `anom_${createHash('sha256').update(`${series}|${startDate}`).digest('hex').slice(0, 16)}`;
}

/** Whether a detection continues a tracked anomaly: same series, and days that overlap or touch across a short gap. */
function continues(previous: TrackedAnomaly, detected: DetectedAnomaly): boolean {
  const reach = MERGE_GAP_DAYS + 1;
  return (
    previous.series === detected.series &&
    detected.startDate <= addDays(previous.latestDate, reach) &&
    detected.latestDate >= addDays(previous.startDate, -reach)
  );
}

/**
 * Merges a detection into the tracked anomalies. A detected anomaly that continues a tracked one updates it and
 * keeps its id (Cost Explorer restating a day can move the start by a day; the id does not move); a new one is
 * added; a tracked open anomaly the data no longer shows is closed. Root causes refined with usage types are kept
 * while the anomaly's days are unchanged (a closed anomaly is not looked up again).
 */
export function trackAnomalies(previous: readonly TrackedAnomaly[], detection: AnomalyDetection, now: Date): TrackingResult {
  const at = now.toISOString();
  const unmatched = new Set(previous);
  const touched: string[] = [];
  const tracked: TrackedAnomaly[] = [];

  for (const detected of detection.anomalies) {
    const match = [...unmatched].find((p) => continues(p, detected));
    const { ongoing, ...fields } = detected;
    const status: AnomalyStatus = ongoing ? 'open' : 'closed';
    if (match) unmatched.delete(match);
    const keepRefined =
      match !== undefined &&
      match.startDate === detected.startDate &&
      match.latestDate === detected.latestDate &&
      match.rootCauses.some((rc) => rc.usageType !== undefined);
    const next: TrackedAnomaly = {
      ...fields,
      rootCauses: keepRefined ? match.rootCauses : fields.rootCauses,
      id: match?.id ?? anomalyId(detected.series, detected.startDate),
      status,
      firstSeenAt: match?.firstSeenAt ?? at,
      updatedAt: at,
      ...(status === 'closed' ? { closedAt: match?.status === 'closed' && match.closedAt ? match.closedAt : at } : {}),
      ...(match?.alertedSeverity ? { alertedSeverity: match.alertedSeverity } : {}),
    };
    if (keepRefined) delete next.rootCauseNote;
    tracked.push(next);
    touched.push(next.id);
  }

  for (const old of unmatched) {
    if (daysBetween(old.latestDate, detection.latestDay) > TRACKING_RETENTION_DAYS) continue;
    tracked.push(old.status === 'open' ? { ...old, status: 'closed', closedAt: at, updatedAt: at } : old);
  }
  tracked.sort((a, b) => b.startDate.localeCompare(a.startDate) || a.series.localeCompare(b.series));
  return { tracked, touched };
}
