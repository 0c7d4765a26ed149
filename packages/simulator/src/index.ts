// @finops/simulator: a deterministic simulated AWS estate served through the real AWS SDK v3 clients.
export { createSimulatedAws, SIMULATOR_MIDDLEWARE_NAME, type SimulatedAws, type SimulatedAwsExtras } from './create-simulated-aws.js';
export { memoryMutationStore, type MutationStore, type Overlay, type OverlayEntry } from './mutations/index.js';
export type { SimulationOptions, SimulationStats } from './estate-server.js';
export { PLANTED_CHECK_IDS, TRUTH_CHECK_IDS, UNPLANTED_CHECK_IDS, type PlantedCheckId, type PlantedWaste, type HealthyResource } from './ground-truth.js';
export type { InjectedAnomaly } from './cost-model.js';
export { SimulatedServiceError } from './aws-error.js';
/** The simulator's own request buckets per API (per process): the benchmark's lower bound reads them. */
export { bucketFor as simulatedBucketFor, type BucketSpec as SimulatedBucketSpec } from './rate-limiter.js';
export { startSimulatedAwsServer, type SimulatedAwsServer, type SimulatedAwsServerOptions } from './remote/simulated-aws-server.js';
export { connectSimulatedAws, type RemoteSimulatedAws } from './remote/remote-simulated-aws.js';
