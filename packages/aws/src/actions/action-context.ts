// What an executor runs with: the account's clients, recorded mutating calls with their request ids, waiter timing.
import type { ServiceClient, ServiceId } from '../clients.js';
import { toAwsAccessError } from '../errors.js';
import type { AwsScope } from '../types.js';

/** One mutating call as it went out, for the audit trail. */
export interface RecordedCall {
  /** `ec2:StopInstances` */
  api: string;
  input: Record<string, unknown>;
  at: string;
  ok: boolean;
  /** The AWS request id (`x-amzn-RequestId`), when AWS answered. */
  requestId?: string;
  errorCode?: string;
}

/** A mutating call about to be sent: what is put on record before AWS may change anything. */
export interface PendingCall {
  /** `ec2:StopInstances` */
  api: string;
  input: Record<string, unknown>;
  at: string;
}

/** JSON a rollback needs later (stored with the action): previous type, snapshot id, allocation details… */
export type UndoData = Record<string, string | number | boolean | null | string[] | Record<string, string>>;

/** Waiter timing, in seconds, as the SDK's waiters take it. */
export interface WaiterTiming {
  maxWaitTime: number;
  minDelay: number;
  maxDelay: number;
}

export interface ActionContext {
  scope: AwsScope;
  /** The action's idempotency key: tagged on what it creates, so a retry finds it instead of creating it again. */
  actionId: string;
  client<S extends ServiceId>(service: S): Promise<ServiceClient<S>>;
  /**
   * Sends one mutating call, records it (request id included) and turns a failure into an AwsAccessError. The call
   * is announced to `beforeCall` (and that awaited) before it is sent, and its record handed to `onCall` (awaited)
   * before `mutate` returns or throws.
   */
  mutate<T>(api: string, input: Record<string, unknown>, send: () => Promise<T>): Promise<T>;
  /** Sends one read call (describe, waiter) and turns a failure into an AwsAccessError. */
  read<T>(api: string, send: () => Promise<T>): Promise<T>;
  /**
   * Puts what a rollback needs on record before the change it would undo: an executor awaits it before its first
   * mutating call, and again when it learns more (the final snapshot's id, before the delete). A retried job that
   * finds the change already made takes the undo data from that record instead of losing it.
   */
  recordUndo(undo: UndoData): Promise<void>;
  waiter: WaiterTiming;
  /** Downloads a deployment package from the URL AWS hands out (Lambda's Code.Location). */
  fetchBytes(url: string): Promise<Uint8Array>;
  /** The mutating calls made so far, in order. */
  readonly calls: readonly RecordedCall[];
}

/** The part of the AWS adapter an action context needs: a client with the account's credentials. */
export interface ClientSource {
  client<S extends ServiceId>(service: S, scope: AwsScope): Promise<ServiceClient<S>>;
}

export interface ActionContextOptions {
  access: ClientSource;
  scope: AwsScope;
  actionId: string;
  /** Default: wait up to 15 minutes, polling every 2–15 s (an instance stops in about a minute). */
  waiter?: Partial<WaiterTiming>;
  /** Default: the global fetch (which also reads `data:` URLs). */
  fetchBytes?: (url: string) => Promise<Uint8Array>;
  /**
   * Awaited before each mutating call is sent, e.g. to put on record that AWS may be about to change something; a
   * failure here means the call is not sent. Default: nothing.
   */
  beforeCall?: (call: PendingCall) => Promise<void>;
  /** Called after every mutating call, answered or failed (and awaited), e.g. to persist its request id at once. */
  onCall?: (call: RecordedCall) => void | Promise<void>;
  /** Where `recordUndo` keeps the undo data (awaited). Default: nowhere (a rollback, a test). */
  onUndo?: (undo: UndoData) => Promise<void>;
}

export const DEFAULT_WAITER: WaiterTiming = { maxWaitTime: 900, minDelay: 2, maxDelay: 15 };

/** Byte payloads (a Lambda ZipFile, nested or not) are recorded by size, not content. */
function recordable(input: Record<string, unknown>): Record<string, unknown> {
  const replace = (value: unknown): unknown => {
    if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object' && !(value instanceof Date)) return recordable(value as Record<string, unknown>);
    return value;
  };
  return Object.fromEntries(Object.entries(input).map(([key, value]) => [key, replace(value)]));
}

function requestIdOf(value: unknown): string | undefined {
  const id = (value as { $metadata?: { requestId?: unknown } } | undefined)?.$metadata?.requestId;
  return typeof id === 'string' && id ? id : undefined;
}

async function defaultFetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw Object.assign(new Error(`downloading the deployment package failed: HTTP ${response.status}`), { name: 'CodeDownloadFailed' });
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * The context one action runs in.
 *
 * @example
 * const context = createActionContext({ access, scope, actionId, onCall: (call) => calls.push(call) });
 * await executor.apply(context, observed, params);
 */
export function createActionContext(options: ActionContextOptions): ActionContext {
  const { access, scope, actionId } = options;
  const calls: RecordedCall[] = [];
  const record = async (call: RecordedCall) => {
    calls.push(call);
    await options.onCall?.(call);
  };
  return {
    scope,
    actionId,
    calls,
    waiter: { ...DEFAULT_WAITER, ...options.waiter },
    client: (service) => access.client(service, scope),
    fetchBytes: options.fetchBytes ?? defaultFetchBytes,
    async mutate(api, input, send) {
      const at = new Date().toISOString();
      const shown = recordable(input);
      await options.beforeCall?.({ api, input: shown, at });
      let output: Awaited<ReturnType<typeof send>>;
      try {
        output = await send();
      } catch (error) {
        const failure = toAwsAccessError(error, scope, api);
        await record({ api, input: shown, at, ok: false, requestId: requestIdOf(error), errorCode: failure.code });
        throw failure;
      }
      // Outside the try: a record that cannot be kept must not be mistaken for a failed call (AWS did carry it out).
      await record({ api, input: shown, at, ok: true, requestId: requestIdOf(output) });
      return output;
    },
    async recordUndo(undo) {
      await options.onUndo?.(undo);
    },
    async read(api, send) {
      try {
        return await send();
      } catch (error) {
        throw toAwsAccessError(error, scope, api);
      }
    },
  };
}
