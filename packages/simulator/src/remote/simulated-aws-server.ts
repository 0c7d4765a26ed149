// The simulated AWS as its own process: one estate, one set of AWS rate limits, for every worker that calls it.
//
// In-process (no `simulation.endpoint`), each process builds the estate it reads and keeps AWS's token buckets to
// itself: two analysis replicas then get twice AWS's GetMetricData rate, and every worker carries the estate and
// computes CloudWatch's datapoints on its own CPU. Served from here, the workers hold only what the platform holds
// against real AWS, and the limits are AWS's, whatever the number of replicas.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedServiceError } from '../aws-error.js';
import { startOfUtcDay } from '../clock.js';
import { EstateServer, type SimulationOptions, type SimulationStats } from '../estate-server.js';
import type { MutationStore } from '../mutations/index.js';
import { CALL_PATH, CONTENT_TYPE, HEALTH_PATH, STATS_PATH, decodeMessage, encodeMessage, toWireError, type CallAnswer, type CallRequest } from './wire.js';

export interface SimulatedAwsServerOptions {
  simulation: SimulationOptions;
  regions: readonly string[];
  /** Where remediation's changes to the estate are kept (Redis, shared with in-process simulators). Default: memory. */
  mutationStore?: MutationStore;
  /** Default 127.0.0.1; `0.0.0.0` in a container. */
  host?: string;
  /** Default 0: any free port (see `url`). */
  port?: number;
  /** A call that failed inside the simulator, not with an AWS error: answered as AWS's InternalFailure (500). */
  onInternalError?: (error: unknown, request: { accountId: string; region: string; command: string }) => void;
}

export interface SimulatedAwsServer {
  /** `http://host:port`: the value of `simulation.endpoint` for the processes that call it. */
  readonly url: string;
  readonly port: number;
  stats(): SimulationStats;
  close(): Promise<void>;
}

/** A body larger than this is not an SDK call (GetMetricData's 500 queries are well under 1 MB). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BadRequest extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest(`request body over ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function callRequest(value: unknown, accounts: readonly string[]): CallRequest {
  const body = value as Partial<CallRequest> | null;
  if (!body || typeof body !== 'object') throw new BadRequest('expected a MessagePack map with accountId, region, clientName, commandName and input');
  const { accountId, region, clientName, commandName, input, binaryDatapoints } = body;
  if (typeof accountId !== 'string' || typeof region !== 'string') throw new BadRequest('accountId and region must be strings');
  if (!accounts.includes(accountId)) {
    throw new BadRequest(
      `account ${accountId} is not simulated here (simulation.accounts: ${accounts.join(', ')}): give the simulated AWS and the workers the same simulation settings`,
    );
  }
  if (clientName !== undefined && typeof clientName !== 'string') throw new BadRequest('clientName must be a string');
  if (commandName !== undefined && typeof commandName !== 'string') throw new BadRequest('commandName must be a string');
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new BadRequest('input must be a map');
  return { accountId, region, clientName, commandName, input, binaryDatapoints: binaryDatapoints === true };
}

function send(response: ServerResponse, status: number, type: string, body: Buffer | string): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * Serves the simulated estate of `simulation.accounts` × `regions` over HTTP: `POST /v1/call` answers one SDK call
 * (MessagePack in and out: see ./wire.ts), `GET /v1/stats` what it served, `GET /healthz` its estate settings.
 * Latency, throttling, rate limits and denials apply here, exactly as in-process.
 *
 * @example
 * const server = await startSimulatedAwsServer({ simulation: config.simulation, regions: ['eu-west-1'] });
 * // workers: simulation.endpoint = server.url
 */
export async function startSimulatedAwsServer(options: SimulatedAwsServerOptions): Promise<SimulatedAwsServer> {
  // Ages count back from today's midnight UTC, as in every in-process simulator started today.
  const estate = new EstateServer(options.simulation, [...new Set(options.regions)], startOfUtcDay(Date.now()), options.mutationStore);
  // Before listening: a call then never waits behind a partition being built (seconds for a large estate).
  estate.prepare();
  const health = JSON.stringify({
    status: 'ok',
    seed: estate.seed,
    accounts: estate.accounts,
    regions: estate.regions,
    resourcesPerRegion: estate.resourcesPerRegion,
  });

  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method === 'GET' && request.url === HEALTH_PATH) return send(response, 200, 'application/json', health);
    if (request.method === 'GET' && request.url === STATS_PATH) return send(response, 200, 'application/json', JSON.stringify(estate.stats()));
    if (request.url !== CALL_PATH) return send(response, 404, 'text/plain', `no such path ${request.url}: POST ${CALL_PATH}, GET ${STATS_PATH} or GET ${HEALTH_PATH}`);
    if (request.method !== 'POST') return send(response, 405, 'text/plain', `${CALL_PATH} takes POST`);
    let call: CallRequest;
    try {
      call = callRequest(decodeMessage(await readBody(request)), estate.accounts);
    } catch (error) {
      return send(response, 400, 'text/plain', `bad call: ${(error as Error).message}`);
    }
    let result: CallAnswer;
    try {
      result = { output: await estate.serve(call) };
    } catch (error) {
      if (error instanceof SimulatedServiceError) {
        result = { error: toWireError(error) };
      } else {
        options.onInternalError?.(error, { accountId: call.accountId, region: call.region, command: call.commandName ?? 'unknown' });
        result = {
          error: {
            name: 'InternalFailure',
            message: `The simulated AWS failed to answer ${call.commandName ?? 'the call'}: ${(error as Error)?.message ?? String(error)}`,
            httpStatusCode: 500,
            requestId: 'simulated',
            fault: 'server',
            throttling: false,
          },
        };
      }
    }
    send(response, 200, CONTENT_TYPE, encodeMessage(result));
  };

  const server: Server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain', `simulated AWS: ${(error as Error)?.message ?? String(error)}`);
      else response.destroy();
    });
  });
  // Clients keep connections open between calls; closing an idle one first would race a call sent on it.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === undefined || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => estate.stats(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
