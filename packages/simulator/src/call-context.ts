// What an operation handler receives: who is calling, the command's input, and read access to the estate.
import type { ServiceId } from './aws-error.js';
import type { Partition } from './estate-types.js';

/** The estate as handlers see it. Partitions are generated on first use and cached. */
export interface EstateView {
  readonly seed: number;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly resourcesPerRegion: number;
  /** Midnight UTC of the day the estate was created; every generated age counts back from it. */
  readonly epochMs: number;
  partition(accountId: string, region: string): Partition;
}

export interface CallContext {
  service: ServiceId;
  /** `DescribeInstances` */
  operation: string;
  accountId: string;
  region: string;
  input: Readonly<Record<string, unknown>>;
  requestId: string;
  /** Date.now() when the call arrived. */
  nowMs: number;
  estate: EstateView;
  /**
   * GetMetricData gives each result's Timestamps (epoch ms) and Values as Float64Arrays instead of Dates and
   * numbers: the simulated-AWS endpoint sends them so, and its client builds what the SDK gives (remote/wire.ts).
   */
  binaryDatapoints?: boolean;
}

/**
 * Answers one operation with the SDK's output shape, without `$metadata` (the plugin adds it). An answer that takes
 * long to compute may yield to the event loop on the way (GetMetricData).
 */
export type OperationHandler = (call: CallContext) => object | Promise<object>;
