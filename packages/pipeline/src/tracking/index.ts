// Recommendation tracking across scans: histories, "first seen" times, dismissals, resolutions.
export { TrackingStore, TrackingLockTimeout, type TrackingStoreOptions } from './tracking-store.js';
export { finishTracking, trackPartition, trackRecommendations, trackingStoreFor, type PartitionFindings, type TrackingDeps } from './track-recommendations.js';
export { dismissRecommendation, parseDismissUntil, RecommendationNotFoundError, type DismissInput } from './dismiss.js';
export type { Dismissal, ScopeSnapshot, ScopeState, TrackedHistory, TrackedRecommendation } from './tracking-types.js';
