// What a simulated-AWS endpoint and its clients exchange: one call and its answer, as MessagePack over HTTP.
import { Packr } from 'msgpackr';
import { SimulatedServiceError } from '../aws-error.js';
import type { ServeRequest } from '../estate-server.js';

/** The one path a call is posted to; the version names the wire format, not the simulator. */
export const CALL_PATH = '/v1/call';
/** The simulated AWS's own counters (JSON): what it served, as SimulationStats. */
export const STATS_PATH = '/v1/stats';
export const HEALTH_PATH = '/healthz';
export const CONTENT_TYPE = 'application/x-msgpack';

/**
 * MessagePack keeps what JSON would lose in an SDK input or output: Dates (LaunchTime, GetMetricData's Timestamps),
 * `undefined` members, byte arrays. Records make the thousand alike objects of a listing page cheap to encode.
 */
const packr = new Packr({ useRecords: true });

export function encodeMessage(value: unknown): Buffer {
  return packr.pack(value);
}

export function decodeMessage<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}

export type CallRequest = ServeRequest;

/** The Float64Array whose bytes these are (msgpackr hands them back at any alignment: copied). */
function float64s(bytes: Uint8Array): Float64Array {
  return new Float64Array(Uint8Array.from(bytes).buffer);
}

/**
 * GetMetricData's datapoints travel as the bytes of Float64Arrays (CallRequest.binaryDatapoints: a page holds up to 100,800 of
 * them): this gives the output the SDK's shape again, a Date per timestamp and an array of numbers, in place.
 */
export function expandDatapoints(commandName: string | undefined, output: Record<string, unknown>): void {
  if (commandName !== 'GetMetricDataCommand') return;
  for (const result of (output.MetricDataResults ?? []) as { Timestamps?: unknown; Values?: unknown }[]) {
    if (result.Timestamps instanceof Uint8Array) result.Timestamps = Array.from(float64s(result.Timestamps), (ms) => new Date(ms));
    if (result.Values instanceof Uint8Array) result.Values = Array.from(float64s(result.Values));
  }
}

/** What the SDK sees of a service error: enough to build the same SimulatedServiceError on the other side. */
export interface WireServiceError {
  name: string;
  message: string;
  httpStatusCode: number;
  requestId: string;
  fault: 'client' | 'server';
  throttling: boolean;
}

/** The answer to one call: the command's output, or the AWS error the SDK would get. */
export type CallAnswer = { output: Record<string, unknown> } | { error: WireServiceError };

export function toWireError(error: SimulatedServiceError): WireServiceError {
  return {
    name: error.name,
    message: error.message,
    httpStatusCode: error.$metadata.httpStatusCode ?? 500,
    requestId: error.$metadata.requestId ?? 'simulated',
    fault: error.$fault,
    throttling: error.$retryable?.throttling === true,
  };
}

export function fromWireError(wire: WireServiceError): SimulatedServiceError {
  return new SimulatedServiceError({
    name: wire.name,
    message: wire.message,
    httpStatusCode: wire.httpStatusCode,
    requestId: wire.requestId,
    fault: wire.fault,
    ...(wire.throttling ? { throttling: true } : {}),
  });
}
