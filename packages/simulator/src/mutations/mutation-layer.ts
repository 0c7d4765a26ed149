// The estate server's mutation support: reads every call through the partition's overlay, and saves what mutating calls change.
import type { ServiceId } from '../aws-error.js';
import type { CallContext, EstateView } from '../call-context.js';
import type { Partition } from '../estate-types.js';
import { ec2Mutations } from './ec2-mutations.js';
import { elbMutations, elbv2Mutations } from './elb-mutations.js';
import { lambdaMutations } from './lambda-mutations.js';
import type { MutationStore, Overlay } from './mutation-store.js';
import { applyOverlay, mergeChanges, type ResourceChange } from './overlay.js';
import { rdsMutations } from './rds-mutations.js';

/** What a mutating operation works on: the call, the partition as the overlay leaves it, and the overlay itself. */
export interface MutationCall {
  call: CallContext;
  partition: Partition;
  overlay: Overlay;
}

export interface MutationResult {
  /** The command's output, without `$metadata`. */
  output: object;
  changes: ResourceChange[];
}

export type MutationHandler = (input: MutationCall) => MutationResult;

/** The operations that change the estate (and the few reads only remediation needs), by service. */
const MUTATIONS: Partial<Record<ServiceId, Record<string, MutationHandler>>> = {
  ec2: ec2Mutations,
  rds: rdsMutations,
  lambda: lambdaMutations,
  elbv2: elbv2Mutations,
  elb: elbMutations,
};

export class MutationLayer {
  readonly #store: MutationStore;
  readonly #effective = new Map<string, { version: string; base: Partition; partition: Partition }>();

  constructor(store: MutationStore) {
    this.#store = store;
  }

  /** The mutating handler of an operation, if it is one. */
  handler(service: ServiceId, operation: string): MutationHandler | undefined {
    return MUTATIONS[service]?.[operation];
  }

  /**
   * The estate one call sees: its own (account, region) partition through the current overlay (rebuilt only when
   * the overlay's version changed), every other partition as generated.
   */
  async view(estate: EstateView, accountId: string, region: string): Promise<{ estate: EstateView; overlay: Overlay }> {
    const overlay = await this.#store.load(accountId, region);
    const key = `${accountId}|${region}`;
    const base = estate.partition(accountId, region);
    let cached = this.#effective.get(key);
    if (!cached || cached.version !== overlay.version || cached.base !== base) {
      cached = { version: overlay.version, base, partition: applyOverlay(base, overlay) };
      this.#effective.set(key, cached);
    }
    const effective = cached.partition;
    const view: EstateView = {
      seed: estate.seed,
      accounts: estate.accounts,
      regions: estate.regions,
      resourcesPerRegion: estate.resourcesPerRegion,
      epochMs: estate.epochMs,
      partition: (a, r) => (a === accountId && r === region ? effective : estate.partition(a, r)),
    };
    return { estate: view, overlay };
  }

  /** Runs a mutating handler and saves its changes before the call is answered. */
  async run(handler: MutationHandler, call: CallContext, overlay: Overlay): Promise<object> {
    const partition = call.estate.partition(call.accountId, call.region);
    const { output, changes } = handler({ call, partition, overlay });
    if (changes.length > 0) await this.#store.save(call.accountId, call.region, mergeChanges(overlay.entries, changes));
    return output;
  }
}
