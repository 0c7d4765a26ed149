// The SDK middleware that makes every command of a client wait for a rate-limit token before it is sent.
import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments, InitializeMiddleware, MetadataBearer, Pluggable } from '@smithy/types';
import type { RateLimiter } from './rate-limiter.js';

export const RATE_LIMIT_MIDDLEWARE_NAME = 'finopsRateLimitMiddleware';

/**
 * A plugin for one client of (account, region, service). It sits at the initialize step, so each command (each
 * page of a paginator) takes one token before serialization and signing; the SDK's own retries after a throttle
 * back off on their own and take none.
 */
export function rateLimitPlugin(limiter: RateLimiter, scope: { accountId: string; region: string; service: string }): Pluggable<object, MetadataBearer> {
  const middleware: InitializeMiddleware<object, MetadataBearer> =
    (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<object>) => {
      const commandName = context.commandName ?? 'Unknown';
      const operation = commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
      await limiter.acquire({ ...scope, operation, input: args.input as Record<string, unknown> });
      return next(args);
    };
  return {
    applyToStack(stack) {
      stack.add(middleware, { step: 'initialize', priority: 'high', name: RATE_LIMIT_MIDDLEWARE_NAME, override: true });
    },
  };
}
