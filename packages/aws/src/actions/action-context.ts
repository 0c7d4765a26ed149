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
  /** Sends one mutating call, records it (request id included) and turns a failure into an AwsAccessError. */
  mutate<T>(api: string, input: Record<string, unknown>, send: () => Promise<T>): Promise<T>;
  /** Sends one read call (describe, waiter) and turns a failure into an AwsAccessError. */
  read<T>(api: string, send: () => Promise<T>): Promise<T>;
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
  /** Called after every mutating call, e.g. to persist progress before the next one. */
  onCall?: (call: RecordedCall) => void;
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
  const record = (call: RecordedCall) => {
    calls.push(call);
    options.onCall?.(call);
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
      try {
        const output = await send();
        record({ api, input: recordable(input), at, ok: true, requestId: requestIdOf(output) });
        return output;
      } catch (error) {
        const failure = toAwsAccessError(error, scope, api);
        record({ api, input: recordable(input), at, ok: false, requestId: requestIdOf(error), errorCode: failure.code });
        throw failure;
      }
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
