// A tiny stand-in for the simulator in tests: a deserialize/high middleware that answers commands from a handler.
import type { DeserializeHandlerArguments, DeserializeMiddleware, HandlerExecutionContext, Pluggable } from '@smithy/types';
import type { ClientPlugins } from '../clients.js';
import type { AwsScope } from '../types.js';

export interface FakeCall extends AwsScope {
  service: string;
  /** Operation name without `Command`, e.g. `DescribeAddresses`. */
  operation: string;
  input: Record<string, unknown>;
  /** The access key id the request was signed with. */
  accessKeyId?: string;
  /** Host and port the request was addressed to. */
  host: string;
}

export type FakeHandler = (call: FakeCall) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** An AWS-style error as the SDK's deserializers would produce it. */
export function awsError(name: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(`${name} (fake)`), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}

/** Plugins that answer every command with `handler`, recording each attempt in `calls`. */
export function fakeAws(handler: FakeHandler): { plugins: ClientPlugins; calls: FakeCall[]; scopes: (AwsScope & { service: string })[] } {
  const calls: FakeCall[] = [];
  const scopes: (AwsScope & { service: string })[] = [];
  const plugins: ClientPlugins = (scope) => {
    scopes.push(scope);
    const middleware: DeserializeMiddleware<object, object> =
      (_next, context: HandlerExecutionContext) => async (args: DeserializeHandlerArguments<object>) => {
        const request = args.request as { hostname?: string; port?: number; headers?: Record<string, string> };
        const authorization = request.headers?.authorization ?? request.headers?.Authorization ?? '';
        const call: FakeCall = {
          accountId: scope.accountId,
          region: scope.region,
          service: scope.service,
          operation: (context.commandName ?? '').replace(/Command$/, ''),
          input: { ...(args.input as Record<string, unknown>) },
          accessKeyId: /Credential=([^/]+)\//.exec(authorization)?.[1],
          host: `${request.hostname ?? ''}${request.port ? `:${request.port}` : ''}`,
        };
        calls.push(call);
        const output = await handler(call);
        return { output: { $metadata: { httpStatusCode: 200, attempts: 1 }, ...output }, response: { statusCode: 200, headers: {} } };
      };
    const plugin: Pluggable<object, object> = {
      applyToStack(stack) {
        stack.add(middleware, { step: 'deserialize', priority: 'high', name: 'fakeAws' });
      },
    };
    return [plugin];
  };
  return { plugins, calls, scopes };
}
