// What the tracking store keeps across scans: each recommendation's history, dismissals, and each scope's last scan.
import type { Recommendation, RecommendationTracking, TimedObservation } from '@finops/core';

/** One recommendation's history, under its fingerprint (the recommendation id). */
export interface TrackedRecommendation extends RecommendationTracking {
  id: string;
  status: 'open' | 'resolved';
  /** The last scan that counted it (a retried report job must not count it twice). */
  lastScanId: string;
  /** Set when resolved: the scan that no longer found it. */
  resolvedScanId?: string;
  /** The recommendation as last seen, to list it when it is resolved. */
  recommendation: Recommendation;
}

/** A record without the recommendation it last saw (TrackingStore.histories). */
export type TrackedHistory = Omit<TrackedRecommendation, 'recommendation'>;

/** A user's decision to leave a recommendation out of totals and notifications. */
export interface Dismissal {
  reason: string;
  /** ISO time the dismissal ends; absent: until revoked. */
  until?: string;
  /** ISO time it was made. */
  at: string;
  /** Who dismissed it, when known (API user, `cli`). */
  by?: string;
}

/** What one scan of an (account, region) found, for the next scan to compare with. */
export interface ScopeSnapshot {
  scanId: string;
  startedAt: string;
  /** Fingerprints of its recommendations (plus earlier ones it could not judge, carried forward). */
  recommendationIds: string[];
  /** The timed conditions it saw hold (plus earlier ones it could not judge, carried forward). */
  observations: TimedObservation[];
}

/** The last scan of a scope and the one before it: a retried report compares with the same previous scan. */
export interface ScopeState extends ScopeSnapshot {
  previous?: ScopeSnapshot;
}
