// @finops/simulator: a deterministic simulated AWS estate served through the real AWS SDK v3 clients.
export { createSimulatedAws, SIMULATOR_MIDDLEWARE_NAME, type SimulatedAws } from './create-simulated-aws.js';
export type { SimulationOptions, SimulationStats } from './estate-server.js';
export { PLANTED_CHECK_IDS, type PlantedCheckId, type PlantedWaste, type HealthyResource } from './ground-truth.js';
export type { InjectedAnomaly } from './cost-model.js';
export { SimulatedServiceError } from './aws-error.js';
