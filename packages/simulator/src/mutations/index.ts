// Mutation support of the simulated estate: the store interface, the overlay, and the layer the estate server uses.
export { memoryMutationStore, type MutationStore, type Overlay, type OverlayEntry, type SimRecord } from './mutation-store.js';
export { applyOverlay, mergeChanges, overlayKey, recordId, type ResourceChange } from './overlay.js';
export { MutationLayer, type MutationCall, type MutationHandler, type MutationResult } from './mutation-layer.js';
export { emptyFilesZip, packageLocation } from './simulated-package.js';
