// SDK clients answered by a simulated-AWS endpoint (./simulated-aws-server.ts) instead of an estate in this process.
import { Agent, request as httpRequest } from 'node:http';
import { ConfigError, FinopsError } from '@finops/core';
import type { MetadataBearer, Pluggable } from '@smithy/types';
import { answeringPlugin, assertSimulatedAccount } from '../create-simulated-aws.js';
import { CALL_PATH, CONTENT_TYPE, decodeMessage, encodeMessage, expandDatapoints, fromWireError, type CallAnswer, type CallRequest } from './wire.js';

export interface RemoteSimulatedAws {
  readonly endpoint: string;
  readonly accounts: string[];
  /** Like SimulatedAws.plugin: answers every command at the deserialize step, from the endpoint. */
  plugin(scope: { accountId: string; region: string }): Pluggable<object, MetadataBearer>;
  close(): void;
}

/** A call the endpoint did not answer within this is abandoned as ETIMEDOUT (the SDK retries it). */
const CALL_TIMEOUT_MS = 120_000;

/** Network failures keep their code (ECONNREFUSED, ECONNRESET…): the SDK's retry strategy treats them as transient. */
class EndpointUnreachableError extends Error {
  readonly code: string | undefined;
  constructor(endpoint: string, cause: Error & { code?: string }) {
    super(
      `the simulated AWS at ${endpoint} did not answer (${cause.code ?? cause.message}): start it (\`finops simulate-aws\`, or the simulated-aws service of docker-compose.yml) or unset simulation.endpoint to simulate in-process`,
      { cause },
    );
    this.name = 'EndpointUnreachableError';
    this.code = cause.code;
  }
}

function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError([{ source: 'simulation', path: 'simulation.endpoint', message: `expected an http:// URL such as http://simulated-aws:4566, got ${JSON.stringify(endpoint)}` }]);
  }
  if (url.protocol !== 'http:') {
    throw new ConfigError([{ source: 'simulation', path: 'simulation.endpoint', message: `expected an http:// URL, got ${url.protocol} in ${endpoint}` }]);
  }
  return url;
}

/**
 * Plugins that send each SDK call to the simulated AWS at `endpoint` and hand its answer (or its AWS error) to the
 * SDK, as the in-process simulator does. `accounts` are the simulated accounts (simulation.accounts), checked when a
 * client is created, as in-process.
 *
 * @example
 * const remote = connectSimulatedAws('http://127.0.0.1:4566', config.simulation.accounts);
 * ec2.middlewareStack.use(remote.plugin({ accountId: '111111111111', region: 'eu-west-1' }));
 */
export function connectSimulatedAws(endpoint: string, accounts: readonly string[]): RemoteSimulatedAws {
  const url = parseEndpoint(endpoint);
  const target = new URL(CALL_PATH, url);
  // Workers have hundreds of calls in flight (most of them waiting out AWS's latency): one connection each, reused.
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 256 });

  const post = (body: Buffer): Promise<CallAnswer> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        target,
        { method: 'POST', agent, headers: { 'content-type': CONTENT_TYPE, 'content-length': body.length }, timeout: CALL_TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => reject(new EndpointUnreachableError(endpoint, error)));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            if (res.statusCode !== 200) {
              reject(
                new FinopsError(`the simulated AWS at ${endpoint} refused a call (HTTP ${res.statusCode}): ${bytes.toString('utf8').slice(0, 500)}`, {
                  hint: 'give the simulated AWS and the workers the same configuration (simulation.*, aws.regions) and the same version',
                }),
              );
              return;
            }
            try {
              resolve(decodeMessage<CallAnswer>(bytes));
            } catch (error) {
              reject(new FinopsError(`the simulated AWS at ${endpoint} sent an answer that is not MessagePack: ${(error as Error).message}`, { hint: 'check that simulation.endpoint points at the simulated AWS' }));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer in ${CALL_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (error) => reject(new EndpointUnreachableError(endpoint, error)));
      req.end(body);
    });

  return {
    endpoint,
    accounts: [...accounts],
    plugin({ accountId, region }) {
      assertSimulatedAccount(accountId, accounts);
      return answeringPlugin(async (sdkCall) => {
        const call: CallRequest = { accountId, region, ...sdkCall, binaryDatapoints: true };
        const answer = await post(encodeMessage(call));
        if ('error' in answer) throw fromWireError(answer.error);
        expandDatapoints(sdkCall.commandName, answer.output);
        return answer.output as unknown as MetadataBearer;
      });
    },
    close: () => agent.destroy(),
  };
}
